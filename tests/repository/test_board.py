"""The operator's cut-off board of a window: orders by status, purchase orders by
supplier with their state, shortages per variant; and the same as a workbook."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.factories import new_county
from tests.repository.factories import R
from tests.repository.purchasing_stories import closed_window, consolidate, purchase_orders


async def window_with_a_shortage(client, county):
    """The closed window, consolidated; the celery farm confirms 1 of its 3 cases."""
    w = await closed_window(client, county)
    await consolidate(client, county, w.window_date)
    [celery_po] = await purchase_orders(client, w.supplier_b)
    r = await client.post(
        f"{R}/purchase-orders/{celery_po['id']}/confirm",
        json={"lines": [{"variant_id": w.celery["variant_id"], "confirmed_cases": 1}]},
        headers=w.supplier_b.headers,
    )
    assert r.status_code == 200, r.text
    return w


async def test_board_shows_orders_purchase_orders_and_shortages_of_the_window(client, county):
    w = await window_with_a_shortage(client, county)

    r = await client.get(f"{w.path}/board", headers=county.operator.headers)

    assert r.status_code == 200, r.text
    board = r.json()
    assert board["consolidation"]["status"] == "done"
    first = 10 * 34000 + 4 * 12000 + 5 * 8000
    second = 6 * 36000 + 3 * 5000 - 2 * 5000  # two cases of celery will not come
    third, unpaid = 2 * 8000, 7 * 36000
    assert board["totals"] == {
        "orders": 4,
        "lines": 7,
        "cases": 19 + 9 + 2 + 7,
        "buyers": 3,
        "value_fen": first + second + third + unpaid,
        "shortened_fen": 2 * 5000,
    }
    assert {g["status"]: (g["orders"], g["lines"], g["buyers"], g["value_fen"]) for g in board["orders_by_status"]} == {
        "placed": (1, 1, 1, unpaid),
        "purchased": (2, 5, 2, first + second),
        "ready_for_delivery": (1, 1, 1, third),
    }  # fmt: skip
    assert [o["number"] for o in board["orders"]] == sorted(o["number"] for o in board["orders"])
    pos = {p["supplier_id"]: p for p in board["purchase_orders"]}
    honey_po, celery_po = pos[str(w.supplier_a.org_id)], pos[str(w.supplier_b.org_id)]
    assert (honey_po["status"], honey_po["lines"], honey_po["ordered_cases"]) == ("sent", 2, 20)
    assert honey_po["confirmed_cases"] is None
    assert honey_po["supplier_name"] == "封丘县金银花种植合作社"
    assert (celery_po["status"], celery_po["ordered_cases"], celery_po["confirmed_cases"]) == (
        "partially_confirmed",
        3,
        1,
    )
    [shortage] = board["shortages"]
    assert shortage["variant_id"] == w.celery["variant_id"]
    assert shortage["product_name"] == "封芹"
    assert (shortage["ordered_cases"], shortage["shortened_cases"]) == (3, 2)
    assert (shortage["shortened_fen"], shortage["orders_affected"]) == (10000, 1)


async def test_board_workbook_has_orders_purchase_orders_and_shortages_sheets(client, county):
    w = await window_with_a_shortage(client, county)

    r = await client.get(f"{w.path}/board.xlsx", headers=county.operator.headers)

    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Orders", "Purchase orders", "Shortages"]
    orders = list(book["Orders"].iter_rows(values_only=True))
    assert orders[0][:4] == ("订单号", "采购方", "状态", "支付方式")
    assert len(orders) == 1 + 4
    statuses = sorted(row[2] for row in orders[1:])
    assert statuses == sorted(["已采购", "已采购", "待配送", "已下单"])
    pos = list(book["Purchase orders"].iter_rows(values_only=True))
    assert pos[0][:3] == ("采购单号", "供应商", "状态")
    by_supplier = {row[1]: row for row in pos[1:]}
    assert by_supplier["应举镇芹菜家庭农场"][2] == "部分确认"
    assert by_supplier["应举镇芹菜家庭农场"][5:7] == (3, 1)
    shortages = list(book["Shortages"].iter_rows(values_only=True))
    assert shortages[0] == (
        "商品",
        "规格",
        "供应商",
        "订购箱数",
        "缺货箱数",
        "缺货金额(元)",
        "受影响订单数",
    )
    assert shortages[1][0] == "封芹"
    assert shortages[1][3:] == (3, 2, 100.0, 1)


async def test_only_the_regions_operator_sees_the_board(client, admin, county):
    w = await closed_window(client, county)
    elsewhere = await new_county(client, admin)

    for actor in (w.stations[0], w.supplier_a, elsewhere.operator):
        for suffix in ("board", "board.xlsx"):
            r = await client.get(f"{w.path}/{suffix}", headers=actor.headers)
            assert r.status_code == 403, (actor.kind, suffix)
    r = await client.get(f"{w.path}/board")
    assert r.status_code == 401
