"""Consignment (寄售) at the base: goods sent from the county warehouse stay the supplier's;
the base knows received, sold, returned, damaged and on hand; sales make the supplier's
payable at the supply price of that moment; statements per local month."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.factories import eventually
from tests.livestream.consignment_helpers import (
    published,
    sale_line,
    stock_of,
    until_stock,
    warehouse_cases,
    warehouse_with_stock,
)
from tests.livestream.helpers import (
    L,
    at,
    book,
    branded_product,
    listed,
    open_to_pool,
    pool_entry,
    room,
    streamer,
)
from tests.repository.factories import R


def local_month(county) -> str:
    return datetime.now(UTC).astimezone(ZoneInfo(county.timezone)).strftime("%Y-%m")


async def test_goods_sent_from_the_warehouse_reach_the_base_and_a_return_goes_back_into_stock(
    client, county
):
    seller, product, _ = await branded_product(client, county)
    entry = await open_to_pool(client, seller, product["id"])
    assert entry["stock_at_base"] == 0
    warehouse, offer = await warehouse_with_stock(client, county, seller, product, cases=10)
    variant_id = product["variants"][0]["id"]

    r = await client.post(
        f"{R}/consignment/transfers",
        json={"warehouse_id": warehouse["id"], "offer_id": offer["id"], "cases": 4},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    transfer = r.json()
    assert (transfer["cases"], transfer["quantity"]) == (4, 48)  # 12 to a case
    assert await warehouse_cases(client, county, warehouse["id"], variant_id) == 6
    # more than the warehouse holds: refused, nothing moves
    r = await client.post(
        f"{R}/consignment/transfers",
        json={"warehouse_id": warehouse["id"], "offer_id": offer["id"], "cases": 7},
        headers=county.operator.headers,
    )
    assert r.status_code == 409 and r.json()["type"].endswith("repository-out-of-stock")

    stock = await until_stock(client, county.operator, product["id"], received=48, on_hand=48)
    r = await client.get(f"{L}/pool/entries/{entry['id']}", headers=seller.headers)
    assert r.json()["stock_at_base"] == 48

    # 25 units back to the warehouse: two whole cases go back on its shelf, one unit loose
    r = await client.post(
        f"{L}/consignment/stock/{stock['id']}/returns",
        json={"quantity": 25, "destination": "warehouse", "warehouse_id": warehouse["id"]},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    [returned] = await published("livestream.consignment.returned", return_id=r.json()["id"])
    assert returned["quantity"] == 25 and returned["warehouse_id"] == warehouse["id"]

    async def back_in_stock() -> bool:
        return await warehouse_cases(client, county, warehouse["id"], variant_id) == 8

    await eventually(back_in_stock, timeout=30)
    r = await client.get(
        f"{R}/consignment/returns",
        params={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    [row] = r.json()["items"]
    assert (row["cases"], row["loose_units"], row["outcome"]) == (2, 1, "restocked")
    r = await client.get(
        f"{R}/warehouses/{warehouse['id']}/stock/verify", headers=county.operator.headers
    )
    assert r.json()["consistent"] is True
    stock = await until_stock(client, county.operator, product["id"], returned=25, on_hand=23)
    # 11 loose units more: with the one the warehouse held they make a case, back on the shelf
    r = await client.post(
        f"{L}/consignment/stock/{stock['id']}/returns",
        json={"quantity": 11, "destination": "warehouse", "warehouse_id": warehouse["id"]},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text

    async def case_made_up() -> bool:
        return await warehouse_cases(client, county, warehouse["id"], variant_id) == 9

    await eventually(case_made_up, timeout=30)
    r = await client.get(
        f"{R}/consignment/returns",
        params={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    latest = r.json()["items"][0]
    assert (latest["quantity"], latest["cases"], latest["loose_units"]) == (11, 1, 0)
    r = await client.get(
        f"{R}/warehouses/{warehouse['id']}/stock/verify", headers=county.operator.headers
    )
    assert r.json()["consistent"] is True
    stock = await until_stock(client, county.operator, product["id"], returned=36, on_hand=12)
    # a warehouse that never sent goods to the base cannot take them back
    r = await client.post(
        f"{L}/consignment/stock/{stock['id']}/returns",
        json={"quantity": 1, "destination": "warehouse", "warehouse_id": str(uuid.uuid4())},
        headers=county.operator.headers,
    )
    assert r.status_code == 422, r.text


async def test_reconciliation_after_sales_partial_returns_damage_and_a_stocktake_variance(
    client, county
):
    seller, entry = await pool_entry(client, county, stock_at_base=100)
    stock = await stock_of(client, county.operator, entry["product_id"])
    assert stock is not None
    sid = stock["id"]
    ops = county.operator.headers

    # a sale of 30 at the supply price of that moment (2000 fen)
    first = uuid.uuid4()
    sale_line(county, entry, line_id=first, quantity=30)
    await until_stock(client, county.operator, entry["product_id"], sold=30, on_hand=70)
    [payable] = await published("livestream.consignment.payable", sale_line_id=first)
    assert (payable["quantity"], payable["supply_price_fen"], payable["amount_fen"]) == (
        30,
        2000,
        60_000,
    )
    # the same version again changes nothing; the supply price rises for later sales
    sale_line(county, entry, line_id=first, quantity=30)
    r = await client.patch(
        f"{L}/pool/entries/{entry['id']}", json={"supply_price_fen": 2500}, headers=seller.headers
    )
    assert r.status_code == 200, r.text
    second = uuid.uuid4()
    sale_line(county, entry, line_id=second, quantity=4)
    await until_stock(client, county.operator, entry["product_id"], sold=34, on_hand=66)
    # refunded before settlement: its goods come back, the payable is reversed at its price
    sale_line(county, entry, line_id=second, quantity=4, status="refunded", version=2)
    await until_stock(client, county.operator, entry["product_id"], sold=30, on_hand=70)
    amounts = [p["amount_fen"] for p in await published(
        "livestream.consignment.payable", sale_line_id=second
    )]  # fmt: skip
    assert amounts == [10_000, -10_000]

    # partial returns: 20 to the supplier, then 10 more; 5 written off as damaged
    for quantity in (20, 10):
        r = await client.post(
            f"{L}/consignment/stock/{sid}/returns",
            json={"quantity": quantity, "destination": "supplier", "reason": "卖不动"},
            headers=ops,
        )
        assert r.status_code == 201, r.text
    r = await client.post(
        f"{L}/consignment/stock/{sid}/damages", json={"quantity": 5, "reason": "压坏"}, headers=ops
    )
    assert r.status_code == 201, r.text
    # more than is on hand cannot leave
    r = await client.post(
        f"{L}/consignment/stock/{sid}/returns",
        json={"quantity": 36, "destination": "supplier"},
        headers=ops,
    )
    assert r.status_code == 409 and r.json()["type"].endswith("livestream-consignment-short")

    # a stocktake finds 33 where 35 should be: the variance needs a reason
    r = await client.post(
        f"{L}/consignment/stock/{sid}/stocktakes", json={"counted": 33}, headers=ops
    )
    assert r.status_code == 422 and r.json()["type"].endswith("livestream-stocktake-reason")
    r = await client.post(
        f"{L}/consignment/stock/{sid}/stocktakes",
        json={"counted": 33, "reason": "盘亏：样品未登记"},
        headers=ops,
    )
    assert r.status_code == 201, r.text
    assert (r.json()["expected"], r.json()["counted"], r.json()["quantity"]) == (35, 33, -2)

    r = await client.get(f"{L}/consignment/stock/{sid}", headers=seller.headers)
    stock = r.json()
    assert {k: stock[k] for k in ("received", "sold", "returned", "damaged", "on_hand")} == {
        "received": 0,
        "sold": 30,
        "returned": 30,
        "damaged": 5,
        "on_hand": 33,
    }
    # opening count 100, then −2: the counts reconcile with the ledger
    assert stock["adjusted"] == 98
    assert stock["on_hand"] == (
        stock["received"] - stock["sold"] - stock["returned"] - stock["damaged"] + stock["adjusted"]
    )
    movements = await listed(client, f"/consignment/stock/{sid}/movements", ops)
    assert movements[-1]["on_hand_after"] == 33
    assert sum(m["quantity"] for m in movements) == 33
    r = await client.get(f"{L}/pool/entries/{entry['id']}", headers=seller.headers)
    assert r.json()["stock_at_base"] == 33

    # the supplier's statement for this local month
    period = local_month(county)
    r = await client.get(
        f"{L}/consignment/statements/{seller.org_id}/{period}", headers=seller.headers
    )
    assert r.status_code == 200, r.text
    statement = r.json()
    [line] = statement["lines"]
    assert (line["sold"], line["sold_fen"], line["returned"], line["damaged"]) == (
        30,
        60_000,
        30,
        5,
    )
    assert line["variance"] == 98 and statement["payable_fen"] == 60_000
    r = await client.get(
        f"{L}/consignment/statements/{seller.org_id}/{period}/xlsx", headers=seller.headers
    )
    assert r.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[-1][:6] == ["合计 total", 0, 30, 60_000, 30, 5]


async def test_a_sale_beyond_the_goods_at_the_base_takes_only_what_is_there(client, county):
    _, entry = await pool_entry(client, county, stock_at_base=3)
    line = uuid.uuid4()
    sale_line(county, entry, line_id=line, quantity=5)
    stock = await until_stock(client, county.operator, entry["product_id"], sold=3, on_hand=0)
    assert stock["on_hand"] == 0
    [payable] = await published("livestream.consignment.payable", sale_line_id=line)
    assert payable["quantity"] == 3


async def test_statements_follow_the_regions_local_month(client, county):
    """A sale paid at 23:30 UTC on the last day of a month is the next month in Shanghai."""
    seller, entry = await pool_entry(client, county, stock_at_base=10)
    paid = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 2026-11-01 07:30 in Asia/Shanghai
    line = uuid.uuid4()
    sale_line(county, entry, line_id=line, quantity=2, paid_at=paid)
    await until_stock(client, county.operator, entry["product_id"], sold=2)

    async def statement(period: str) -> dict:
        r = await client.get(
            f"{L}/consignment/statements/{seller.org_id}/{period}", headers=seller.headers
        )
        assert r.status_code == 200, r.text
        return r.json()

    october, november = await statement("2026-10"), await statement("2026-11")
    assert october["sold"] == 0 and october["payable_fen"] == 0
    assert november["sold"] == 2 and november["payable_fen"] == 4000
    assert november["starts_at"].startswith("2026-10-31T16:00:00")
    r = await client.get(
        f"{L}/consignment/statements/{seller.org_id}/2026-13", headers=seller.headers
    )
    assert r.status_code == 422


async def test_the_stock_cap_never_exceeds_what_is_on_hand(client, county):
    _, entry = await pool_entry(client, county, stock_at_base=8)
    li = await streamer(client, county)
    studio = await room(client, county)
    r = await book(client, li, studio["id"], at(10), at(12))
    assert r.status_code == 201, r.text
    r = await client.post(
        f"{L}/sessions",
        json={"booking_id": r.json()["id"], "platform": "douyin", "title": "封丘好物"},
        headers=li.headers,
    )
    assert r.status_code == 201, r.text
    session_id = r.json()["id"]

    async def lineup(cap: int):
        return await client.put(
            f"{L}/sessions/{session_id}/lineup",
            json={"items": [{"pool_entry_id": entry["id"], "live_price_fen": 3990, "stock_cap": cap}]},
            headers=li.headers,
        )  # fmt: skip

    r = await lineup(9)
    assert r.status_code == 422 and r.json()["type"].endswith("livestream-cap-over-on-hand")
    assert r.json()["errors"][0]["field"] == "items.0.stock_cap"
    r = await lineup(8)
    assert r.status_code == 200, r.text
    item_id = r.json()["lineup"][0]["id"]
    # goods leave the base: going live re-checks the cap against on hand
    stock = await stock_of(client, county.operator, entry["product_id"])
    assert stock is not None
    r = await client.post(
        f"{L}/consignment/stock/{stock['id']}/damages",
        json={"quantity": 2, "reason": "破损"},
        headers=county.operator.headers,
    )
    assert r.status_code == 201
    r = await client.post(f"{L}/sessions/{session_id}/start", json={}, headers=li.headers)
    assert r.status_code == 422 and r.json()["type"].endswith("livestream-cap-over-on-hand")
    r = await client.patch(
        f"{L}/sessions/{session_id}/lineup/{item_id}", json={"stock_cap": 7}, headers=li.headers
    )
    assert r.status_code == 422
    r = await client.patch(
        f"{L}/sessions/{session_id}/lineup/{item_id}", json={"stock_cap": 6}, headers=li.headers
    )
    assert r.status_code == 200, r.text
    r = await client.post(f"{L}/sessions/{session_id}/start", json={}, headers=li.headers)
    assert r.status_code == 200, r.text


async def test_a_supplier_sees_only_its_own_consignment(client, county):
    seller, entry = await pool_entry(client, county, stock_at_base=5)
    other, theirs = await pool_entry(client, county, stock_at_base=7)
    mine = await stock_of(client, seller, entry["product_id"])
    assert mine is not None and mine["on_hand"] == 5
    r = await client.get(f"{L}/consignment/stock", headers=seller.headers)
    assert [s["product_id"] for s in r.json()["items"]] == [entry["product_id"]]
    assert await stock_of(client, seller, theirs["product_id"]) is None
    their_stock = await stock_of(client, other, theirs["product_id"])
    assert their_stock is not None
    period = local_month(county)
    for path in (
        f"/consignment/stock/{their_stock['id']}",
        f"/consignment/stock/{their_stock['id']}/movements",
        f"/consignment/statements/{other.org_id}/{period}",
        f"/consignment/statements/{other.org_id}/{period}/xlsx",
    ):
        r = await client.get(L + path, headers=seller.headers)
        assert r.status_code == 404, (path, r.text)
    # a supplier reads but does not operate the base
    r = await client.post(
        f"{L}/consignment/stock/{mine['id']}/stocktakes",
        json={"counted": 5},
        headers=seller.headers,
    )
    assert r.status_code == 403
    # the operator sees both
    operator = await listed(client, "/consignment/stock", county.operator.headers)
    assert {s["product_id"] for s in operator} >= {entry["product_id"], theirs["product_id"]}


async def test_racing_returns_never_take_the_goods_below_zero(client, county):
    import asyncio

    _, entry = await pool_entry(client, county, stock_at_base=10)
    stock = await stock_of(client, county.operator, entry["product_id"])
    assert stock is not None

    async def send_back():
        return await client.post(
            f"{L}/consignment/stock/{stock['id']}/returns",
            json={"quantity": 3, "destination": "supplier"},
            headers=county.operator.headers,
        )

    results = await asyncio.gather(*(send_back() for _ in range(6)))
    assert sorted(r.status_code for r in results) == [201, 201, 201, 409, 409, 409]
    after = await stock_of(client, county.operator, entry["product_id"])
    assert after is not None and (after["returned"], after["on_hand"]) == (9, 1)


async def test_an_imported_export_sells_consigned_goods_and_a_refund_brings_them_back(
    client, county
):
    """The whole way: the platform's export (CSV, then XLSX) → sale lines →
    `livestream.sale_line.recorded` → the base's on hand and the supplier's payable."""
    from openpyxl import Workbook

    seller, entry = await pool_entry(client, county, stock_at_base=10)
    r = await client.put(
        f"{L}/platform-products",
        json={
            "region_id": str(county.region_id),
            "platform": "douyin",
            "platform_product_id": "DY-CONSIGN-1",
            "pool_entry_id": entry["id"],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 204, r.text
    header = ["order_id", "product_id", "author_id", "pay_amount", "commission_rate",
              "flow_point", "pay_success_time", "settle_time", "refund_time", "item_num"]  # fmt: skip
    paid = datetime.now(UTC).replace(microsecond=0).isoformat()
    tag = uuid.uuid4().hex[:8]
    rows = [
        [f"C{tag}1", "DY-CONSIGN-1", "", "11970", "2000", "PAY_SUCC", paid, "", "", "3"],
        [f"C{tag}2", "DY-CONSIGN-1", "", "7980", "2000", "PAY_SUCC", paid, "", "", "2"],
    ]

    async def upload(data: bytes, name: str) -> dict:
        r = await client.post(
            f"{L}/sales/import",
            data={"region_id": str(county.region_id), "platform": "douyin"},
            files={"file": (name, data, "application/octet-stream")},
            headers=county.operator.headers,
        )
        assert r.status_code == 200, r.text
        return r.json()

    csv_text = "\n".join(",".join(x) for x in [header, *rows]) + "\n"
    assert (await upload(csv_text.encode(), "douyin.csv"))["created"] == 2
    await until_stock(client, seller, entry["product_id"], sold=5, on_hand=5)
    # the next export (as XLSX): the second order was refunded before settlement
    rows[1][5], rows[1][8] = "REFUND", paid
    book = Workbook()
    for values in [header, *rows]:
        book.active.append(values)
    out = io.BytesIO()
    book.save(out)
    assert (await upload(out.getvalue(), "douyin.xlsx"))["updated"] == 1
    await until_stock(client, seller, entry["product_id"], sold=3, on_hand=7)
    r = await client.get(f"{L}/pool/entries/{entry['id']}", headers=seller.headers)
    assert r.json()["stock_at_base"] == 7
    r = await client.get(
        f"{L}/consignment/statements/{seller.org_id}/{local_month(county)}",
        headers=seller.headers,
    )
    assert (r.json()["sold"], r.json()["payable_fen"]) == (3, 3 * 2000)
