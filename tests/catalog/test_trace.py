"""Lots and their events; the public trace page a consumer reaches from the QR code."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.catalog.db import kernel
from shared.db import sessionmaker_for
from tests.catalog.helpers import M, approved, in_days, supplier


def event(step, when, **kw):
    return {
        "biz_step": step,
        "event_time": when,
        "location_kind": kw.pop("location_kind", "farm"),
        "location_name": kw.pop("location_name", "陈固镇树莓基地 3 号地块"),
        "township": "陈固镇",
        "village": "东陈固村",
        "actor_name": kw.pop("actor_name", "张建国"),
        **kw,
    }


async def test_consumer_scans_a_jar_and_sees_farm_harvest_inspection_and_certificates(
    client, county
):
    seller = await supplier(client, county, "封丘县绿源树莓合作社")
    product = await approved(client, county, seller)
    r = await client.post(
        f"{M}/products/{product['id']}/lots",
        json={"quantity": "500", "unit": "kg", "produced_on": "2026-06-12"},
        headers=seller.headers,
    )
    assert r.status_code == 201, r.text
    lot = r.json()
    code = lot["code"]
    assert lot["trace_url"].endswith(f"/v1/catalog/trace/{code}")

    async def record(body):
        r = await client.post(f"{M}/lots/{lot['id']}/events", json=body, headers=seller.headers)
        assert r.status_code == 201, r.text
        return r.json()

    await record(event("planting", "2026-03-01T08:00:00+08:00"))
    wrong = await record(event("harvest", "2026-06-01T07:00:00+08:00", quantity="500", unit="kg"))
    await record(
        event(
            "inspection",
            "2026-06-11T10:00:00+08:00",
            location_kind="lab",
            location_name="封丘县农产品质量检测站",
            actor_name="县检测站",
            details={"result": "合格", "report_number": "ZJ-2026-118"},
        )
    )
    # The harvest date was wrong: a later event corrects it; the first stays on record.
    fixed = await record(
        event(
            "harvest",
            "2026-06-10T07:00:00+08:00",
            quantity="500",
            unit="kg",
            corrects_event_id=wrong["id"],
            correction_reason="采收日期录入错误",
        )
    )
    r = await client.post(
        f"{M}/products/{product['id']}/certificates",
        json={
            "kind": "inspection_report",
            "issuer": "封丘县农产品质量检测站",
            "number": "ZJ-2026-118",
            "valid_until": in_days(200),
            "result": "合格",
            "lot_code": code,
            "required": False,
        },
        headers=seller.headers,
    )
    assert r.status_code == 201, r.text

    page = await client.get(f"/v1/catalog/trace/{code}")  # no login
    assert page.status_code == 200
    trace = page.json()
    assert trace["product"]["name"] == "封丘树莓果酱"
    assert trace["producer"]["name"] == "封丘县绿源树莓合作社"
    assert trace["farm"]["name"] == "陈固镇树莓基地 3 号地块"
    assert trace["harvest_date"] == "2026-06-10"
    assert trace["inspection"]["result"] == "合格"
    assert trace["certificates"][0]["number"] == "ZJ-2026-118"
    assert trace["certificates"][0]["valid"] is True
    events = {e["id"]: e for e in trace["events"]}
    assert events[wrong["id"]]["superseded_by"] == fixed["id"]
    assert [e["seq"] for e in trace["events"]] == [1, 2, 3, 4]
    assert (
        await client.get(
            f"/v1/catalog/trace/{code}", headers={"If-None-Match": page.headers["etag"]}
        )
    ).status_code == 304

    png = await client.get(f"/v1/catalog/trace/{code}/qr.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    svg = await client.get(f"/v1/catalog/trace/{code}/qr.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    assert (await client.get("/v1/catalog/trace/NO-SUCH-LOT")).status_code == 404


async def test_lot_events_cannot_be_edited_only_corrected(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    r = await client.post(
        f"{M}/products/{product['id']}/lots",
        json={"code": f"FQ-T-{product['id'][:8]}", "quantity": "10", "unit": "kg"},
        headers=seller.headers,
    )
    lot = r.json()
    r = await client.post(
        f"{M}/lots/{lot['id']}/events",
        json=event("harvest", "2026-06-01T07:00:00+08:00"),
        headers=seller.headers,
    )
    first = r.json()
    # No edit or delete endpoint exists; the database refuses edits too.
    assert (await client.put(f"{M}/lots/{lot['id']}/events", json={})).status_code == 405
    async with sessionmaker_for(kernel)() as session:
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(
                text("UPDATE catalog.lot_events SET actor_name = 'x' WHERE id = :id"),
                {"id": first["id"]},
            )
    # A correction must say why and point at this lot's events.
    r = await client.post(
        f"{M}/lots/{lot['id']}/events",
        json=event("harvest", "2026-06-02T07:00:00+08:00", corrects_event_id=first["id"]),
        headers=seller.headers,
    )
    assert r.status_code == 422 and r.json()["type"].endswith("catalog-correction-invalid")
    # Same code twice is refused; another supplier cannot add events.
    r = await client.post(
        f"{M}/products/{product['id']}/lots",
        json={"code": lot["code"], "quantity": "1", "unit": "kg"},
        headers=seller.headers,
    )
    assert r.status_code == 409
    other = await supplier(client, county)
    r = await client.post(
        f"{M}/lots/{lot['id']}/events",
        json=event("shipping", "2026-06-03T07:00:00+08:00"),
        headers=other.headers,
    )
    assert r.status_code == 404
