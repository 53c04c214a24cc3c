"""A product carries the public brand only while its supplier's licence is active."""

from __future__ import annotations

from tests.catalog.helpers import (
    approved,
    categories,
    category,
    in_days,
    png,
    public_list,
    run_daily_check,
    search,
    supplier,
)
from tests.factories import eventually


async def make_brand(client, county, name="封丘树莓"):
    await categories(client, county)
    r = await client.post(
        "/v1/catalog/brands",
        json={
            "region_id": str(county.region_id),
            "name": name,
            "story": "黄河故道沙土地，树莓酸甜适口。",
            "categories": ["树莓", "金银花", "芹菜"],
            "trademark_classes": [29, 31],
            "vi_assets": [{"name": "标准色", "value": "#C8102E"}],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def license(client, county, brand, seller, product_ids, **kw):
    r = await client.post(
        f"/v1/catalog/brands/{brand['id']}/licences",
        json={
            "supplier_id": str(seller.org_id),
            "product_ids": product_ids,
            "valid_from": kw.get("valid_from", in_days(-1)),
            "valid_until": kw.get("valid_until", in_days(365)),
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def branded_ids(client, county) -> set[str]:
    return {p["id"] for p in await public_list(client, county, branded="true")}


async def brand_in_search(client, county, pid) -> str | None:
    hits = (await search(client, county, q="树莓"))["hits"]
    return next((h["brand"] for h in hits if h["id"] == pid), "missing")


async def test_suspended_licence_drops_products_from_branded_catalog_and_search(client, county):
    brand = await make_brand(client, county)
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    pid = product["id"]
    assert product["brand"] is None
    await eventually(lambda: _brand_is(client, county, pid, None))

    licence = await license(client, county, brand, seller, [pid])
    assert licence["status"] == "active"
    assert pid in await branded_ids(client, county)
    detail = (await client.get(f"/v1/catalog/products/{pid}")).json()
    assert detail["brand"] == "封丘树莓"
    await eventually(lambda: _brand_is(client, county, pid, "封丘树莓"))
    await eventually(lambda: _facet_brands(client, county, {"封丘树莓": 1}))

    r = await client.post(
        f"/v1/catalog/licences/{licence['id']}/suspend",
        json={"reason": "抽检不合格，暂停授权"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    # At once in the branded catalog; within seconds in search. Still on sale, unbranded.
    assert pid not in await branded_ids(client, county)
    assert (await client.get(f"/v1/catalog/products/{pid}")).json()["brand"] is None
    # Search hits are checked against the database, so the brand is gone from them at once
    # (the index itself catches up through the outbox).
    assert await brand_in_search(client, county, pid) is None
    r = await search(client, county, q="树莓", brand="封丘树莓")
    assert r["hits"] == []
    await eventually(lambda: _facet_brands(client, county, {}))

    r = await client.post(
        f"/v1/catalog/licences/{licence['id']}/reinstate", json={}, headers=county.operator.headers
    )
    assert r.json()["status"] == "active"
    assert [h["action"] for h in r.json()["history"]] == ["grant", "suspend", "reinstate"]
    assert pid in await branded_ids(client, county)
    await eventually(lambda: _brand_is(client, county, pid, "封丘树莓"))


async def _facet_brands(client, county, expected) -> bool:
    return (await search(client, county, q="树莓"))["facets"]["brand"] == expected


async def _brand_is(client, county, pid, expected) -> bool:
    return await brand_in_search(client, county, pid) == expected


async def test_lapsed_licence_expires_in_the_daily_job_and_renewal_restores(client, county):
    brand = await make_brand(client, county)
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    licence = await license(client, county, brand, seller, [product["id"]], valid_until=in_days(3))
    assert product["id"] in await branded_ids(client, county)

    run_daily_check(county, days_from_now=5)

    async def expired() -> bool:
        r = await client.get(
            f"/v1/catalog/licences/{licence['id']}", headers=county.operator.headers
        )
        return r.json()["status"] == "expired"

    await eventually(expired)
    assert product["id"] not in await branded_ids(client, county)
    r = await client.post(
        f"/v1/catalog/licences/{licence['id']}/renew",
        json={"valid_until": in_days(400)},
        headers=county.operator.headers,
    )
    assert r.json()["status"] == "active"
    assert product["id"] in await branded_ids(client, county)


async def test_licence_must_name_the_suppliers_own_products_in_brand_categories(client, county):
    brand = await make_brand(client, county)
    seller = await supplier(client, county)
    other = await supplier(client, county)
    theirs = await approved(client, county, other)
    await category(client, county, "辣椒")
    pepper = await approved(client, county, seller, category="辣椒")
    r = await client.post(
        f"/v1/catalog/brands/{brand['id']}/licences",
        json={
            "supplier_id": str(seller.org_id),
            "product_ids": [theirs["id"], pepper["id"]],
            "valid_from": in_days(0),
            "valid_until": in_days(30),
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 422
    assert r.json()["type"].endswith("catalog-licence-products-invalid")
    assert len(r.json()["errors"]) == 2
    # Suppliers cannot create brands or licences; they see their own licences only.
    r = await client.post(
        "/v1/catalog/brands",
        json={"region_id": str(county.region_id), "name": "冒牌"},
        headers=seller.headers,
    )
    assert r.status_code == 403
    licence = await license(client, county, brand, other, [theirs["id"]])
    r = await client.get(f"/v1/catalog/licences/{licence['id']}", headers=seller.headers)
    assert r.status_code == 404


async def test_brand_is_public_with_logo_and_etag(client, county):
    brand = await make_brand(client, county, name="封丘金银花")
    r = await client.put(
        f"/v1/catalog/brands/{brand['id']}/logo",
        files={"file": ("logo.png", png("gold", (200, 200)), "image/png")},
        headers=county.operator.headers,
    )
    assert r.status_code == 200 and r.json()["logo_url"]
    r = await client.get("/v1/catalog/brands", params={"region_id": str(county.region_id)})
    assert [b["name"] for b in r.json()["items"]] == ["封丘金银花"]
    r2 = await client.get(
        "/v1/catalog/brands",
        params={"region_id": str(county.region_id)},
        headers={"If-None-Match": r.headers["etag"]},
    )
    assert r2.status_code == 304
    logo = await client.get(f"/v1/catalog/brands/{brand['id']}/logo")
    assert logo.status_code == 200 and logo.content.startswith(b"\x89PNG")


async def test_a_licence_whose_end_date_passed_is_created_expired(client, county):
    brand = await make_brand(client, county)
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    pid = product["id"]
    licence = await license(
        client, county, brand, seller, [pid], valid_from=in_days(-400), valid_until=in_days(-1)
    )
    assert licence["status"] == "expired", licence
    assert "renew" in licence["allowed_actions"]
    r = await client.get(f"/v1/catalog/licences/{licence['id']}", headers=county.operator.headers)
    assert [(h["action"], h["to_status"]) for h in r.json()["history"]] == [("grant", "expired")]
    # the product sells on, unbranded
    detail = (await client.get(f"/v1/catalog/products/{pid}")).json()
    assert detail["brand"] is None
    assert pid not in await branded_ids(client, county)
