"""The county adds and ends an approved supplier's household links over time, with history."""

from __future__ import annotations

import pytest

from tests.factories import new_county
from tests.suppliers.helpers import approved_supplier, outbox_events


async def test_the_county_links_and_unlinks_households_of_an_approved_supplier(client, county):
    supplier = await approved_supplier(client, county)
    sid = supplier.org_id
    op = county.operator.headers
    path = f"/v1/suppliers/{sid}/households"
    r = await client.get(path, headers=op)
    assert r.status_code == 200
    [first, second] = r.json()["items"]
    assert all(link["current"] for link in (first, second))

    r = await client.post(
        path,
        json={"household_kind": "poverty_alleviated", "household_ref": "FQ-TP-0300"},
        headers=op,
    )
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["current"] and added["started_on"] and added["added_by"]
    r = await client.post(
        path,
        json={"household_kind": "poverty_alleviated", "household_ref": "FQ-TP-0300"},
        headers=op,
    )
    assert r.status_code == 409  # already a current link

    r = await client.post(f"{path}/{first['id']}/end", json={"reason": "已迁出本村"}, headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["ended_on"] and r.json()["ended_reason"] == "已迁出本村"
    r = await client.post(f"{path}/{first['id']}/end", json={"reason": "again"}, headers=op)
    assert r.status_code == 409

    history = (await client.get(path, headers=op)).json()["items"]
    assert [h["id"] for h in history] == [first["id"], second["id"], added["id"]]
    assert [h["current"] for h in history] == [False, True, True]
    current = (await client.get(path, params={"include_ended": False}, headers=op)).json()
    assert [h["id"] for h in current["items"]] == [second["id"], added["id"]]
    record = (await client.get(f"/v1/suppliers/{sid}", headers=op)).json()
    assert record["status"] == "approved" and record["household_count"] == 2
    assert sorted(h["id"] for h in record["households"]) == sorted([second["id"], added["id"]])
    changes = [
        p["data"]["change"] for p, _ in await outbox_events(sid, "suppliers.households.changed")
    ]
    assert changes == ["linked", "ended"]

    # the references are the county's: the supplier sees its record, not the links
    r = await client.get(path, headers=supplier.headers)
    assert r.status_code == 403


@pytest.mark.parametrize("method", ["get", "add", "end"])
async def test_another_county_gets_404_for_household_links(client, county, admin, method):
    supplier = await approved_supplier(client, county)
    path = f"/v1/suppliers/{supplier.org_id}/households"
    [link, _] = (await client.get(path, headers=county.operator.headers)).json()["items"]
    other = (await new_county(client, admin)).operator.headers
    if method == "get":
        r = await client.get(path, headers=other)
    elif method == "add":
        r = await client.post(
            path, json={"household_kind": "monitored", "household_ref": "X-1"}, headers=other
        )
    else:
        r = await client.post(f"{path}/{link['id']}/end", json={"reason": "x"}, headers=other)
    assert r.status_code == 404, r.text
