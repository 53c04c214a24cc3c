"""What the operator records (with evidence), snapshots that stay as taken, the report files."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.factories import new_org
from tests.insights.helpers import county_year, feed


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()
BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


async def test_training_recorded_with_evidence_counts_toward_its_target(client, county):
    base = f"/v1/insights/regions/{county.region_id}"
    h = county.operator.headers
    r = await client.post(
        f"{base}/records",
        json={
            "kind": "training",
            "on_date": "2025-04-02",
            "title": "电商技能培训第1期",
            "value": 3_000,
            "advanced": 1_000,
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    record_id = r.json()["id"]
    r = await client.post(
        f"{base}/records/{record_id}/evidence",
        files={"file": ("签到表.png", PNG, "image/png")},
        headers=h,
    )
    assert r.status_code == 201, r.text
    evidence_id = r.json()["id"]
    r = await client.post(
        f"{base}/records/{record_id}/evidence",
        files={"file": ("x.exe", b"MZ\x90\x00", "image/png")},
        headers=h,
    )
    assert r.status_code == 415
    r = await client.post(
        f"{base}/records",
        json={
            "kind": "training",
            "on_date": "2025-05-02",
            "title": "第2期",
            "value": 2_500,
            "advanced": 1_600,
        },
        headers=h,
    )
    assert r.status_code == 201
    r = await client.post(
        f"{base}/records",
        json={
            "kind": "training",
            "on_date": "2025-05-03",
            "title": "错",
            "value": 1,
            "advanced": 2,
        },
        headers=h,
    )
    assert r.status_code == 422
    r = await client.get(f"{base}/figures/training", params={"year": 2025}, headers=h)
    assert r.status_code == 200
    training = r.json()
    assert (training["value"], training["target"], training["status"]) == (5_500, 5_000, "met")
    assert training["detail"]["sessions"] == 2
    r = await client.get(f"{base}/figures/training_advanced", params={"year": 2025}, headers=h)
    assert (r.json()["value"], r.json()["status"]) == (2_600, "met")
    r = await client.get(f"{base}/evidence/{evidence_id}", headers=h)
    assert r.status_code == 200 and r.content == PNG
    r = await client.get(f"{base}/records", params={"year": 2025}, headers=h)
    assert [len(x["evidence"]) for x in r.json()["items"]] == [1, 0]
    r = await client.get(f"{base}/figures/nonsense", params={"year": 2025}, headers=h)
    assert r.status_code == 404

    station = await new_org(client, county, "station")
    r = await client.post(
        f"{base}/records",
        json={"kind": "media_reports", "on_date": "2025-04-02", "title": "x", "value": 1},
        headers=station.headers,
    )
    assert r.status_code == 403
    r = await client.get(f"{base}/evidence/{evidence_id}", headers=station.headers)
    assert r.status_code == 403


async def test_national_average_is_the_growth_target(client, county):
    base = f"/v1/insights/regions/{county.region_id}"
    await feed(county_year(county.region_id).events)
    r = await client.put(
        f"{base}/settings",
        json={"national_rural_growth_percent": 12.5},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    r = await client.get(
        f"{base}/figures/growth", params={"year": 2025}, headers=county.operator.headers
    )
    growth = r.json()
    assert growth["target"] == 12.5
    assert growth["detail"]["national_rural_growth_percent"] == 12.5
    r = await client.put(
        f"{base}/settings", json={"targets": {"nope": 1}}, headers=county.operator.headers
    )
    assert r.status_code == 422


async def test_a_snapshot_keeps_its_figures_when_later_events_arrive(client, county):
    base = f"/v1/insights/regions/{county.region_id}"
    h = county.operator.headers
    year = county_year(county.region_id)
    await feed(year.events[: len(year.events) // 2])
    r = await client.post(f"{base}/snapshots", json={"year": 2025, "label": "三月报送"}, headers=h)
    assert r.status_code == 201, r.text
    snapshot = r.json()
    r = await client.post(f"{base}/snapshots", json={"year": 2025, "label": "三月报送"}, headers=h)
    assert r.status_code == 409
    await feed(year.events)
    r = await client.get(f"{base}/snapshots/{snapshot['id']}", headers=h)
    assert r.status_code == 200
    assert r.json()["figures"] == snapshot["figures"]
    r = await client.get(f"{base}/dashboard", params={"year": 2025}, headers=h)
    assert r.json()["figures"] != snapshot["figures"]["figures"]
    r = await client.get(f"{base}/snapshots", params={"year": 2025}, headers=h)
    assert [s["label"] for s in r.json()["items"]] == ["三月报送"]


async def test_the_workbook_and_the_pdf_report(client, county):
    base = f"/v1/insights/regions/{county.region_id}"
    h = county.operator.headers
    await feed(county_year(county.region_id).events)
    r = await client.post(
        f"{base}/records",
        json={
            "kind": "media_reports",
            "on_date": "2025-06-01",
            "title": "河南日报报道",
            "value": 1,
        },
        headers=h,
    )
    record_id = r.json()["id"]
    for name, data in (("报道截图.png", PNG), ("坏图.png", BROKEN_PNG)):
        r = await client.post(
            f"{base}/records/{record_id}/evidence",
            files={"file": (name, data, "image/png")},
            headers=h,
        )
        assert r.status_code == 201
    r = await client.get(f"{base}/report.xlsx", params={"year": 2025}, headers=h)
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "指标汇总"
    summary = [row for row in wb["指标汇总"].iter_rows(values_only=True)]
    assert summary[1] == ("指标", "完成值", "目标值", "状态", "计算口径")
    assert any(row[0] == "区域公共品牌产品数" and row[3] == "已达标" for row in summary)
    assert [row[2] for row in wb["证明材料"].iter_rows(values_only=True)][1:] == ["河南日报报道"]
    r = await client.get(f"{base}/report.pdf", params={"year": 2025}, headers=h)
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    assert r.content.count(b"/Subtype /Image") >= 4  # the trend charts and the evidence image


async def test_a_report_from_a_snapshot_is_the_report_as_submitted(client, county):
    """Taken in "March", regenerated in "June" after more events and records: the same."""
    base = f"/v1/insights/regions/{county.region_id}"
    h = county.operator.headers
    year = county_year(county.region_id, seed=17)
    await feed(year.events[: len(year.events) // 2])
    r = await client.post(
        f"{base}/records",
        json={"kind": "media_reports", "on_date": "2025-03-01", "title": "三月报道", "value": 1},
        headers=h,
    )
    march_record = r.json()["id"]
    r = await client.post(f"{base}/snapshots", json={"year": 2025, "label": "三月报送"}, headers=h)
    snapshot_id = r.json()["id"]

    def sheets(content: bytes) -> dict[str, list[tuple]]:
        wb = load_workbook(io.BytesIO(content))
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}

    params = {"year": 2025, "snapshot_id": snapshot_id}
    r = await client.get(f"{base}/report.xlsx", params=params, headers=h)
    assert r.status_code == 200, r.text
    in_march = sheets(r.content)
    assert "三月报送" in in_march["指标汇总"][0][0]

    await feed(year.events)  # the rest of the year arrives
    r = await client.post(
        f"{base}/records",
        json={"kind": "media_reports", "on_date": "2025-05-01", "title": "五月报道", "value": 1},
        headers=h,
    )
    r = await client.post(
        f"{base}/records/{march_record}/evidence",
        files={"file": ("补充截图.png", PNG, "image/png")},
        headers=h,
    )
    assert r.status_code == 201
    r = await client.get(f"{base}/report.xlsx", params=params, headers=h)
    assert sheets(r.content) == in_march
    assert [row[2] for row in in_march["证明材料"][1:]] == ["三月报道"]
    r = await client.get(f"{base}/report.xlsx", params={"year": 2025}, headers=h)
    live = sheets(r.content)
    assert live["指标汇总"][2:] != in_march["指标汇总"][2:]
    assert [row[2] for row in live["证明材料"][1:]] == ["三月报道", "五月报道"]
    r = await client.get(f"{base}/report.pdf", params=params, headers=h)
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    other = "00000000-0000-4000-8000-000000000000"
    r = await client.get(
        f"{base}/report.xlsx", params={"year": 2025, "snapshot_id": other}, headers=h
    )
    assert r.status_code == 404


async def test_the_nightly_snapshot_freezes_each_countys_year_once_a_local_day(client, county):
    from datetime import UTC, datetime

    from services.insights.db import kernel
    from services.insights.snapshots.service import nightly
    from shared.db import sessionmaker_for

    base = f"/v1/insights/regions/{county.region_id}"
    h = county.operator.headers
    await feed(county_year(county.region_id).events)
    maker = sessionmaker_for(kernel)
    for at in (
        datetime(2025, 6, 30, 16, 5, tzinfo=UTC),  # 00:05 on 1 July in Fengqiu
        datetime(2025, 7, 1, 15, 0, tzinfo=UTC),  # 23:00 the same local day: none more
    ):
        async with maker() as session:
            await nightly(session, now=at)
            await session.commit()
    r = await client.get(f"{base}/snapshots", params={"year": 2025}, headers=h)
    assert [s["label"] for s in r.json()["items"]] == ["nightly-2025-07-01"]
    r = await client.get(f"{base}/snapshots/{r.json()['items'][0]['id']}", headers=h)
    frozen = {f["name"]: f for f in r.json()["figures"]["figures"]}
    live = await client.get(f"{base}/dashboard", params={"year": 2025}, headers=h)
    now = {f["name"]: f for f in live.json()["figures"]}
    assert frozen["enterprise_sales"]["value"] == now["enterprise_sales"]["value"]
    assert frozen["household_sales"]["value"] == now["household_sales"]["value"]
