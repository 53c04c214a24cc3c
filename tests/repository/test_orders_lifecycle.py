"""An order's life after placing: payment, cancellation, expiry, delivery and closing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from shared.db import utcnow
from tests.factories import eventually
from tests.repository.factories import R, deliver, new_buyer, published, supply
from tests.repository.order_factories import (
    as_purchasing,
    buyer_with,
    lines,
    order_of,
    order_status_becomes,
    place_at,
    placed,
    run_task,
    stock_of,
    stocked_offer,
    verify,
)

PROBLEMS = "https://county-market.dev/problems/"


async def test_a_card_payment_confirms_the_order_once(client, county):
    honey, warehouse = await stocked_offer(client, county, 10)
    station = await buyer_with(client, county, "card")
    order = await placed(client, station, lines((honey, 4)))

    for _ in range(2):  # payments may tell twice; the second is ignored
        deliver(
            "payments.payment.succeeded",
            {
                "order_id": order["id"],
                "payment_id": str(uuid.uuid4()),
                "amount_fen": order["total_fen"],
                "method": "card",
            },
            county.region_id,
        )
    confirmed = await order_status_becomes(client, station, order["id"], "confirmed")

    assert [t["action"] for t in confirmed["transitions"]] == ["place", "confirm"]
    assert confirmed["transitions"][1]["reason"] == "paid"
    assert confirmed["reserved_until"] is None
    assert confirmed["version"] == 2
    # Paid stock stays held (no expiry) until consolidation allocates it.
    assert (await stock_of(client, county, warehouse["id"], honey["variant_id"]))["reserved"] == 4
    [event] = await published("repository.order.confirmed", order_id=order["id"])
    assert event == {
        "order_id": order["id"],
        "buyer_org_id": str(station.org_id),
        "region_id": str(county.region_id),
        "from_status": "placed",
        "to_status": "confirmed",
    }


async def test_a_failed_payment_cancels_the_order_and_frees_its_stock(client, county):
    honey, warehouse = await stocked_offer(client, county, 10)
    station = await buyer_with(client, county, "card")
    order = await placed(client, station, lines((honey, 7)))

    deliver(
        "payments.payment.failed",
        {"order_id": order["id"], "payment_id": str(uuid.uuid4()), "reason": "card_declined"},
        county.region_id,
    )
    cancelled = await order_status_becomes(client, station, order["id"], "cancelled")

    assert cancelled["transitions"][-1]["reason"] == "payment_failed: card_declined"
    level = await stock_of(client, county, warehouse["id"], honey["variant_id"])
    assert (level["reserved"], level["available"]) == (0, 10)
    assert await published("repository.order.cancelled", order_id=order["id"]) == [
        {
            "order_id": order["id"],
            "buyer_org_id": str(station.org_id),
            "reason": "payment_failed: card_declined",
        }
    ]
    # A late success for a cancelled order changes nothing here (payments refunds it).
    deliver(
        "payments.payment.succeeded",
        {"order_id": order["id"], "payment_id": "x", "amount_fen": 1, "method": "card"},
        county.region_id,
    )
    assert (await verify(client, county, warehouse["id"]))["consistent"] is True


async def test_payments_accepts_a_credit_order_and_the_repository_confirms_it(client, county):
    from services.payments.db import kernel as payments_kernel
    from services.payments.settlement.models import CreditLine
    from shared.db import sessionmaker_for

    offer = await supply(client, county, price_tiers=[{"min_cases": 1, "price_fen": 20000}])
    shop = await new_buyer(
        client,
        county,
        "retailer",
        payment_methods=["credit"],
        credit_limit_fen=100000,
        terms_days=30,
    )

    async def payments_knows_the_credit_line() -> bool:
        async with sessionmaker_for(payments_kernel)() as session:
            line = await session.scalar(
                select(CreditLine).where(CreditLine.buyer_org_id == shop.org_id)
            )
            return line is not None and line.limit_fen == 100000

    await eventually(payments_knows_the_credit_line, timeout=30)
    order = await placed(client, shop, lines((offer, 3)), method="credit")

    confirmed = await order_status_becomes(client, shop, order["id"], "confirmed")
    assert confirmed["transitions"][-1]["reason"] == "accepted_on_credit"


async def test_buyer_cancels_before_the_cutoff_but_not_after(client, county):
    honey, warehouse = await stocked_offer(client, county, 10)
    station = await buyer_with(client, county, "card", "cod")

    order = await placed(client, station, lines((honey, 5)))
    r = await client.post(
        f"{R}/orders/{order['id']}/cancel", json={"reason": "订错了"}, headers=station.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"
    assert r.json()["allowed_actions"] == []
    assert (await stock_of(client, county, warehouse["id"], honey["variant_id"]))["reserved"] == 0
    assert await published("repository.order.cancelled", order_id=order["id"]) == [
        {"order_id": order["id"], "buyer_org_id": str(station.org_id), "reason": "订错了"}
    ]
    r = await client.post(
        f"{R}/orders/{order['id']}/cancel", json={"reason": "再取消"}, headers=station.headers
    )
    assert r.status_code == 409
    assert r.json()["type"] == PROBLEMS + "invalid-transition"

    # Placed ten days ago (cash on delivery, so it is confirmed and holds its stock): its
    # window closed (and is older than the beat's consolidation horizon, so it stays put).
    late = await place_at(station, utcnow() - timedelta(days=10), lines((honey, 2)), method="cod")
    assert late["status"] == "confirmed"
    r = await client.post(
        f"{R}/orders/{late['id']}/cancel", json={"reason": "不要了"}, headers=station.headers
    )
    assert r.status_code == 409
    assert r.json()["type"] == PROBLEMS + "repository-cutoff-passed"
    assert "cancel" not in (await order_of(client, station, late["id"]))["allowed_actions"]
    assert (await order_of(client, station, late["id"]))["status"] == "confirmed"
    assert (await stock_of(client, county, warehouse["id"], honey["variant_id"]))["reserved"] == 2


async def test_unpaid_orders_release_their_stock_when_the_hold_expires(client, county):
    honey, warehouse = await stocked_offer(client, county, 6)
    station = await buyer_with(client, county, "card")
    # Placed three hours ago; the region holds stock for 120 minutes.
    stale = await place_at(station, utcnow() - timedelta(hours=3), lines((honey, 4)))
    fresh = await placed(client, station, lines((honey, 1)))
    assert (await stock_of(client, county, warehouse["id"], honey["variant_id"]))["reserved"] == 5

    run_task("repository.expire_unpaid_orders")
    expired = await order_status_becomes(client, station, stale["id"], "cancelled")

    assert expired["transitions"][-1]["reason"] == "reservation_expired"
    assert (await order_of(client, station, fresh["id"]))["status"] == "placed"
    level = await stock_of(client, county, warehouse["id"], honey["variant_id"])
    assert (level["on_hand"], level["reserved"], level["available"]) == (6, 1, 5)
    assert await published(
        "repository.order.cancelled", order_id=stale["id"], reason="reservation_expired"
    )
    r = await client.get(
        f"{R}/warehouses/{warehouse['id']}/movements",
        params={"order_id": stale["id"]},
        headers=county.operator.headers,
    )
    assert [m["kind"] for m in r.json()["items"]] == ["release", "reservation"]
    assert (await verify(client, county, warehouse["id"]))["consistent"] is True


async def test_an_order_is_delivered_with_its_last_parcel_and_closes_later(client, county):
    honey, warehouse = await stocked_offer(
        client, county, 10, product={"storage": "chilled", "net_weight_g": 500, "volume_cm3": 900}
    )
    jam = await supply(client, county, case_pack=6, product={"net_weight_g": 300})
    station = await buyer_with(client, county, "cod")
    order = await placed(client, station, lines((honey, 2), (jam, 1)), method="cod")

    await as_purchasing(order["id"], "consolidate", "mark_ready")
    ready = await order_of(client, station, order["id"])
    assert ready["status"] == "ready_for_delivery"
    assert ready["parcels_expected"] == 2
    [event] = await published("repository.order.ready_for_delivery", order_id=order["id"])
    assert event["payment_method"] == "cod"
    assert event["cod_amount_fen"] == order["total_fen"]
    assert event["buyer_org_id"] == str(station.org_id)
    assert event["parcels"] == [
        {"weight_g": 2 * 12 * 500, "volume_cm3": 2 * 12 * 900, "chilled": True},
        {"weight_g": 6 * 300, "volume_cm3": 6 * 600, "chilled": False},
    ]
    # The stocked cases left the shelf for delivery.
    level = await stock_of(client, county, warehouse["id"], honey["variant_id"])
    assert (level["on_hand"], level["reserved"]) == (8, 0)
    assert (await verify(client, county, warehouse["id"]))["consistent"] is True

    three_days_ago = (utcnow() - timedelta(days=3)).isoformat()

    def parcel_delivered(parcel_id: uuid.UUID) -> None:
        deliver(
            "delivery.parcel.delivered",
            {
                "parcel_id": str(parcel_id),
                "order_id": order["id"],
                "station_org_id": str(station.org_id),
                "delivered_at": three_days_ago,
            },
            county.region_id,
        )

    first = uuid.uuid4()
    parcel_delivered(first)
    parcel_delivered(first)  # reported twice (two event ids): still one parcel

    async def one_counted() -> bool:
        return (await order_of(client, station, order["id"]))["parcels_delivered"] == 1

    await eventually(one_counted)
    assert (await order_of(client, station, order["id"]))["status"] == "ready_for_delivery"
    parcel_delivered(uuid.uuid4())

    # Delivered three days ago, the order is past its region's 48 close-after hours at
    # once: the beat's close_delivered_orders (every 60 s) may close it before a poll
    # sees it delivered, so the delivery is asserted from its history.
    async def delivered_or_closed() -> dict | None:
        found = await order_of(client, station, order["id"])
        return found if found["status"] in ("delivered", "closed") else None

    delivered = await eventually(delivered_or_closed, timeout=30)
    assert delivered["parcels_delivered"] == 2
    steps = [(t["from_status"], t["to_status"], t["action"]) for t in delivered["transitions"]]
    assert ("ready_for_delivery", "delivered", "deliver") in steps

    run_task("repository.close_delivered_orders")
    await order_status_becomes(client, station, order["id"], "closed")
    assert await published("repository.order.closed", order_id=order["id"]) == [
        {"order_id": order["id"]}
    ]
