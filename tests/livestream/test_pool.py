"""The selection pool: only products on sale with a valid brand licence stay; streamers
browse it from the pool's own Meilisearch index, or PostgreSQL when the index is away."""

from __future__ import annotations

from tests.factories import eventually
from tests.livestream.helpers import L, branded_product, open_to_pool, pool_entry, streamer


async def browse(client, actor, county, **params):
    r = await client.get(
        f"{L}/pool", params={"region_id": str(county.region_id), **params}, headers=actor.headers
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_product_whose_licence_lapses_leaves_the_pool_and_returns(client, county):
    seller, product, licence = await branded_product(client, county)
    entry = await open_to_pool(client, seller, product["id"])
    assert entry["status"] == "active" and entry["brand"] == "封丘树莓"
    li = await streamer(client, county)
    r = await client.post(
        f"/v1/catalog/licences/{licence['id']}/suspend",
        json={"reason": "抽检不合格"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text

    async def status() -> str:
        r = await client.get(f"{L}/pool/entries/{entry['id']}", headers=seller.headers)
        return r.json()["status"]

    await eventually(lambda: _is(status, "lapsed"), timeout=30)
    lapsed = (await client.get(f"{L}/pool/entries/{entry['id']}", headers=seller.headers)).json()
    assert lapsed["status_reason"] == "no valid brand licence"
    # streamers no longer find it, nor may they see the lapsed entry
    assert entry["id"] not in {
        h["id"] for h in (await browse(client, li, county, source="database"))["hits"]
    }
    assert (
        await client.get(f"{L}/pool/entries/{entry['id']}", headers=li.headers)
    ).status_code == 404
    r = await client.post(
        f"/v1/catalog/licences/{licence['id']}/reinstate", json={}, headers=county.operator.headers
    )
    assert r.status_code == 200
    await eventually(lambda: _is(status, "active"), timeout=30)


async def _is(status, expected: str) -> bool:
    return await status() == expected


async def test_a_product_without_a_brand_licence_cannot_enter(client, county):
    from tests.catalog.helpers import approved, supplier

    seller = await supplier(client, county)
    product = await approved(client, county, seller)

    # catalog publishes it (on sale, unbranded): livestream learns it and refuses it
    async def refused() -> bool:
        r = await client.post(
            f"{L}/pool/entries",
            json={
                "product_id": product["id"],
                "supply_price_fen": 1,
                "suggested_retail_fen": 3,
                "floor_price_fen": 2,
            },
            headers=seller.headers,
        )
        return r.status_code == 422 and r.json()["type"].endswith("livestream-not-in-pool")

    await eventually(refused, timeout=30)


async def test_another_supplier_cannot_open_my_product(client, county):
    seller, product, _ = await branded_product(client, county)
    await open_to_pool(client, seller, product["id"])
    other, _ = await pool_entry(client, county)
    _, mine, _ = await branded_product(client, county, seller)
    r = await client.post(
        f"{L}/pool/entries",
        json={
            "product_id": mine["id"],
            "supply_price_fen": 1,
            "suggested_retail_fen": 3,
            "floor_price_fen": 2,
        },
        headers=other.headers,
    )
    assert r.status_code == 404


async def test_browse_in_chinese_and_pinyin_sorted_by_commission_with_a_database_fallback(
    client, county
):
    seller, jam = await pool_entry(client, county)
    _, honey_product, _ = await branded_product(
        client,
        county,
        seller,
        name="封丘金银花茶",
        pinyin="fengqiu jinyinhua cha",
        category="金银花",
    )
    honey = await open_to_pool(
        client, seller, honey_product["id"], suggested_retail_fen=5980, floor_price_fen=4990
    )
    for entry, rate in ((jam, 1000), (honey, 3000)):
        r = await client.post(
            f"{L}/plans",
            json={"pool_entry_id": entry["id"], "kind": "open", "rate_bps": rate},
            headers=seller.headers,
        )
        assert r.status_code == 201, r.text
    li = await streamer(client, county)

    async def indexed() -> bool:
        page = await browse(client, li, county)
        return page["source"] == "meilisearch" and [h["id"] for h in page["hits"]] == [
            honey["id"],
            jam["id"],
        ]

    await eventually(indexed, timeout=30)
    page = await browse(client, li, county, q="jinyinhua")
    assert [h["id"] for h in page["hits"]] == [honey["id"]]
    page = await browse(client, li, county, q="果酱")
    assert [h["id"] for h in page["hits"]] == [jam["id"]]
    page = await browse(client, li, county, min_commission_bps=2000)
    assert [h["id"] for h in page["hits"]] == [honey["id"]]
    page = await browse(client, li, county, category="金银花", sort="price")
    assert [h["id"] for h in page["hits"]] == [honey["id"]]
    # the same answers from PostgreSQL
    page = await browse(client, li, county, source="database")
    assert page["source"] == "database"
    assert [h["id"] for h in page["hits"]] == [honey["id"], jam["id"]]
    page = await browse(client, li, county, source="database", q="jinyinhua")
    assert [h["id"] for h in page["hits"]] == [honey["id"]]
