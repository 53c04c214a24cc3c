"""A county's network arrives as one workbook; every row is reported, bad rows change nothing."""

from __future__ import annotations

import io
import uuid

from openpyxl import Workbook

from tests.factories import new_org


def workbook(station_org_id: uuid.UUID, plate: str) -> bytes:
    book = Workbook()
    stops = book.active
    stops.title = "stops"
    stops.append(["kind", "name", "township", "village", "station_org_id", "latitude", "longitude"])
    stops.append(["warehouse", "封丘县仓", None, None, None, 35.04, 114.41])
    stops.append(["station", "李庄村站", "城关镇", "李庄村", str(station_org_id), 35.05, 114.42])
    stops.append(["station", "无主站", "城关镇", "无主村", None, 35.0, 114.0])  # no station org
    stops.append(["depot", "错类型", None, None, None, None, None])
    vehicles = book.create_sheet("vehicles")
    vehicles.append(["plate", "max_weight_kg", "max_volume_l", "cold_chain"])
    vehicles.append([plate, 1500, 8000, "是"])
    routes = book.create_sheet("routes")
    routes.append(["name", "weekdays", "departure_time", "vehicle_plate", "stops"])
    routes.append(["城关线", "1-5", "07:30", plate, "封丘县仓;李庄村站"])
    routes.append(["幽灵线", "1,3", "08:00", "豫X00000", "封丘县仓"])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


async def test_operator_imports_a_county_network_with_a_report_per_row(client, county):
    station = await new_org(client, county, "station")
    plate = f"豫G{uuid.uuid4().hex[:5]}"
    r = await client.post(
        "/v1/delivery/network/import",
        data={"region_id": str(county.region_id)},
        files={"file": ("network.xlsx", workbook(station.org_id, plate))},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    report = r.json()
    outcome = [(row["sheet"], row["row"], row["status"]) for row in report["rows"]]
    assert outcome == [
        ("stops", 2, "created"),
        ("stops", 3, "created"),
        ("stops", 4, "error"),
        ("stops", 5, "error"),
        ("vehicles", 2, "created"),
        ("routes", 2, "created"),
        ("routes", 3, "error"),
    ]
    assert report["created"] == 4 and report["failed"] == 3
    r = await client.get(
        "/v1/delivery/stops",
        params={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    assert [s["name"] for s in r.json()["items"]] == sorted(["封丘县仓", "李庄村站"])


async def test_a_file_that_is_not_a_workbook_is_refused(client, county):
    r = await client.post(
        "/v1/delivery/network/import",
        data={"region_id": str(county.region_id)},
        files={"file": ("network.xlsx", b"name,kind\n")},
        headers=county.operator.headers,
    )
    assert r.status_code == 415


async def test_a_station_cannot_import_a_network(client, county):
    station = await new_org(client, county, "station")
    r = await client.post(
        "/v1/delivery/network/import",
        data={"region_id": str(county.region_id)},
        files={"file": ("network.xlsx", workbook(station.org_id, "豫G1"))},
        headers=station.headers,
    )
    assert r.status_code == 403
