"""The county's managed category list: the operator keeps it, the apps filter by it, and
products and brands may only name its active categories."""

from __future__ import annotations

from tests.catalog.helpers import (
    M,
    approved,
    category,
    draft,
    product_body,
    public_list,
    search,
    supplier,
)
from tests.factories import eventually, new_county, new_org

C = "/v1/catalog/categories"


async def public_categories(client, county) -> list[dict]:
    r = await client.get(C, params={"region_id": str(county.region_id)})
    assert r.status_code == 200, r.text
    return r.json()


async def managed(client, county, **params) -> list[dict]:
    r = await client.get(
        f"{M}/categories",
        params={"region_id": str(county.region_id), **params},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_operator_keeps_the_category_list_the_apps_filter_by(client, county, admin):
    grain = await category(client, county, "粮油", position=20)
    await category(client, county, "金银花", position=10)
    tools = await category(client, county, "农资", position=30)
    assert grain["status"] == "active" and grain["allowed_actions"] == ["retire"]

    r = await client.get(C, params={"region_id": str(county.region_id)})
    assert [c["name"] for c in r.json()] == ["金银花", "粮油", "农资"]
    assert r.json()[0]["products"] == 0
    again = await client.get(
        C, params={"region_id": str(county.region_id)}, headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304

    # One name per county: a second 粮油 is a conflict, another county may have its own.
    r = await client.post(
        f"{M}/categories",
        json={"region_id": str(county.region_id), "name": "粮油"},
        headers=county.operator.headers,
    )
    assert r.status_code == 409 and r.json()["type"].endswith("catalog-category-exists")
    other = await new_county(client, admin)
    await category(client, other, "粮油")
    assert [c["name"] for c in await public_categories(client, other)] == ["粮油"]

    # Suppliers and foreign operators cannot change the list.
    seller = await new_org(client, county, "supplier")
    r = await client.post(
        f"{M}/categories",
        json={"region_id": str(county.region_id), "name": "家电"},
        headers=seller.headers,
    )
    assert r.status_code == 403
    r = await client.post(
        f"{M}/categories/{tools['id']}/retire", json={}, headers=other.operator.headers
    )
    assert r.status_code == 403

    # Retired: gone from the apps' filter, kept (and reinstatable) in the operator's list.
    r = await client.post(
        f"{M}/categories/{tools['id']}/retire",
        json={"reason": "农资改由供销社平台经营"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "retired" and r.json()["allowed_actions"] == ["reinstate"]
    assert [c["name"] for c in await public_categories(client, county)] == ["金银花", "粮油"]
    assert [c["name"] for c in await managed(client, county, status="retired")] == ["农资"]
    r = await client.post(
        f"{M}/categories/{tools['id']}/retire", json={}, headers=county.operator.headers
    )
    assert r.status_code == 409
    r = await client.post(
        f"{M}/categories/{tools['id']}/reinstate", json={}, headers=county.operator.headers
    )
    assert r.json()["status"] == "active"
    assert [(h["action"], h["to_status"]) for h in r.json()["history"]] == [
        ("create", "active"),
        ("retire", "retired"),
        ("reinstate", "active"),
    ]
    assert r.json()["history"][1]["reason"] == "农资改由供销社平台经营"
    assert len(await public_categories(client, county)) == 3


async def test_products_and_brands_name_only_active_categories_of_their_county(client, county):
    seller = await supplier(client, county)  # the county has 金银花, 树莓, 芹菜, 粮油, ...
    r = await client.post(
        f"{M}/products", json=product_body(category="辣椒"), headers=seller.headers
    )
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("catalog-category-invalid")
    assert r.json()["errors"] == [
        {
            "field": "category",
            "message": "辣椒 is not a category of the region",
            "code": "unknown_category",
        }
    ]
    r = await client.post(
        "/v1/catalog/brands",
        json={
            "region_id": str(county.region_id),
            "name": "封丘树莓",
            "categories": ["树莓", "辣椒"],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["categories.1"]
    r = await client.get("/v1/catalog/brands", params={"region_id": str(county.region_id)})
    assert r.json()["items"] == []
    r = await client.get(f"{M}/products", headers=seller.headers)
    assert r.json()["items"] == []

    # A retired category keeps what it has, and takes nothing new.
    jam = await draft(client, seller, image=False)  # 树莓
    tree = {c["name"]: c for c in await managed(client, county)}
    r = await client.post(
        f"{M}/categories/{tree['树莓']['id']}/retire", json={}, headers=county.operator.headers
    )
    assert r.status_code == 200
    sku = jam["variants"][0]["sku"]
    r = await client.put(
        f"{M}/products/{jam['id']}",
        json=product_body(sku=sku, grade="特级"),
        headers=seller.headers,
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"{M}/products", json=product_body(name="冷冻树莓"), headers=seller.headers
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "retired_category"
    r = await client.put(
        f"{M}/products/{jam['id']}",
        json=product_body(sku=sku, category="家电"),
        headers=seller.headers,
    )
    assert r.status_code == 200 and r.json()["category"] == "家电"
    r = await client.put(
        f"{M}/products/{jam['id']}",
        json=product_body(sku=sku, category="树莓"),
        headers=seller.headers,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"

    # The import reports the row whose category is not on the list, and imports nothing.
    csv_text = (
        "name,category,sku,variant_name,unit\n"
        "五得利面粉,粮油,FLOUR-5,5kg 袋,袋\n"
        "朝天椒,辣椒,PEPPER-1,1kg 袋,袋\n"
    )
    r = await client.post(
        f"{M}/products/import",
        files={"file": ("p.csv", csv_text.encode(), "text/csv")},
        headers=seller.headers,
    )
    assert r.status_code == 422, r.text
    report = {row["row"]: row for row in r.json()["report"]}
    assert report[2]["status"] == "ok"
    assert report[3]["errors"] == [
        {
            "field": "category",
            "message": "辣椒 is not a category of the region",
            "code": "unknown_category",
        }
    ]


async def test_renaming_a_category_carries_to_products_brands_and_search(client, county):
    seller = await supplier(client, county)
    celery = await approved(
        client, county, seller, name="封丘芹菜", category="芹菜", pinyin=None, name_en=None
    )
    r = await client.post(
        "/v1/catalog/brands",
        json={"region_id": str(county.region_id), "name": "封芹", "categories": ["芹菜"]},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    brand = r.json()

    async def facet_is(expected) -> bool:
        return (await search(client, county))["facets"]["category"] == expected

    await eventually(lambda: facet_is({"芹菜": 1}), timeout=30)
    listed = {c["name"]: c for c in await public_categories(client, county)}
    assert listed["芹菜"]["products"] == 1

    r = await client.put(
        f"{M}/categories/{listed['芹菜']['id']}",
        json={"name": "封芹", "position": 99},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["position"], r.json()["products"]) == ("封芹", 99, 1)
    assert r.json()["history"][-1]["action"] == "rename"
    assert r.json()["history"][-1]["from_name"] == "芹菜"

    assert (await client.get(f"/v1/catalog/products/{celery['id']}")).json()["category"] == "封芹"
    assert [p["id"] for p in await public_list(client, county, category="封芹")] == [celery["id"]]
    r = await client.get(f"/v1/catalog/brands/{brand['id']}")
    assert r.json()["categories"] == ["封芹"]
    names = [c["name"] for c in await public_categories(client, county)]
    assert names[-1] == "封芹" and "芹菜" not in names  # moved to the end of the filter
    # The index follows through the product's catalog.product.updated event.
    await eventually(lambda: facet_is({"封芹": 1}), timeout=30)

    # A name the county already uses is refused.
    r = await client.put(
        f"{M}/categories/{listed['芹菜']['id']}",
        json={"name": "粮油"},
        headers=county.operator.headers,
    )
    assert r.status_code == 409
