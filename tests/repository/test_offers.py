"""A supplier puts its goods on the repository; stations see them with their own price."""

from __future__ import annotations

import uuid

from tests.catalog.helpers import act, approved
from tests.factories import eventually, new_county, new_org
from tests.repository.factories import (
    R,
    deliver,
    new_buyer,
    new_offer,
    new_supplier,
    new_variant,
    offer_body,
    product_event,
    supply,
)


async def offers_seen_by(client, buyer, **params) -> dict[str, dict]:
    r = await client.get(f"{R}/offers", params=params, headers=buyer.headers)
    assert r.status_code == 200, r.text
    return {o["id"]: o for o in r.json()["items"]}


async def test_station_sees_offer_with_tier_price_for_its_quantity(client, county):
    offer = await supply(
        client,
        county,
        price_tiers=[
            {"min_cases": 1, "price_fen": 36000},
            {"min_cases": 10, "price_fen": 34000},
            {"min_cases": 50, "price_fen": 32000},
        ],
    )
    station = await new_buyer(client, county)

    seen = await offers_seen_by(client, station, cases=12)
    assert seen[offer["id"]]["your_price_fen"] == 34000
    assert seen[offer["id"]]["selling"] is True
    assert seen[offer["id"]]["product_name"] == "封丘金银花 特级"

    r = await client.get(f"{R}/offers/{offer['id']}", params={"cases": 60}, headers=station.headers)
    assert r.status_code == 200
    assert r.json()["your_price_fen"] == 32000
    etag = r.headers["etag"]
    again = await client.get(
        f"{R}/offers/{offer['id']}",
        params={"cases": 60},
        headers={**station.headers, "If-None-Match": etag},
    )
    assert again.status_code == 304


async def test_offer_is_only_open_to_the_buyer_kinds_and_regions_it_names(client, admin, county):
    offer = await supply(client, county, buyer_kinds=["retailer"])
    station = await new_buyer(client, county, "station")
    shop = await new_buyer(client, county, "retailer")
    elsewhere = await new_county(client, admin, name="长垣市")
    far_shop = await new_buyer(client, elsewhere, "retailer")

    assert offer["id"] not in await offers_seen_by(client, station)
    assert offer["id"] in await offers_seen_by(client, shop)
    assert offer["id"] not in await offers_seen_by(client, far_shop)
    r = await client.get(f"{R}/offers/{offer['id']}", headers=station.headers)
    assert r.status_code == 404

    supplier_headers = county.operator.headers
    r = await client.patch(
        f"{R}/offers/{offer['id']}",
        json={"open_regions": [str(elsewhere.region_id)]},
        headers=supplier_headers,
    )
    assert r.status_code == 200, r.text
    assert offer["id"] in await offers_seen_by(client, far_shop)


