"""A shipped sample travels as a delivery parcel: delivery makes it once from
`livestream.sample.shipped` (the supplier's carrier and tracking number), the supplier and the
streamer follow it, the carrier's status update delivers it, and `delivery.parcel.delivered`
makes the sample received in livestream."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, text

from services.delivery.db import kernel as delivery_kernel
from services.insights.db import kernel as insights_kernel
from services.livestream.db import kernel as livestream_kernel
from services.repository.db import kernel as repository_kernel
from shared.db import sessionmaker_for
from shared.events import Event
from shared.tasks import celery_app
from tests.factories import eventually
from tests.livestream.helpers import L, pool_entry, streamer
from tests.livestream.money import outbox

D = "/v1/delivery"
RULE = {"min_followers": 10_000, "min_gmv_30d_fen": 0, "min_level": 2, "return_required": False}


def to_delivery(event: Event) -> None:
    celery_app.send_task(
        "delivery.handle_event", args=[event.model_dump(mode="json")], queue="delivery"
    )


async def delivery_handled(*events: Event) -> None:
    ids = [e.id for e in events]

    async def all_in_inbox() -> bool:
        async with sessionmaker_for(delivery_kernel)() as session:
            seen = await session.scalar(
                select(func.count())
                .select_from(delivery_kernel.inbox)
                .where(delivery_kernel.inbox.c.event_id.in_(ids))
            )
            return seen == len(ids)

    await eventually(all_in_inbox, timeout=30)


async def parcels_of(sample_id: str) -> int:
    async with sessionmaker_for(delivery_kernel)() as session:
        return int(
            await session.scalar(
                text("SELECT count(*) FROM delivery.sample_parcels WHERE reference_id = :ref"),
                {"ref": uuid.UUID(sample_id)},
            )
            or 0
        )


async def delivered_events(sample_id: str) -> list[dict]:
    """delivery's `delivery.parcel.delivered` envelopes for the sample's parcel."""
    box = delivery_kernel.outbox
    async with sessionmaker_for(delivery_kernel)() as session:
        rows = await session.execute(
            select(box.c.payload).where(box.c.event_type == "delivery.parcel.delivered")
        )
        return [p for (p,) in rows.all() if p["data"].get("reference_id") == sample_id]


async def test_a_shipped_sample_is_a_tracked_parcel_whose_delivery_makes_it_received(
    client, county
):
    seller, entry = await pool_entry(client, county, sample_rule=RULE)
    li = await streamer(client, county, followers=50_000, level=3)
    other = await streamer(client, county, followers=50_000, level=3)
    r = await client.post(f"{L}/samples", json={"pool_entry_id": entry["id"]}, headers=li.headers)
    assert r.status_code == 201 and r.json()["status"] == "approved", r.text
    sample_id = r.json()["id"]
    tracking = f"ZT{uuid.uuid4().int % 10**12:012d}"
    r = await client.post(
        f"{L}/samples/{sample_id}/ship",
        json={"carrier": "中通快递", "tracking_number": tracking},
        headers=seller.headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "shipped", r.text

    # delivery makes the parcel from livestream.sample.shipped
    found: dict = {}

    async def parcel_made() -> bool:
        r = await client.get(f"{D}/sample-parcels/by-sample/{sample_id}", headers=li.headers)
        if r.status_code == 200:
            found.update(r.json())
        return r.status_code == 200

    await eventually(parcel_made, timeout=30)
    assert found["source"] == "livestream_sample" and found["reference_id"] == sample_id
    assert found["carrier"] == "中通快递" and found["tracking_number"] == tracking
    assert found["status"] == "in_transit"
    assert found["sender_org_id"] == str(seller.org_id)
    assert found["recipient_org_id"] == str(li.org_id)
    parcel_id = found["id"]

    # the supplier follows it too; another streamer sees nothing of it
    r = await client.get(f"{D}/sample-parcels/{parcel_id}", headers=seller.headers)
    assert r.status_code == 200 and r.json()["tracking_number"] == tracking
    for path in (f"sample-parcels/{parcel_id}", f"sample-parcels/by-sample/{sample_id}"):
        r = await client.get(f"{D}/{path}", headers=other.headers)
        assert r.status_code == 404, path

    # the shipped event replayed (same id) and sent again (a new id, the same sample)
    [shipped] = [
        Event.model_validate(p)
        for p in await outbox("livestream.sample.shipped")
        if p["data"]["sample_id"] == sample_id
    ]
    again = shipped.model_copy(update={"id": uuid.uuid4()})
    to_delivery(shipped)
    to_delivery(again)
    await delivery_handled(shipped, again)
    assert await parcels_of(sample_id) == 1
    r = await client.get(f"{D}/sample-parcels/by-sample/{sample_id}", headers=li.headers)
    assert r.json()["id"] == parcel_id

    # the carrier's status update is the base operator's: the streamer and supplier may not
    update = {"status": "delivered", "recipient_name": "李主播", "reason": "中通签收"}
    for actor in (li, seller):
        r = await client.post(
            f"{D}/sample-parcels/{parcel_id}/carrier-status", json=update, headers=actor.headers
        )
        assert r.status_code == 403, r.text
    r = await client.post(
        f"{D}/sample-parcels/{parcel_id}/carrier-status",
        json=update,
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "delivered" and r.json()["delivered_at"]
    assert [(h["from_status"], h["to_status"]) for h in r.json()["history"]] == [
        ("in_transit", "delivered")
    ]
    r = await client.post(
        f"{D}/sample-parcels/{parcel_id}/carrier-status",
        json=update,
        headers=county.operator.headers,
    )
    assert r.status_code == 409

    [envelope] = await delivered_events(sample_id)
    delivered = envelope["data"]
    assert delivered["source"] == "livestream_sample" and delivered["order_id"] is None
    assert delivered["tracking_number"] == tracking

    # livestream hears delivery.parcel.delivered: the sample is received, once
    async def received() -> bool:
        r = await client.get(f"{L}/samples/{sample_id}", headers=li.headers)
        return r.json()["status"] == "received"

    await eventually(received, timeout=30)
    sample = (await client.get(f"{L}/samples/{sample_id}", headers=li.headers)).json()
    assert sample["received_at"] and sample["feature_by"]
    assert len(await outbox_of(sample_id, "livestream.sample.received")) == 1
    # the streamer's own confirmation now is a conflict, not a second receipt
    r = await client.post(f"{L}/samples/{sample_id}/receive", headers=li.headers)
    assert r.status_code == 409

    # the other consumers of delivery.parcel.delivered take it in stride: repository has no
    # order to deliver and insights does not count a supplier's courier parcel as the
    # county's common delivery (neither fails into a dead letter)
    event_id = uuid.UUID(envelope["id"])
    for kernel in (repository_kernel, insights_kernel):
        await eventually(lambda k=kernel: _in_inbox(k, event_id), timeout=30)
        assert not await _dead_letters(kernel, event_id), kernel.name
    async with sessionmaker_for(insights_kernel)() as session:
        counted = await session.scalar(
            text("SELECT count(*) FROM insights.parcels WHERE parcel_id = :p"),
            {"p": uuid.UUID(parcel_id)},
        )
    assert counted == 0


async def _in_inbox(kernel, event_id: uuid.UUID) -> bool:
    async with sessionmaker_for(kernel)() as session:
        seen = await session.scalar(
            select(func.count())
            .select_from(kernel.inbox)
            .where(kernel.inbox.c.event_id == event_id)
        )
    return bool(seen)


async def _dead_letters(kernel, event_id: uuid.UUID) -> int:
    async with sessionmaker_for(kernel)() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(kernel.dead_letters)
                .where(kernel.dead_letters.c.event_id == event_id)
            )
            or 0
        )


async def outbox_of(sample_id: str, event_type: str) -> list[dict]:
    return [p for p in await outbox(event_type) if p["data"]["sample_id"] == sample_id]


async def test_the_streamer_may_still_confirm_receipt_before_the_carrier_reports(client, county):
    seller, entry = await pool_entry(client, county, sample_rule=RULE)
    li = await streamer(client, county, followers=50_000, level=3)
    r = await client.post(f"{L}/samples", json={"pool_entry_id": entry["id"]}, headers=li.headers)
    sample_id = r.json()["id"]
    r = await client.post(
        f"{L}/samples/{sample_id}/ship",
        json={"carrier": "圆通", "tracking_number": "YT0000000001"},
        headers=seller.headers,
    )
    assert r.status_code == 200, r.text
    r = await client.post(f"{L}/samples/{sample_id}/receive", headers=li.headers)
    assert r.status_code == 200 and r.json()["status"] == "received"

    parcel: dict = {}

    async def parcel_made() -> bool:
        r = await client.get(f"{D}/sample-parcels/by-sample/{sample_id}", headers=li.headers)
        parcel.update(r.json() if r.status_code == 200 else {})
        return r.status_code == 200

    await eventually(parcel_made, timeout=30)
    r = await client.post(
        f"{D}/sample-parcels/{parcel['id']}/carrier-status",
        json={"status": "delivered"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    await eventually(lambda: _delivered_heard(sample_id), timeout=30)
    # the late carrier report changes nothing: received once, still received
    r = await client.get(f"{L}/samples/{sample_id}", headers=li.headers)
    assert r.json()["status"] == "received"
    assert len(await outbox_of(sample_id, "livestream.sample.received")) == 1


async def _delivered_heard(sample_id: str) -> bool:
    """livestream has handled delivery's delivered event for the sample's parcel."""
    ids = [uuid.UUID(p["id"]) for p in await delivered_events(sample_id)]
    if not ids:
        return False
    box = livestream_kernel.inbox
    async with sessionmaker_for(livestream_kernel)() as session:
        seen = await session.scalar(
            select(func.count()).select_from(box).where(box.c.event_id.in_(ids))
        )
    return seen == len(ids)
