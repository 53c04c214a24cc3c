"""Every catalog object route: a caller who may not see the object gets 404, never 403 and
never the object (DESIGN: a foreign id is indistinguishable from one that does not exist).

The callers: another supplier of the same county, and the operator of another county. The
owner reads every object on the same routes (so a route that 404s for everyone fails).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.catalog.helpers import M, draft, in_days, png, product_body, supplier
from tests.catalog.test_certificates import COMPLIANCE
from tests.factories import new_county

C = "/v1/catalog"
_world: dict[str, Any] = {}


async def world(client, admin) -> dict[str, Any]:
    """One county with a supplier's draft product, its image, a compliance certificate with
    a file, a lot, a brand licence; a rival supplier and a foreign county's operator."""
    if _world:
        return _world
    county = await new_county(client, admin)
    seller = await supplier(client, county, "封丘县绿源树莓合作社")
    rival = await supplier(client, county, "封丘县另一家合作社")
    foreign = await new_county(client, admin)
    product = await draft(client, seller)
    pid = product["id"]
    r = await client.post(
        f"{M}/products/{pid}/certificates", json=COMPLIANCE, headers=seller.headers
    )
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = await client.put(
        f"{M}/certificates/{cid}/file",
        files={"file": ("scan.png", png(), "image/png")},
        headers=seller.headers,
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"{M}/products/{pid}/lots",
        json={"quantity": "500", "unit": "kg", "produced_on": "2026-06-12"},
        headers=seller.headers,
    )
    assert r.status_code == 201, r.text
    lot_id = r.json()["id"]
    r = await client.post(
        f"{C}/brands",
        json={"region_id": str(county.region_id), "name": "封丘树莓", "categories": ["树莓"]},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        f"{C}/brands/{r.json()['id']}/licences",
        json={
            "supplier_id": str(seller.org_id),
            "product_ids": [pid],
            "valid_from": in_days(-1),
            "valid_until": in_days(365),
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    _world.update(
        seller=seller,
        callers={"rival supplier": rival, "foreign operator": foreign.operator},
        ids={
            "product": pid,
            "image": product["images"][0]["id"],
            "certificate": cid,
            "lot": lot_id,
            "licence": r.json()["id"],
            "supplier": str(seller.org_id),
        },
    )
    return _world


EVENT = {
    "biz_step": "harvest",
    "event_time": "2026-06-10T07:00:00+08:00",
    "location_kind": "farm",
    "location_name": "陈固镇树莓基地 3 号地块",
    "actor_name": "张建国",
}
# (method, path, body): `{product}` etc. are the world's ids; reads are checked for the owner.
ROUTES: list[tuple[str, str, Any]] = [
    ("GET", f"{M}/products/{{product}}", None),
    ("PUT", f"{M}/products/{{product}}", "product"),
    ("POST", f"{M}/products/{{product}}/images", "image"),
    ("POST", f"{M}/products/{{product}}/review/submit", None),
    ("POST", f"{M}/products/{{product}}/review/approve", None),
    ("GET", f"{M}/products/{{product}}/history", None),
    ("GET", f"{M}/products/{{product}}/certificates", None),
    ("POST", f"{M}/products/{{product}}/certificates", COMPLIANCE),
    ("POST", f"{M}/products/{{product}}/lots", {"quantity": "1", "unit": "kg"}),
    ("GET", f"{C}/images/{{image}}", None),
    ("GET", f"{M}/certificates/{{certificate}}/file", None),
    ("PUT", f"{M}/certificates/{{certificate}}/file", "image"),
    ("GET", f"{M}/certificates/{{certificate}}/print.pdf", None),
    ("GET", f"{M}/lots/{{lot}}", None),
    ("POST", f"{M}/lots/{{lot}}/events", EVENT),
    ("GET", f"{C}/licences/{{licence}}", None),
    ("PUT", f"{C}/licences/{{licence}}/products", {"product_ids": []}),
    ("POST", f"{C}/licences/{{licence}}/suspend", {"reason": "抽检不合格"}),
    ("GET", f"{M}/suppliers/{{supplier}}/notifications", None),
]


async def _call(client, method: str, path: str, body: Any, headers) -> Any:
    kwargs: dict[str, Any] = {"headers": headers}
    if body == "product":
        kwargs["json"] = product_body()
    elif body == "image":
        kwargs["files"] = {"file": ("x.png", png(), "image/png")}
    elif body is not None:
        kwargs["json"] = body
    return await client.request(method, path, **kwargs)


@pytest.mark.parametrize("caller", ["rival supplier", "foreign operator"])
@pytest.mark.parametrize(
    ("method", "route", "body"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES]
)
async def test_a_caller_who_may_not_see_the_object_gets_404(
    client, admin, caller, method, route, body
):
    w = await world(client, admin)
    path = route.format(**w["ids"])
    r = await _call(client, method, path, body, w["callers"][caller].headers)
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    for value in w["ids"].values():
        assert value not in r.text or value in path  # nothing of the object leaks
    if method == "GET":
        owner = await client.get(path, headers=w["seller"].headers)
        assert owner.status_code == 200, owner.text
