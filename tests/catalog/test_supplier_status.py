"""A supplier suspended by the suppliers service leaves sale; reinstated, it comes back."""

from __future__ import annotations

from tests.catalog.helpers import approved, public_list, search_ids, until_indexed
from tests.factories import eventually
from tests.suppliers.helpers import act as supplier_act
from tests.suppliers.helpers import approved_supplier


async def test_suspended_supplier_products_leave_sale_and_return_when_reinstated(client, county):
    seller = await approved_supplier(client, county)
    product = await approved(client, county, seller)
    pid = product["id"]
    await until_indexed(client, county, pid)

    async def supplier_named() -> bool:
        r = await client.get(f"/v1/catalog/products/{pid}")
        return r.status_code == 200 and r.json()["supplier_name"] is not None

    await eventually(supplier_named)  # suppliers.supplier.approved fed the read model

    r = await supplier_act(
        client, county.operator, seller.org_id, "suspend", {"reason": "食品经营许可证过期"}
    )
    assert r.status_code == 200, r.text

    async def off_sale() -> bool:
        return pid not in {p["id"] for p in await public_list(client, county)}

    await eventually(off_sale)
    assert (await client.get(f"/v1/catalog/products/{pid}")).status_code == 404
    assert pid not in await search_ids(client, county, q="树莓")  # checked against the database
    await until_indexed(client, county, pid, present=False)

    r = await supplier_act(client, county.operator, seller.org_id, "reinstate")
    assert r.status_code == 200, r.text

    async def back() -> bool:
        return (await client.get(f"/v1/catalog/products/{pid}")).status_code == 200

    await eventually(back)
    await until_indexed(client, county, pid)
