"""The operator pages through the county's recorded figures and snapshots."""

from __future__ import annotations

from tests.delivery.test_lists import all_pages


async def test_recorded_figures_come_a_page_at_a_time_by_date(client, county):
    base = f"/v1/insights/regions/{county.region_id}"
    h = county.operator.headers
    recorded = []
    for on_date in ("2025-05-10", "2025-03-02", "2025-04-18"):
        r = await client.post(
            f"{base}/records",
            json={"kind": "training", "on_date": on_date, "title": f"培训 {on_date}", "value": 40},
            headers=h,
        )
        assert r.status_code == 201, r.text
        recorded.append(r.json())
    pages = await all_pages(client, f"{base}/records", h, limit=2, year=2025)
    assert [len(p) for p in pages] == [2, 1]
    assert [x["on_date"] for page in pages for x in page] == [
        "2025-03-02",
        "2025-04-18",
        "2025-05-10",
    ]
    latest = await all_pages(client, f"{base}/records", h, limit=1, sort="-recorded_at")
    assert [x["id"] for page in latest for x in page] == [x["id"] for x in reversed(recorded)]
    r = await client.get(f"{base}/records", params={"year": 2024}, headers=h)
    assert r.json() == {"items": [], "next_cursor": None}


async def test_snapshots_come_a_page_at_a_time_newest_first(client, county):
    base = f"/v1/insights/regions/{county.region_id}"
    h = county.operator.headers
    taken = []
    for label in ("一月报送", "二月报送", "三月报送"):
        r = await client.post(f"{base}/snapshots", json={"year": 2025, "label": label}, headers=h)
        assert r.status_code == 201, r.text
        taken.append(r.json()["id"])
    pages = await all_pages(client, f"{base}/snapshots", h, limit=2)
    assert [len(p) for p in pages] == [2, 1]
    assert [s["id"] for page in pages for s in page] == list(reversed(taken))
    r = await client.get(f"{base}/snapshots", params={"sort": "label"}, headers=h)
    assert r.status_code == 422
