"""The daily job warns before documents expire and suspends selling when a required one lapses."""

from __future__ import annotations

from datetime import timedelta

from services.suppliers.worker import EXPIRY_TASK
from shared.tasks import celery_app
from tests.factories import eventually
from tests.suppliers.helpers import act, approved_supplier, in_days, outbox_events, today, upload


def run_job(county, days_from_now: int) -> None:
    """What beat does every night, as of a later day, for this test's county only."""
    as_of = (today() + timedelta(days=days_from_now)).isoformat()
    celery_app.send_task(
        EXPIRY_TASK, kwargs={"as_of": as_of, "region_id": str(county.region_id)}, queue="suppliers"
    )


async def notifications(client, supplier) -> list[dict]:
    r = await client.get(f"/v1/suppliers/{supplier.org_id}/notifications", headers=supplier.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def test_warnings_30_and_7_days_ahead_without_duplicates(client, county):
    supplier = await approved_supplier(client, county, licence_valid_until=in_days(400))
    r = await upload(
        client, supplier, supplier.org_id, kind="inspection_report", valid_until=in_days(40)
    )
    assert r.status_code == 201

    run_job(county, 12)  # 28 days left
    [warning] = await eventually(lambda: notifications(client, supplier))
    assert warning["kind"] == "expires_in_30_days" and warning["due_date"] == in_days(40)
    assert "质检报告" in warning["message"]

    run_job(county, 12)  # again: nothing new
    run_job(county, 35)  # 5 days left
    found = await eventually(
        lambda: _kinds_when(client, supplier, {"expires_in_30_days", "expires_in_7_days"})
    )
    assert sorted(found) == ["expires_in_30_days", "expires_in_7_days"]
    run_job(county, 36)
    run_job(county, 12)
    # Let the worker take the reruns, then check there is still one of each.
    await _drain()
    assert sorted(n["kind"] for n in await notifications(client, supplier)) == [
        "expires_in_30_days",
        "expires_in_7_days",
    ]
    # The supplier marks one read; the unread list shrinks.
    r = await client.post(
        f"/v1/suppliers/{supplier.org_id}/notifications/{warning['id']}/read",
        headers=supplier.headers,
    )
    assert r.status_code == 200 and r.json()["read_at"]
    r = await client.get(
        f"/v1/suppliers/{supplier.org_id}/notifications",
        params={"unread": "true"},
        headers=supplier.headers,
    )
    assert [n["kind"] for n in r.json()["items"]] == ["expires_in_7_days"]
    r = await client.post(
        f"/v1/suppliers/{supplier.org_id}/notifications/{warning['id']}/read",
        headers=county.operator.headers,
    )
    assert r.status_code == 403
    # An inspection report is not required: selling goes on.
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=supplier.headers)
    assert r.json()["status"] == "approved"


async def test_a_lapsed_licence_suspends_selling_and_the_event_is_relayed(client, county):
    supplier = await approved_supplier(client, county, licence_valid_until=in_days(10))
    sid = supplier.org_id
    run_job(county, 11)  # the business licence expired yesterday

    async def suspended():
        r = await client.get(f"/v1/suppliers/{sid}", headers=supplier.headers)
        return r.json() if r.json()["status"] == "suspended" else None

    record = await eventually(suspended)
    assert record["can_sell"] is False
    assert "business_licence" in record["status_reason"]
    profile = (await client.get(f"/v1/suppliers/profiles/{sid}")).json()
    assert profile["can_sell"] is False

    history = (
        await client.get(f"/v1/suppliers/{sid}/history", headers=county.operator.headers)
    ).json()
    last = history["items"][-1]
    assert (last["action"], last["actor_role"], last["actor_user_id"]) == (
        "suspend",
        "system",
        None,
    )

    async def relayed():
        rows = await outbox_events(sid, "suppliers.supplier.suspended")
        return rows if rows and all(at is not None for _, at in rows) else None

    [(payload, published_at)] = await eventually(relayed)
    assert published_at is not None
    assert payload["data"]["supplier_id"] == str(sid)
    assert "business_licence" in payload["data"]["reason"]
    kinds = await eventually(lambda: _kinds_when(client, supplier, {"expired"}, subset=True))
    assert "expired" in kinds

    # Running again does not suspend twice.
    run_job(county, 12)
    await _drain()
    assert len(await outbox_events(sid, "suppliers.supplier.suspended")) == 1

    # Reinstating needs a licence in force; after the renewal it works.
    r = await act(client, county.operator, sid, "reinstate", {"reason": "已续期"})
    assert r.status_code == 200  # the old licence is still in force today (it lapses in 10 days)
    await act(client, county.operator, sid, "suspend", {"reason": "复查"})
    r = await upload(client, supplier, sid, valid_until=in_days(5 * 365))
    assert r.status_code == 201  # a suspended supplier can renew its documents
    r = await act(client, county.operator, sid, "reinstate", {"reason": "营业执照已换发"})
    assert r.status_code == 200 and r.json()["can_sell"] is True
    assert len(await outbox_events(sid, "suppliers.supplier.reinstated")) == 2


async def _kinds_when(client, supplier, wanted: set[str], subset: bool = False):
    kinds = [n["kind"] for n in await notifications(client, supplier)]
    ok = wanted <= set(kinds) if subset else set(kinds) == wanted
    return kinds if ok else None


async def _drain() -> None:
    import redis.asyncio as aioredis

    from shared.settings import get_settings

    client = aioredis.from_url(get_settings().redis_url)
    try:
        await eventually(lambda: _empty(client), timeout=20)
    finally:
        await client.aclose()
    import asyncio

    await asyncio.sleep(1.0)  # the last task taken may still be running


async def _empty(client) -> bool:
    return await client.llen("suppliers") == 0


async def test_validity_days_are_the_counties_own_local_days(client, admin):
    """A county eleven hours behind UTC: a licence valid until its today is still valid,
    whatever the date is in Beijing when the hourly job runs."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import new_county

    county = await new_county(client, admin, timezone="Pacific/Pago_Pago", name="萨摩亚试点县")
    local_today = datetime.now(ZoneInfo("Pacific/Pago_Pago")).date()
    supplier = await approved_supplier(client, county, licence_valid_until=local_today.isoformat())
    celery_app.send_task(
        EXPIRY_TASK, kwargs={"region_id": str(county.region_id)}, queue="suppliers"
    )

    [warning] = await eventually(lambda: notifications(client, supplier))
    assert warning["kind"] == "expires_in_7_days"
    assert warning["due_date"] == local_today.isoformat()
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=supplier.headers)
    assert r.json()["status"] == "approved" and r.json()["can_sell"] is True
