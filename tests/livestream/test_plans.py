"""Commission plans through the API: one open plan per product, exclusive never with open,
cuts at the next local midnight, exclusive cut limits, the agency cap, applications and the
best rate, and the history of every change."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories import new_county, new_org
from tests.livestream.helpers import L, listed, pool_entry, streamer


async def plan(client, supplier, entry, kind="open", rate_bps=2000, **body):
    return await client.post(
        f"{L}/plans",
        json={"pool_entry_id": entry["id"], "kind": kind, "rate_bps": rate_bps, **body},
        headers=supplier.headers,
    )


async def rate(client, supplier, plan_id, rate_bps, reason="调整佣金"):
    return await client.post(
        f"{L}/plans/{plan_id}/rate",
        json={"rate_bps": rate_bps, "reason": reason},
        headers=supplier.headers,
    )


def local_midnight_next(timezone: str, effective: str) -> bool:
    local = datetime.fromisoformat(effective).astimezone(ZoneInfo(timezone))
    today = datetime.now(ZoneInfo(timezone)).date()
    return (local.hour, local.minute) == (0, 0) and (local.date() - today).days == 1


async def test_open_plan_cut_waits_for_local_midnight_raise_at_once(client, county):
    seller, entry = await pool_entry(client, county)
    r = await plan(client, seller, entry, rate_bps=2000)
    assert r.status_code == 201, r.text
    open_plan = r.json()
    assert (await plan(client, seller, entry, rate_bps=2500)).status_code == 409  # one open
    r = await rate(client, seller, open_plan["id"], 1500, "旺季结束")
    assert r.status_code == 200
    assert r.json()["rate_bps"] == 2000  # still in effect today
    assert r.json()["pending_rate_bps"] == 1500
    assert local_midnight_next("Asia/Shanghai", r.json()["pending_effective_at"])
    r = await rate(client, seller, open_plan["id"], 3000, "大促")
    assert r.json()["rate_bps"] == 3000 and r.json()["pending_rate_bps"] is None
    history = (
        await client.get(f"{L}/plans/{open_plan['id']}/history", headers=seller.headers)
    ).json()
    assert [(h["change"], h["rate_bps"], h["superseded"]) for h in history["rates"]] == [
        ("set", 2000, False),
        ("cut", 1500, True),  # replaced by the raise before it took effect
        ("raise", 3000, False),
    ]
    assert history["rates"][1]["reason"] == "旺季结束"
    assert history["rates"][1]["actor_id"] == str(seller.user_id)


async def test_cut_at_local_midnight_in_another_zone(client, admin):
    county = await new_county(client, admin, timezone="America/New_York", name="纽约测试县")
    seller, entry = await pool_entry(client, county)
    open_plan = (await plan(client, seller, entry, rate_bps=2000)).json()
    r = await rate(client, seller, open_plan["id"], 1000)
    assert local_midnight_next("America/New_York", r.json()["pending_effective_at"])


async def test_exclusive_plan_limits_and_never_with_open(client, county):
    seller, entry = await pool_entry(client, county)
    li = await streamer(client, county)
    r = await plan(client, seller, entry, "exclusive", 3000, streamer_id=str(li.org_id))
    assert r.status_code == 201, r.text
    exclusive = r.json()
    r = await plan(client, seller, entry, "open", 1000)
    assert r.status_code == 409 and r.json()["type"].endswith("livestream-plan-conflict")
    assert (await rate(client, seller, exclusive["id"], 2400)).status_code == 422  # > 5 points
    assert (await rate(client, seller, exclusive["id"], 2500)).status_code == 200
    # a second cut within 7 days (measured from the rate in effect, 30 %, until midnight)
    r = await rate(client, seller, exclusive["id"], 2600)
    assert r.status_code == 422 and "7 days" in r.json()["detail"]
    assert (await rate(client, seller, exclusive["id"], 3500)).status_code == 200  # raises free


async def test_agency_activity_fee_and_total_caps(client, county):
    seller, entry = await pool_entry(client, county)
    agency = await new_org(client, county, "livestream_agency")
    r = await client.put(f"{L}/agencies/me", json={"service_fee_bps": 1000}, headers=agency.headers)
    assert r.status_code == 200, r.text
    base = {"agency_id": str(agency.org_id), "period_days": 90}
    r = await plan(client, seller, entry, "agency", 5001, service_fee_bps=4000, **base)
    assert r.status_code == 422 and "90 %" in r.json()["detail"]
    r = await plan(client, seller, entry, "agency", 1000, service_fee_bps=4001, **base)
    assert r.status_code == 422
    r = await plan(
        client,
        seller,
        entry,
        "agency",
        2000,
        service_fee_bps=1500,
        agency_id=str(agency.org_id),
        period_days=45,
    )
    assert r.status_code == 422
    r = await plan(client, seller, entry, "agency", 5000, service_fee_bps=4000, **base)
    assert r.status_code == 201, r.text
    days = (
        datetime.fromisoformat(r.json()["ends_on"]) - datetime.fromisoformat(r.json()["starts_on"])
    ).days
    assert days == 89


async def test_best_rate_across_open_directed_and_agency_plans(client, county):
    seller, entry = await pool_entry(client, county)
    li = await streamer(client, county, level=3)
    agency = await new_org(client, county, "livestream_agency")
    await client.put(f"{L}/agencies/me", json={"service_fee_bps": 500}, headers=agency.headers)
    r = await client.post(
        f"{L}/agencies/me/members", json={"streamer_id": str(li.org_id)}, headers=agency.headers
    )
    assert r.status_code == 200, r.text

    async def best():
        r = await client.get(
            f"{L}/plans/best", params={"pool_entry_id": entry["id"]}, headers=li.headers
        )
        assert r.status_code == 200, r.text
        return r.json()["kind"], r.json()["rate_bps"]

    assert await best() == (None, None)
    await plan(client, seller, entry, "open", 1500)
    assert await best() == ("open", 1500)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    directed = (
        await plan(
            client,
            seller,
            entry,
            "directed",
            2500,
            min_level=3,
            auto_approve=True,
            starts_on=today.isoformat(),
            ends_on=today.replace(year=today.year + 1).isoformat(),
        )
    ).json()
    assert await best() == ("open", 1500)  # not applied yet
    r = await client.post(f"{L}/plans/{directed['id']}/applications", json={}, headers=li.headers)
    assert r.status_code == 201 and r.json()["status"] == "approved"
    assert r.json()["decided_by"] == "rule"
    assert await best() == ("directed", 2500)
    r = await plan(
        client,
        seller,
        entry,
        "agency",
        3000,
        service_fee_bps=500,
        agency_id=str(agency.org_id),
        period_days=30,
    )
    assert r.status_code == 201, r.text
    assert await best() == ("agency", 3000)
    # a streamer below the level waits for the supplier, and sees only its own application
    wang = await streamer(client, county, level=1)
    r = await client.post(f"{L}/plans/{directed['id']}/applications", json={}, headers=wang.headers)
    assert r.json()["status"] == "pending"
    mine = await listed(client, f"/plans/{directed['id']}/applications", wang.headers)
    assert [a["streamer_id"] for a in mine] == [str(wang.org_id)]
    everyone = await listed(client, f"/plans/{directed['id']}/applications", seller.headers)
    assert len(everyone) == 2
    other = next(a for a in everyone if a["streamer_id"] == str(wang.org_id))
    r = await client.post(f"{L}/plan-applications/{other['id']}/approve", headers=li.headers)
    assert r.status_code == 404  # not li's to decide, nor to see
    r = await client.post(f"{L}/plan-applications/{other['id']}/approve", headers=seller.headers)
    assert r.json()["status"] == "approved" and r.json()["decided_by"] == "supplier"


async def test_another_supplier_cannot_change_my_plan(client, county):
    seller, entry = await pool_entry(client, county)
    other, _ = await pool_entry(client, county)
    open_plan = (await plan(client, seller, entry, rate_bps=2000)).json()
    r = await rate(client, other, open_plan["id"], 5000)
    assert r.status_code == 403  # an open plan is visible to the region, not the other's to change
    r = await client.get(f"{L}/plans/{open_plan['id']}/history", headers=other.headers)
    assert r.status_code == 404
