"""The operator's lists of the repository come a page at a time: following `next_cursor`
shows every buyer, warehouse and transfer exactly once, in the documented order; another
county's operator sees none of them."""

from __future__ import annotations

from typing import Any

from tests.factories import new_county
from tests.repository.factories import R, new_buyer, supply
from tests.repository.order_factories import new_warehouse, receive


async def walk(client, path: str, headers: dict[str, str], **params: Any) -> list[list[dict]]:
    """Every page of a list, following next_cursor until it is null."""
    pages: list[list[dict]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await client.get(path, params=query, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 50, "the cursor never ends"


async def test_the_operator_pages_through_the_countys_buyers_by_name(client, county):
    names = ["城关镇北街服务站", "应举镇东村服务站", "黄陵镇西村小卖部"]
    buyers = [await new_buyer(client, county, name=names[0])]
    buyers.append(await new_buyer(client, county, name=names[1]))
    buyers.append(await new_buyer(client, county, "retailer", name=names[2]))
    region = {"region_id": str(county.region_id)}

    pages = await walk(client, f"{R}/buyers", county.operator.headers, limit=2, **region)
    seen = [b["org_id"] for page in pages for b in page]
    assert len(seen) == len(set(seen)), "a buyer shown twice"
    assert {str(b.org_id) for b in buyers} <= set(seen)
    assert all(len(page) <= 2 for page in pages) and len(pages) >= 2
    listed = [b["name"] for page in pages for b in page]
    assert listed == sorted(listed)
    # newest first by when the account opened, the same buyers
    newest = await walk(
        client, f"{R}/buyers", county.operator.headers, sort="-created_at", **region
    )
    assert sorted(b["org_id"] for page in newest for b in page) == sorted(seen)

    r = await client.get(
        f"{R}/buyers", params={**region, "sort": "credit"}, headers=county.operator.headers
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "sort"
    r = await client.get(
        f"{R}/buyers", params={**region, "limit": 101}, headers=county.operator.headers
    )
    assert r.status_code == 422


async def test_warehouses_and_their_ledger_page_once_each(client, county):
    made = [await new_warehouse(client, county, name=f"{n}仓") for n in ("城关", "应举", "黄陵")]
    region = {"region_id": str(county.region_id)}
    pages = await walk(client, f"{R}/warehouses", county.operator.headers, limit=2, **region)
    assert [len(page) for page in pages] == [2, 1]
    assert [w["id"] for page in pages for w in page] == [
        w["id"] for w in made
    ]  # first opened first
    by_code = await walk(client, f"{R}/warehouses", county.operator.headers, sort="-code", **region)
    codes = [w["code"] for page in by_code for w in page]
    assert codes == sorted((w["code"] for w in made), reverse=True)

    offer = await supply(client, county)
    for cases in (5, 7, 9):
        await receive(client, county, made[0]["id"], offer["variant_id"], cases)
    path = f"{R}/warehouses/{made[0]['id']}/movements"
    oldest_first = await walk(client, path, county.operator.headers, limit=2, sort="seq")
    assert [m["cases"] for page in oldest_first for m in page] == [5, 7, 9]
    r = await client.get(path, params={"sort": "at"}, headers=county.operator.headers)
    assert r.status_code == 422


async def test_consignment_transfers_page_newest_first(client, county):
    offer = await supply(client, county)
    warehouse = await new_warehouse(client, county)
    await receive(client, county, warehouse["id"], offer["variant_id"], 20)
    sent = []
    for cases in (1, 2, 3):
        r = await client.post(
            f"{R}/consignment/transfers",
            json={"warehouse_id": warehouse["id"], "offer_id": offer["id"], "cases": cases},
            headers=county.operator.headers,
        )
        assert r.status_code == 201, r.text
        sent.append(r.json()["id"])
    region = {"region_id": str(county.region_id)}
    pages = await walk(
        client, f"{R}/consignment/transfers", county.operator.headers, limit=2, **region
    )
    assert [len(page) for page in pages] == [2, 1]
    assert [t["id"] for page in pages for t in page] == sent[::-1]
    oldest = await walk(
        client, f"{R}/consignment/transfers", county.operator.headers, sort="at", **region
    )
    assert [t["id"] for page in oldest for t in page] == sent
    returns = await walk(client, f"{R}/consignment/returns", county.operator.headers, **region)
    assert returns == [[]]


async def test_another_countys_operator_sees_none_of_these_lists(client, admin, county):
    buyer = await new_buyer(client, county)
    offer = await supply(client, county)
    warehouse = await new_warehouse(client, county)
    await receive(client, county, warehouse["id"], offer["variant_id"], 4)
    r = await client.post(
        f"{R}/consignment/transfers",
        json={"warehouse_id": warehouse["id"], "offer_id": offer["id"], "cases": 1},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    elsewhere = await new_county(client, admin, name="长垣市")
    outsider = elsewhere.operator.headers
    # the region is no secret (the kernel's rule: 403), its objects are (404), and the
    # outsider's own county lists none of this county's rows
    for path in ("/buyers", "/warehouses", "/consignment/transfers", "/consignment/returns"):
        r = await client.get(
            f"{R}{path}", params={"region_id": str(county.region_id)}, headers=outsider
        )
        assert r.status_code == 403, (path, r.text)
        own = await walk(client, f"{R}{path}", outsider, region_id=str(elsewhere.region_id))
        assert own == [[]], path
    for path in ("stock", "movements"):
        r = await client.get(f"{R}/warehouses/{warehouse['id']}/{path}", headers=outsider)
        assert r.status_code == 404, (path, r.text)
    for path in ("buy-again", "suggestions"):
        r = await client.get(f"{R}/buyers/{buyer.org_id}/{path}", headers=outsider)
        assert r.status_code == 404, (path, r.text)