async def test_inconsistent_terms_are_refused_with_every_field_named(client, county):
    supplier = await new_supplier(client, county)
    variant_id = await new_variant(client, county, supplier)
    r = await client.post(
        f"{R}/offers",
        json=offer_body(
            variant_id,
            min_order_cases=5,
            price_tiers=[
                {"min_cases": 10, "price_fen": 30000},
                {"min_cases": 8, "price_fen": 32000},
            ],
        ),
        headers=supplier.headers,
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {
        "price_tiers.0.min_cases",
        "price_tiers.1.min_cases",
        "price_tiers.1.price_fen",
    }

    r = await client.post(
        f"{R}/offers", json=offer_body(variant_id, case_pack=0), headers=supplier.headers
    )
    assert r.status_code == 422
    r = await client.get(
        f"{R}/offers", params={"supplier_id": str(supplier.org_id)}, headers=supplier.headers
    )
    assert r.json()["items"] == []


async def test_one_supplier_cannot_offer_another_suppliers_variant(client, county):
    owner = await new_supplier(client, county)
    other = await new_supplier(client, county, "别家合作社")
    variant_id = await new_variant(client, county, owner)
    r = await client.post(f"{R}/offers", json=offer_body(variant_id), headers=other.headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "variant_id"

    offer = await new_offer(client, owner, variant_id)
    r = await client.post(f"{R}/offers/{offer['id']}/pause", headers=other.headers)
    assert r.status_code == 404
    r = await client.post(f"{R}/offers", json=offer_body(variant_id), headers=owner.headers)
    assert r.status_code == 409
    assert r.json()["type"].endswith("repository-offer-exists")


async def test_paused_and_withdrawn_offers_leave_the_buyers_list(client, county):
    supplier = await new_supplier(client, county)
    offer = await supply(client, county, supplier)
    station = await new_buyer(client, county)

    r = await client.post(f"{R}/offers/{offer['id']}/pause", headers=supplier.headers)
    assert r.status_code == 200 and r.json()["status"] == "paused"
    assert offer["id"] not in await offers_seen_by(client, station)
    r = await client.post(f"{R}/offers/{offer['id']}/resume", headers=supplier.headers)
    assert r.json()["selling"] is True
    assert offer["id"] in await offers_seen_by(client, station)
    r = await client.post(f"{R}/offers/{offer['id']}/withdraw", headers=supplier.headers)
    assert r.json()["status"] == "withdrawn"
    r = await client.post(f"{R}/offers/{offer['id']}/resume", headers=supplier.headers)
    assert r.status_code == 409
    assert r.json()["allowed_actions"] == []


async def test_suspended_supplier_and_delisted_product_stop_selling_at_once(client, county):
    supplier = await new_supplier(client, county)
    product_id = uuid.uuid4()
    variant_id = uuid.uuid4()
    await new_variant(client, county, supplier, product_id=product_id, variant_ids=[variant_id])
    offer = await new_offer(client, supplier, variant_id)
    station = await new_buyer(client, county)
    assert offer["id"] in await offers_seen_by(client, station)

    suspension = {
        "supplier_id": str(supplier.org_id),
        "region_id": str(county.region_id),
        "legal_name": "封丘县金银花种植合作社",
        "reason": "食品生产许可证过期",
    }
    deliver("suppliers.supplier.suspended", suspension, county.region_id)

    async def gone() -> bool:
        return offer["id"] not in await offers_seen_by(client, station)

    await eventually(gone)
    r = await client.get(f"{R}/offers/{offer['id']}", headers=supplier.headers)
    assert r.json()["selling"] is False
    assert r.json()["not_selling_reason"] == "supplier_suspended"

    deliver("suppliers.supplier.reinstated", suspension, county.region_id)

    async def back() -> bool:
        return offer["id"] in await offers_seen_by(client, station)

    await eventually(back)

    deliver(
        "catalog.product.delisted",
        {
            "product_id": str(product_id),
            "region_id": str(county.region_id),
            "supplier_id": str(supplier.org_id),
            "reason": "licence_suspended",
        },
        county.region_id,
    )
    await eventually(gone)
    r = await client.get(f"{R}/offers/{offer['id']}", headers=supplier.headers)
    assert r.json()["not_selling_reason"] == "product_delisted"

    # republished by catalog (licence restored): on sale again
    deliver(
        "catalog.product.updated",
        product_event(county, supplier, product_id=product_id, variant_ids=[variant_id]),
        county.region_id,
    )
    await eventually(back)


async def test_a_product_approved_in_catalog_can_be_offered_and_its_delisting_follows(
    client, county
):
    """The whole way: catalog publishes through its outbox, the repository follows."""
    supplier = await new_org(client, county, "supplier", "陈固镇树莓合作社")
    product = await approved(client, county, supplier)
    variant_id = product["variants"][0]["id"]

    async def arrived() -> bool:
        r = await client.get(f"{R}/variants/{variant_id}", headers=supplier.headers)
        return r.status_code == 200

    await eventually(arrived)
    offer = await new_offer(client, supplier, uuid.UUID(variant_id), fulfilment="stocked")
    station = await new_buyer(client, county)
    seen = await offers_seen_by(client, station)
    assert seen[offer["id"]]["product_name"] == "封丘树莓果酱"
    assert seen[offer["id"]]["available_cases"] == 0

    r = await act(client, supplier, product["id"], "revise")  # back to draft: off sale
    assert r.status_code == 200, r.text

    async def gone() -> bool:
        return offer["id"] not in await offers_seen_by(client, station)

    await eventually(gone)


async def test_a_product_not_open_to_wholesale_cannot_be_offered(client, county):
    supplier = await new_supplier(client, county)
    variant_id = await new_variant(client, county, supplier, channels=("retail",))
    r = await client.post(f"{R}/offers", json=offer_body(variant_id), headers=supplier.headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "not_wholesale"


async def test_offer_list_filters_and_pages(client, county):
    supplier = await new_supplier(client, county)
    made = []
    for index in range(5):
        made.append(
            await supply(
                client,
                county,
                supplier,
                product={"name": f"五得利面粉 {index}", "category": "粮油"},
                direction="downstream",
                fulfilment="stocked",
            )
        )
    await supply(client, county, supplier)  # an upstream one
    station = await new_buyer(client, county)
    ids: list[str] = []
    cursor = None
    while True:
        params = {"direction": "downstream", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        r = await client.get(f"{R}/offers", params=params, headers=station.headers)
        assert r.status_code == 200
        ids += [o["id"] for o in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert sorted(ids) == sorted(o["id"] for o in made)
    r = await client.get(f"{R}/offers", params={"q": "面粉 3"}, headers=station.headers)
    assert [o["product_name"] for o in r.json()["items"]] == ["五得利面粉 3"]
    r = await client.get(f"{R}/offers", params={"cursor": "nonsense"}, headers=station.headers)
    assert r.status_code == 422
    # a well-formed cursor whose values were edited to the wrong types: 422, not a 500
    import base64
    import json

    forged = json.dumps({"s": "updated_at", "d": True, "k": "yesterday", "i": 7}).encode()
    r = await client.get(
        f"{R}/offers",
        params={"cursor": base64.urlsafe_b64encode(forged).decode().rstrip("=")},
        headers=station.headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "cursor"
