"""Consignment transfers to the livestream base are the region operator's: another
county's operator or a supplier finds no such transfer or warehouse (404)."""

from __future__ import annotations

import uuid

from tests.factories import new_county
from tests.repository.factories import R, new_supplier, supply


async def test_transfers_belong_to_the_regions_operator(client, admin, county):
    supplier = await new_supplier(client, county)
    offer = await supply(client, county, supplier)
    r = await client.post(
        f"{R}/warehouses",
        json={"region_id": str(county.region_id), "code": "BASE-W", "name": "县仓"},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    warehouse = r.json()
    r = await client.post(
        f"{R}/warehouses/{warehouse['id']}/receipts",
        json={"variant_id": offer["variant_id"], "cases": 3},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    body = {"warehouse_id": warehouse["id"], "offer_id": offer["id"], "cases": 2}
    elsewhere = await new_county(client, admin, name="长垣市")
    for outsider in (elsewhere.operator, supplier):
        r = await client.post(f"{R}/consignment/transfers", json=body, headers=outsider.headers)
        assert r.status_code == 404, r.text
    r = await client.post(f"{R}/consignment/transfers", json=body, headers=county.operator.headers)
    assert r.status_code == 201, r.text
    transfer = r.json()
    assert (transfer["cases"], transfer["quantity"]) == (2, 2 * offer["case_pack"])
    for outsider in (elsewhere.operator, supplier):
        r = await client.get(
            f"{R}/consignment/transfers/{transfer['id']}", headers=outsider.headers
        )
        assert r.status_code == 404, r.text
    # an offer of another region cannot be sent from this warehouse
    r = await client.post(
        f"{R}/consignment/transfers",
        json={**body, "offer_id": str(uuid.uuid4())},
        headers=county.operator.headers,
    )
    assert r.status_code == 422, r.text
    r = await client.get(
        f"{R}/warehouses/{warehouse['id']}/movements", headers=county.operator.headers
    )
    kinds = [m["kind"] for m in r.json()["items"]]
    assert "transfer_out" in kinds
