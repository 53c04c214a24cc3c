"""The apps and the console page through the catalog's lists with a cursor."""

from __future__ import annotations

from tests.catalog.helpers import M, approved, supplier
from tests.catalog.test_brand import license, make_brand
from tests.catalog.test_certificates import add
from tests.delivery.test_lists import all_pages, revalidates


def ids(pages: list[list[dict]]) -> list[str]:
    return [item["id"] for page in pages for item in page]


async def test_a_countys_brands_come_a_page_at_a_time_by_name(client, county):
    made = [
        await make_brand(client, county, name) for name in ("封丘金银花", "封丘树莓", "封丘芹菜")
    ]
    params = {"region_id": str(county.region_id)}
    pages = await all_pages(client, "/v1/catalog/brands", {}, limit=2, **params)
    assert [len(p) for p in pages] == [2, 1]
    assert sorted(ids(pages)) == sorted(b["id"] for b in made)
    assert [b["name"] for page in pages for b in page] == sorted(b["name"] for b in made)
    newest = await all_pages(
        client, "/v1/catalog/brands", {}, limit=1, sort="-created_at", **params
    )
    assert ids(newest) == [b["id"] for b in reversed(made)]
    await revalidates(client, "/v1/catalog/brands", {}, **params)
    r = await client.get("/v1/catalog/brands", params={**params, "sort": "story"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "sort"


async def test_the_operator_pages_through_the_countys_licences(client, county):
    brand = await make_brand(client, county)
    sellers = [await supplier(client, county) for _ in range(3)]
    granted = [await license(client, county, brand, s, []) for s in sellers]
    h = county.operator.headers
    pages = await all_pages(client, "/v1/catalog/licences", h, limit=2)
    assert [len(p) for p in pages] == [2, 1]
    assert ids(pages) == [lic["id"] for lic in granted]
    by_number = await all_pages(client, "/v1/catalog/licences", h, limit=2, sort="-number")
    assert [x["number"] for page in by_number for x in page] == sorted(
        (lic["number"] for lic in granted), reverse=True
    )
    # a supplier pages through its own only, with the filters it always had
    mine = await all_pages(client, "/v1/catalog/licences", sellers[1].headers, limit=1)
    assert ids(mine) == [granted[1]["id"]]
    one = await all_pages(
        client, "/v1/catalog/licences", h, limit=1, supplier_id=str(sellers[2].org_id)
    )
    assert ids(one) == [granted[2]["id"]]


async def test_a_products_certificates_come_a_page_at_a_time(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    added = [
        await add(client, seller, product["id"], number=f"HGZ-2026-000{i}") for i in range(1, 4)
    ]
    url = f"{M}/products/{product['id']}/certificates"
    pages = await all_pages(client, url, seller.headers, limit=2)
    assert [len(p) for p in pages] == [2, 1]
    assert ids(pages) == [c["id"] for c in added]
    r = await client.get(url, params={"limit": 101}, headers=seller.headers)
    assert r.status_code == 422
