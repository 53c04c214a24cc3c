"""An outbox event reaches its consumer through the real Celery worker, and is handled once."""

from __future__ import annotations

from sqlalchemy import func, select

from services.identity.db import kernel
from services.identity.notifications.models import Notification
from shared.db import sessionmaker_for
from shared.tasks import celery_app
from tests.factories import eventually, sign_up, unique_phone


async def notifications_about(org_id) -> int:
    async with sessionmaker_for(kernel)() as session:
        return (
            await session.execute(
                select(func.count())
                .select_from(Notification)
                .where(Notification.subject_id == org_id)
            )
        ).scalar_one()


async def outbox_payload(org_id) -> dict | None:
    async with sessionmaker_for(kernel)() as session:
        rows = (
            await session.execute(
                select(kernel.outbox.c.payload, kernel.outbox.c.published_at).where(
                    kernel.outbox.c.event_type == "identity.organisation.signed_up"
                )
            )
        ).all()
    for payload, published_at in rows:
        if payload["data"]["organisation_id"] == str(org_id) and published_at is not None:
            return payload
    return None


async def inbox_count(event_id) -> int:
    async with sessionmaker_for(kernel)() as session:
        return (
            await session.execute(
                select(func.count())
                .select_from(kernel.inbox)
                .where(kernel.inbox.c.event_id == event_id)
            )
        ).scalar_one()


async def test_operator_is_notified_of_a_sign_up_exactly_once_even_when_delivered_twice(
    client, county
):
    org_id, _ = await sign_up(client, county, "supplier", "封丘县树莓种植合作社")

    async def listed() -> list:
        r = await client.get("/v1/identity/notifications", headers=county.operator.headers)
        return [n for n in r.json()["items"] if n["subject_id"] == str(org_id)]

    [note] = await eventually(listed)
    assert "封丘县树莓种植合作社" in note["message"]

    # The broker delivers the same event again, twice (at-least-once delivery).
    payload = await eventually(lambda: outbox_payload(org_id))
    for _ in range(2):
        celery_app.send_task("identity.handle_event", args=[payload], queue="identity")
    # Wait until the worker has taken both redeliveries; the inbox keeps one row.
    await eventually(lambda: _queue_drained(), timeout=20)
    assert await inbox_count(payload["id"]) == 1
    assert await notifications_about(org_id) == 1
    assert len(await listed()) == 1


async def _queue_drained() -> bool:
    import redis.asyncio as aioredis

    from shared.settings import get_settings

    client = aioredis.from_url(get_settings().redis_url)
    try:
        return await client.llen("identity") == 0
    finally:
        await client.aclose()


async def test_a_station_does_not_see_the_operators_notifications(client, county):
    from tests.factories import new_org

    station = await new_org(client, county, "station")
    r = await client.get("/v1/identity/notifications", headers=station.headers)
    assert r.status_code == 200
    assert r.json()["items"] == []


async def test_the_request_id_follows_the_event_into_the_worker(client, county):
    import os
    import uuid
    from pathlib import Path

    request_id = "req-" + uuid.uuid4().hex
    r = await client.post(
        "/v1/identity/signup",
        json={
            "region_id": str(county.region_id),
            "organisation": {"kind": "retailer", "name": "留光镇便利店"},
            "user": {"login": unique_phone(), "password": "long-enough-pw", "display_name": "店主"},
        },
        headers={"X-Request-ID": request_id},
    )
    assert r.status_code == 201
    assert r.headers["x-request-id"] == request_id
    org_id = r.json()["organisation"]["id"]
    payload = await eventually(lambda: outbox_payload(org_id))
    assert payload["request_id"] == request_id
    log = Path(os.environ["COUNTY_TEST_WORKER_LOG"])
    await eventually(lambda: request_id in log.read_text(errors="replace"))
