"""Centralized purchasing in the browser: the operator consolidates a closed window, the
supplier confirms its purchase order partly and ships, the operator records the goods
receipt with rejects, and the buyer's money comes back (credit notes) for what is short."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tests.factories import County, eventually
from tests.repository.factories import R, deliver, new_buyer, new_supplier, supply
from tests.repository.order_factories import new_warehouse, order_of, place_at
from tests.repository.purchasing_stories import back_then

P = "/v1/payments"
HONEY_FEN = 36000


async def bank_transfer_station(client, county: County, name: str):
    """A station paying by bank transfer, served every day by a route."""
    station = await new_buyer(client, county, name=name, payment_methods=["bank_transfer"])
    stop_id = uuid.uuid4()
    deliver(
        "delivery.route.published",
        {
            "route_id": str(uuid.uuid4()),
            "region_id": str(county.region_id),
            "name": f"城关—{name}线",
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "departure_time": "07:00",
            "stops": [
                {
                    "stop_id": str(stop_id),
                    "station_org_id": str(station.org_id),
                    "sequence": 1,
                    "kind": "station",
                }
            ],
        },
        county.region_id,
    )

    async def served() -> bool:
        r = await client.get(f"{R}/buyers/me", headers=station.headers)
        return r.json()["stop_id"] == str(stop_id)

    await eventually(served)
    return station


async def paid_order_in_a_closed_window(client, county: County):
    """Honey ordered 10 cases six days ago and paid in full by bank transfer."""
    op = county.operator.headers
    # the unpaid hold outlasts the six days, so the order waits for its money
    r = await client.put(
        f"{R}/regions/{county.region_id}/rules",
        json={"reservation_minutes": 7 * 24 * 60},
        headers=op,
    )
    assert r.status_code == 200, r.text
    await new_warehouse(client, county)
    supplier = await new_supplier(client, county, "封丘县金银花种植专业合作社")
    honey = await supply(
        client, county, supplier, price_tiers=[{"min_cases": 1, "price_fen": HONEY_FEN}]
    )
    station = await bank_transfer_station(client, county, "城关镇东街村电商服务站")
    order = await place_at(
        station,
        back_then(ago=timedelta(days=6)),
        [{"offer_id": honey["id"], "cases": 10}],
        method="bank_transfer",
    )

    async def money():
        r = await client.get(f"{P}/orders/{order['id']}", headers=op)
        return r.json() if r.status_code == 200 else None

    account = await eventually(money)
    assert account["total_fen"] == 10 * HONEY_FEN
    r = await client.post(
        f"{P}/bank-receipts",
        json={
            "reference_code": account["reference_code"],
            "amount_fen": account["total_fen"],
            "bank_reference": f"ABC-{uuid.uuid4().hex[:8]}",
        },
        headers=op,
    )
    assert r.status_code == 201, r.text

    async def confirmed() -> bool:
        seen = await order_of(client, county.operator, order["id"])
        return seen["status"] in ("confirmed", "purchased")

    await eventually(confirmed, timeout=30)
    return supplier, honey, station, order


async def test_consolidate_confirm_partly_receive_with_rejects_and_see_the_refunds(
    client, county, open_console
):
    supplier, honey, _station, order = await paid_order_in_a_closed_window(client, county)
    window = order["window_date"]

    # The operator consolidates the window from the cut-off board.
    operator = await open_console("operator")
    await operator.sign_in(county.operator)
    await operator.goto(f"/repository/board?day={window}", "board-before")
    assert "截单看板" in await operator.text("h1")
    await operator.page.click("#consolidate")
    # queued for the worker: the panel polls the run and shows its progress until done
    await operator.page.wait_for_selector("#consolidation-run .run-status:has-text('已完成')")
    await operator.shot("consolidated")
    await operator.goto(f"/repository/board?day={window}", "board-after")
    board = await operator.text("#board-pos")
    assert "封丘县金银花种植专业合作社" in board and "sent" in board

    r = await client.get(
        f"{R}/purchase-orders",
        params={"supplier_id": str(supplier.org_id)},
        headers=supplier.headers,
    )
    [summary] = r.json()["items"]
    po_id = summary["id"]

    # The supplier can send 8 of the 10 cases: it confirms partly, then ships.
    tab = await open_console("supplier")
    await tab.sign_in(supplier)
    assert tab.page.url.endswith("/supplier/purchase-orders")
    assert summary["number"] in await tab.text("#purchase-orders")
    await tab.click_and_load(f"text={summary['number']}", "supplier-po")
    await tab.page.fill(f"input[name=confirmed_{honey['variant_id']}]", "8")
    await tab.click_and_load("#confirm-partly", "supplier-confirmed-partly")
    assert "partially_confirmed" in await tab.text("h1")
    assert "¥2,880.00" in await tab.text("#total")
    await tab.click_and_load("#ship", "supplier-shipped")
    assert "shipped" in await tab.text("h1")
    r = await client.get(f"{R}/purchase-orders/{po_id}", headers=county.operator.headers)
    assert r.json()["lines"][0]["confirmed_cases"] == 8

    # The county warehouse takes 7 cases and rejects 1.
    await operator.goto(f"/repository/purchase-orders/{po_id}", "po-to-receive")
    await operator.page.fill(f"input[name=accepted_{honey['variant_id']}]", "7")
    await operator.page.fill(f"input[name=rejected_{honey['variant_id']}]", "1")
    await operator.page.fill(f"input[name=reason_{honey['variant_id']}]", "1 箱受潮发霉")
    await operator.click_and_load("#record-receipt", "po-received")
    assert "received" in await operator.text("h1")
    assert "1 箱受潮发霉" in await operator.text()

    # 2 cases short at confirmation and 1 rejected: the buyer, who paid for 10, gets 3 back.
    async def refunded() -> bool:
        r = await client.get(f"{P}/orders/{order['id']}", headers=county.operator.headers)
        return r.json()["refunded_fen"] == 3 * HONEY_FEN

    await eventually(refunded, timeout=30)
    await operator.goto(f"/repository/orders/{order['id']}", "order-refunds")
    assert "¥1,080.00" in await operator.text("#refunded")
    refunds = await operator.text("#refunds")
    assert refunds.count("credit_note") == 2
    assert "¥720.00" in refunds and "¥360.00" in refunds
    await operator.goto("/payments/refunds", "refunds-list")
    assert (await operator.text("#refunds")).count("credit_note") == 2
    await operator.goto(f"/repository/board?day={window}", "board-shortages")
    assert "¥1,080.00" in await operator.text("#board-shortages")

    # and the supplier sees the goods receipt
    await tab.goto("/supplier/receipts", "supplier-receipts")
    assert "¥2,520.00" in await tab.text()
