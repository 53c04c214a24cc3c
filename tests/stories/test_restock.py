"""A village station restocks from the county repository, end to end across services:

the supplier's goods are on offer (catalog → repository), the station orders and pays by
card (repository → payments → Stripe → payments → repository), the window is consolidated
(repository), its parcel rides the route's run (repository → delivery), the driver hands it
over (delivery → repository and payments) and the order ends delivered. Every hop is a
real event through the outbox, Redis and the Celery worker.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.delivery.test_delivery_day import network, station_parcels
from tests.factories import eventually
from tests.payments.helpers import card, stripe_client
from tests.repository.factories import R
from tests.repository.order_factories import (
    order_of,
    order_status_becomes,
    place_at,
    stock_of,
    stocked_offer,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


async def test_a_station_restocks_pays_by_card_and_receives_its_goods(
    client, county, stripe_webhooks
):
    # the county's network: a daily route through two village stations, with a driver
    (station, _other), driver = await network(client, county)

    async def served_at_its_stop() -> bool:
        r = await client.get(f"{R}/buyers/me", headers=station.headers)
        return r.status_code == 200 and r.json()["stop_id"] is not None

    await eventually(served_at_its_stop)
    r = await client.put(
        f"{R}/buyers/{station.org_id}/terms",
        json={"payment_methods": ["card"]},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text

    offer, warehouse = await stocked_offer(
        client,
        county,
        20,
        price_tiers=[{"min_cases": 1, "price_fen": 36_000}, {"min_cases": 5, "price_fen": 34_000}],
    )

    # the county holds unpaid stock for a week, so yesterday's order is still held
    r = await client.put(
        f"{R}/regions/{county.region_id}/rules",
        json={"reservation_minutes": 7 * 24 * 60},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    # yesterday before the cut-off: the window has closed by now
    zone = ZoneInfo(county.timezone)
    yesterday = datetime.now(zone).date() - timedelta(days=1)
    when = datetime.combine(yesterday, datetime.min.time(), zone).replace(hour=9)
    order = await place_at(station, when.astimezone(UTC), [{"offer_id": offer["id"], "cases": 6}])
    assert order["status"] == "placed"
    assert order["window_date"] == yesterday.isoformat()
    delivery_date = date.fromisoformat(order["delivery_date"])
    assert delivery_date == yesterday + timedelta(days=1)  # the route runs every day
    assert (await stock_of(client, county, warehouse["id"], offer["variant_id"]))["reserved"] == 6

    # payments has the order (from repository.order.placed) and the station pays by card
    async def payable() -> dict | None:
        r = await client.post(f"/v1/payments/orders/{order['id']}/intent", headers=station.headers)
        return r.json() if r.status_code == 200 else None

    intent = await eventually(payable, timeout=30)
    assert intent["amount_fen"] == 6 * 34_000
    r = await client.post(
        f"/v1/payments/orders/{order['id']}/intent",
        json={"payment_method": card("4242424242424242")},
        headers=station.headers,
    )
    assert r.status_code == 200, r.text
    assert stripe_client().payment_intents.confirm(intent["provider_ref"]).status == "succeeded"

    async def paid() -> bool:
        seen = await order_of(client, station, order["id"])
        return seen["status"] != "placed" and "confirmed" in [
            t["to_status"] for t in seen["transitions"]
        ]

    await eventually(paid, timeout=30)

    # the operator consolidates the closed window (beat may be at it already: then 409
    # while it works): stocked goods are allocated and the order is ready for delivery
    r = await client.post(
        f"{R}/windows/{county.region_id}/{yesterday.isoformat()}/consolidate",
        headers=county.operator.headers,
    )
    assert r.status_code in (200, 409), r.text
    await order_status_becomes(client, station, order["id"], "ready_for_delivery")

    # delivery put it on the run of that day; the driver takes it out and hands it over
    async def on_the_route() -> list | None:
        found = await station_parcels(client, station)
        return found or None

    [parcel] = await eventually(on_the_route, timeout=30)
    assert parcel["order_id"] == order["id"]
    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": delivery_date.isoformat()},
        headers=county.operator.headers,
    )
    [run] = r.json()["runs"]
    r = await client.post(f"/v1/delivery/runs/{run['id']}/start", headers=driver.headers)
    assert r.status_code == 200, r.text
    r = await client.post(
        f"/v1/delivery/parcels/{parcel['id']}/deliver",
        data={"recipient_name": "站长王芳"},
        files={"proof": ("sign.png", PNG, "image/png")},
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text

    delivered = await order_status_becomes(client, station, order["id"], "delivered")
    assert [t["to_status"] for t in delivered["transitions"]] == [
        "placed",
        "confirmed",
        "consolidated",
        "ready_for_delivery",
        "delivered",
    ]
    stock = await stock_of(client, county, warehouse["id"], offer["variant_id"])
    # picked for the run: the six cases left the shelf and are no longer held
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (14, 0, 14)
    assert (await order_of(client, station, order["id"]))["total_fen"] == 204_000

    async def payments_saw_it_delivered() -> dict | None:
        r = await client.get(f"/v1/payments/orders/{order['id']}", headers=station.headers)
        return r.json() if r.json()["delivered_at"] else None

    paid = await eventually(payments_saw_it_delivered)
    assert (paid["status"], paid["paid_fen"], paid["owed_fen"]) == ("paid", 204_000, 0)


async def test_a_supplier_suspended_by_the_county_stops_selling_in_the_repository_at_once(
    client, county
):
    """suppliers → (suppliers.supplier.suspended) → repository and catalog, for real."""
    from tests.catalog.helpers import approved
    from tests.repository.factories import new_buyer, new_offer
    from tests.suppliers.helpers import act as supplier_act
    from tests.suppliers.helpers import approved_supplier

    seller = await approved_supplier(client, county)
    product = await approved(client, county, seller)
    variant_id = product["variants"][0]["id"]

    async def arrived() -> bool:
        r = await client.get(f"{R}/variants/{variant_id}", headers=seller.headers)
        return r.status_code == 200

    await eventually(arrived)
    offer = await new_offer(client, seller, variant_id)
    station = await new_buyer(client, county)

    async def offered() -> set[str]:
        r = await client.get(f"{R}/offers", headers=station.headers)
        return {o["id"] for o in r.json()["items"]}

    assert offer["id"] in await offered()
    r = await supplier_act(
        client, county.operator, seller.org_id, "suspend", {"reason": "食品经营许可证过期"}
    )
    assert r.status_code == 200, r.text

    async def gone() -> bool:
        return offer["id"] not in await offered()

    await eventually(gone)
    r = await client.post(
        f"{R}/orders",
        json={"payment_method": "card", "lines": [{"offer_id": offer["id"], "cases": 1}]},
        headers={**station.headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert r.status_code == 422
    assert [e["code"] for e in r.json()["errors"]] == ["offer_not_selling"]

    r = await supplier_act(client, county.operator, seller.org_id, "reinstate")
    assert r.status_code == 200, r.text

    async def back() -> bool:
        return offer["id"] in await offered()

    await eventually(back)
