"""Every insights object of one county is invisible to another county (404), and readable by
no one of the county but its operator: a station or a supplier sees the county exists and
is refused (403), as the shared rule says."""

from __future__ import annotations

from tests.factories import new_county, new_org
from tests.insights.test_records_and_reports import PNG


async def _objects(client, county) -> dict[str, str]:
    """A record with an evidence file and a snapshot, by the county's operator."""
    base = f"/v1/insights/regions/{county.region_id}"
    h = county.operator.headers
    r = await client.post(
        f"{base}/records",
        json={
            "kind": "media_reports",
            "on_date": "2025-03-01",
            "title": "县电视台报道",
            "value": 1,
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    record_id = r.json()["id"]
    r = await client.post(
        f"{base}/records/{record_id}/evidence",
        files={"file": ("报道截图.png", PNG, "image/png")},
        headers=h,
    )
    assert r.status_code == 201, r.text
    evidence_id = r.json()["id"]
    r = await client.post(f"{base}/snapshots", json={"year": 2025, "label": "验收"}, headers=h)
    assert r.status_code == 201, r.text
    return {"record": record_id, "evidence": evidence_id, "snapshot": r.json()["id"]}


def _routes(region_id, ids) -> list[tuple[str, str, dict]]:
    """(method, path, request kwargs) of every insights route on the county's objects."""
    base = f"/v1/insights/regions/{region_id}"
    year = {"params": {"year": 2025}}
    return [
        ("GET", f"{base}/dashboard", year),
        ("GET", f"{base}/figures/enterprise_sales", year),
        ("GET", f"{base}/households", year),
        ("GET", f"{base}/report.xlsx", year),
        ("GET", f"{base}/report.pdf", year),
        ("GET", f"{base}/records", year),
        (
            "POST",
            f"{base}/records",
            {"json": {"kind": "leaders", "on_date": "2025-03-02", "title": "x", "value": 1}},
        ),
        (
            "POST",
            f"{base}/records/{ids['record']}/evidence",
            {"files": {"file": ("a.png", PNG, "image/png")}},
        ),
        ("GET", f"{base}/evidence/{ids['evidence']}", {}),
        ("GET", f"{base}/snapshots", {}),
        ("GET", f"{base}/snapshots/{ids['snapshot']}", {}),
        ("POST", f"{base}/snapshots", {"json": {"year": 2025, "label": "x"}}),
        ("GET", f"{base}/settings", {}),
        ("PUT", f"{base}/settings", {"json": {"national_rural_growth_percent": 1}}),
    ]


async def test_another_countys_operator_finds_none_of_the_countys_objects(client, admin, county):
    ids = await _objects(client, county)
    other = await new_county(client, admin, name="长垣县")
    stranger = await new_org(client, other, "station")
    for who in (other.operator, stranger):
        for method, path, kwargs in _routes(county.region_id, ids):
            r = await client.request(method, path, headers=who.headers, **kwargs)
            assert r.status_code == 404, (method, path, r.status_code, r.text)
    # nor through its own county's paths with this county's ids
    mine = await _objects(client, other)
    for method, path, kwargs in _routes(other.region_id, ids):
        if any(i in path for i in ids.values()):
            r = await client.request(method, path, headers=other.operator.headers, **kwargs)
            assert r.status_code == 404, (method, path, r.status_code, r.text)
    # what the other operator sees of its own county names nothing of this one
    r = await client.get(
        f"/v1/insights/regions/{other.region_id}/records",
        params={"year": 2025},
        headers=other.operator.headers,
    )
    assert [x["id"] for x in r.json()["items"]] == [mine["record"]]
    r = await client.get(
        f"/v1/insights/regions/{other.region_id}/snapshots", headers=other.operator.headers
    )
    assert [x["id"] for x in r.json()["items"]] == [mine["snapshot"]]


async def test_a_station_or_supplier_of_the_county_reads_and_writes_none_of_it(client, county):
    ids = await _objects(client, county)
    station = await new_org(client, county, "station")
    supplier = await new_org(client, county, "supplier")
    for who in (station, supplier):
        for method, path, kwargs in _routes(county.region_id, ids):
            r = await client.request(method, path, headers=who.headers, **kwargs)
            assert r.status_code == 403, (method, path, r.status_code, r.text)
    # the operator still reads all of it
    for method, path, kwargs in _routes(county.region_id, ids):
        if method == "GET" and "report" not in path:
            r = await client.request(method, path, headers=county.operator.headers, **kwargs)
            assert r.status_code == 200, (method, path, r.status_code, r.text)
