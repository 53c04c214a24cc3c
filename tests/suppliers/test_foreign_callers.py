"""Every object route of a supplier answers 404 to a caller who may not see it: another
supplier of the same county, and the operator of another county."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import new_county, new_org
from tests.suppliers.helpers import PDF, approved_supplier, upload
from tests.suppliers.test_payouts import ACCOUNT

REASON = {"reason": "x"}
# (method, path under /v1/suppliers/{id}, json body)
ROUTES = [
    ("GET", "", None),
    ("PATCH", "", {}),
    ("GET", "/history", None),
    *[
        ("POST", f"/{action}", REASON)
        for action in (
            "submit",
            "withdraw",
            "resubmit",
            "reopen",
            "start-review",
            "approve",
            "reject",
            "suspend",
            "reinstate",
        )
    ],
    ("POST", "/request-changes", {"reason": "x", "documents": []}),
    ("GET", "/documents", None),
    ("POST", "/documents", "multipart"),
    ("GET", "/documents/{doc}", None),
    ("GET", "/documents/{doc}/file", None),
    ("DELETE", "/documents/{doc}", None),
    ("PUT", "/payout-account", ACCOUNT),
    ("GET", "/payout-account", None),
    ("GET", "/notifications", None),
    ("POST", "/notifications/{random}/read", None),
    ("GET", "/households", None),
    ("POST", "/households", {"household_kind": "monitored", "household_ref": "X-1"}),
    ("POST", "/households/{link}/end", REASON),
]


@pytest.fixture
async def arranged(client, county, admin):
    supplier = await approved_supplier(client, county)
    r = await client.get(f"/v1/suppliers/{supplier.org_id}/documents", headers=supplier.headers)
    [document] = r.json()["items"]
    r = await client.get(
        f"/v1/suppliers/{supplier.org_id}/households", headers=county.operator.headers
    )
    link = r.json()["items"][0]["id"]
    strangers = {
        "another supplier": await new_org(client, county, "supplier"),
        "another county's operator": (await new_county(client, admin)).operator,
    }
    return supplier, {"doc": document["id"], "link": link}, strangers


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
async def test_a_foreign_caller_gets_404_for_every_supplier_route(
    client, arranged, method, path, body
):
    supplier, ids, strangers = arranged
    url = f"/v1/suppliers/{supplier.org_id}" + path.format(random=uuid.uuid4(), **ids)
    for who, stranger in strangers.items():
        if body == "multipart":
            r = await upload(client, stranger, supplier.org_id, content=PDF)
        else:
            r = await client.request(method, url, json=body, headers=stranger.headers)
        assert r.status_code == 404, f"{who}: {method} {url} -> {r.status_code} {r.text}"
