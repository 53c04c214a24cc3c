"""Warehouse staff book goods in and out; balances always match the movements ledger."""

from __future__ import annotations

from tests.factories import add_member, new_county
from tests.repository.factories import R, new_buyer, new_supplier, new_variant
from tests.repository.order_factories import new_warehouse, receive, stock_of, verify

OUT_OF_STOCK = "https://county-market.dev/problems/repository-out-of-stock"


async def test_operator_books_receipts_adjustments_returns_and_transfers(client, county):
    supplier = await new_supplier(client, county)
    variant = str(await new_variant(client, county, supplier))
    main = await new_warehouse(client, county, name="封丘县仓储中心")
    branch = await new_warehouse(client, county, name="应举镇前置仓", is_county_warehouse=False)
    staff = await add_member(client, county.operator, ["staff"])
    headers = staff.headers

    movement = await receive(client, county, main["id"], variant, 40)
    assert (movement["kind"], movement["cases"], movement["on_hand_after"]) == ("receipt", 40, 40)

    r = await client.post(
        f"{R}/warehouses/{main['id']}/adjustments",
        json={"variant_id": variant, "cases": -3, "reason": "破损 3 箱"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["on_hand_after"] == 37
    assert r.json()["actor_user_id"] == str(staff.user_id)

    r = await client.post(
        f"{R}/warehouses/{main['id']}/returns",
        json={"variant_id": variant, "cases": 2, "reason": "门店退货"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["available_after"] == 39

    r = await client.post(
        f"{R}/warehouses/{main['id']}/transfers",
        json={"to_warehouse_id": branch["id"], "variant_id": variant, "cases": 9},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    out, into = r.json()
    assert (out["kind"], out["warehouse_id"], out["on_hand_after"]) == (
        "transfer_out",
        main["id"],
        30,
    )
    assert (into["kind"], into["warehouse_id"], into["on_hand_after"]) == (
        "transfer_in",
        branch["id"],
        9,
    )

    level = await stock_of(client, county, main["id"], variant)
    assert (level["on_hand"], level["reserved"], level["available"]) == (30, 0, 30)
    assert (await stock_of(client, county, branch["id"], variant))["on_hand"] == 9

    r = await client.get(
        f"{R}/warehouses", params={"region_id": str(county.region_id)}, headers=headers
    )
    assert {w["id"] for w in r.json()["items"]} == {main["id"], branch["id"]}

    # The ledger, newest first, a page at a time.
    r = await client.get(
        f"{R}/warehouses/{main['id']}/movements", params={"limit": 2}, headers=headers
    )
    assert r.status_code == 200
    first = r.json()
    assert [m["kind"] for m in first["items"]] == ["transfer_out", "return"]
    r = await client.get(
        f"{R}/warehouses/{main['id']}/movements",
        params={"limit": 2, "cursor": first["next_cursor"]},
        headers=headers,
    )
    assert [m["kind"] for m in r.json()["items"]] == ["adjustment", "receipt"]
    assert r.json()["next_cursor"] is None

    for warehouse in (main, branch):
        report = await verify(client, county, warehouse["id"])
        assert report["consistent"] is True
        assert report["drift"] == []
        assert report["variants_checked"] == 1


async def test_stock_never_goes_below_zero_and_a_refused_booking_changes_nothing(client, county):
    supplier = await new_supplier(client, county)
    variant = str(await new_variant(client, county, supplier))
    main = await new_warehouse(client, county)
    branch = await new_warehouse(client, county, is_county_warehouse=False)
    await receive(client, county, main["id"], variant, 5)
    headers = county.operator.headers

    r = await client.post(
        f"{R}/warehouses/{main['id']}/adjustments",
        json={"variant_id": variant, "cases": -6, "reason": "盘点"},
        headers=headers,
    )
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == OUT_OF_STOCK

    r = await client.post(
        f"{R}/warehouses/{main['id']}/transfers",
        json={"to_warehouse_id": branch["id"], "variant_id": variant, "cases": 6},
        headers=headers,
    )
    assert r.status_code == 409
    assert (await stock_of(client, county, main["id"], variant))["on_hand"] == 5
    assert (await stock_of(client, county, branch["id"], variant))["on_hand"] == 0

    # An adjustment needs its reason and a non-zero count; a receipt needs whole cases.
    r = await client.post(
        f"{R}/warehouses/{main['id']}/adjustments",
        json={"variant_id": variant, "cases": 2},
        headers=headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"].endswith("reason")
    r = await client.post(
        f"{R}/warehouses/{main['id']}/adjustments",
        json={"variant_id": variant, "cases": 0, "reason": "盘点"},
        headers=headers,
    )
    assert r.status_code == 422
    r = await client.post(
        f"{R}/warehouses/{main['id']}/receipts",
        json={"variant_id": variant, "cases": -1},
        headers=headers,
    )
    assert r.status_code == 422
    r = await client.post(
        f"{R}/warehouses/{main['id']}/receipts",
        json={"variant_id": "6b0e8f0e-3f5e-4c55-9a55-1d1c4e2f3a10", "cases": 1},
        headers=headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "unknown_variant"
    r = await client.post(
        f"{R}/warehouses/{main['id']}/transfers",
        json={"to_warehouse_id": main["id"], "variant_id": variant, "cases": 1},
        headers=headers,
    )
    assert r.status_code == 422

    movements = await client.get(f"{R}/warehouses/{main['id']}/movements", headers=headers)
    assert [m["kind"] for m in movements.json()["items"]] == ["receipt"]
    assert (await verify(client, county, main["id"]))["consistent"] is True


async def test_only_the_regions_operator_sees_and_moves_its_stock(client, admin, county):
    supplier = await new_supplier(client, county)
    variant = str(await new_variant(client, county, supplier))
    main = await new_warehouse(client, county)
    station = await new_buyer(client, county)
    other = await new_county(client, admin, name="长垣市")

    for outsider in (station, supplier, other.operator):
        r = await client.post(
            f"{R}/warehouses/{main['id']}/receipts",
            json={"variant_id": variant, "cases": 1},
            headers=outsider.headers,
        )
        # another's warehouse does not exist for them (DESIGN: a foreign id is a 404)
        assert r.status_code == 404, r.text
        r = await client.get(f"{R}/warehouses/{main['id']}/stock", headers=outsider.headers)
        assert r.status_code == 404
        r = await client.post(
            f"{R}/warehouses",
            json={"region_id": str(county.region_id), "code": "x1", "name": "仓"},
            headers=outsider.headers,
        )
        assert r.status_code == 403

    r = await client.post(
        f"{R}/warehouses",
        json={"region_id": str(county.region_id), "code": main["code"], "name": "重复"},
        headers=county.operator.headers,
    )
    assert r.status_code == 409
    assert (await stock_of(client, county, main["id"], variant))["on_hand"] == 0
