"""Kernel operations every service has: dead letters (list, show, retry), replaying stored
events to one consumer, pruning the kernel tables, and the app lifecycle."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import select

from services.identity.db import kernel as identity
from shared.db import sessionmaker_for, utcnow
from shared.events import Event, EventHandlers, replay_outbox
from shared.retention import prune_kernel_tables
from shared.tasks import event_task
from tests.factories import eventually, new_county, new_org, sign_up

A = "/v1/identity/admin"


def probe(region_id) -> dict:
    return Event(
        type="test.kernel.probe", producer="test", region_id=region_id, data={"n": 1}
    ).model_dump(mode="json")


async def dead_letter_of(client, admin, event_id) -> dict | None:
    r = await client.get(f"{A}/dead-letters", params={"limit": 100}, headers=admin.headers)
    assert r.status_code == 200, r.text
    return next((d for d in r.json()["items"] if d["event_id"] == str(event_id)), None)


async def give_up_on(payload: dict, retries: int = 2) -> bool:
    """Run a consumer whose handler always fails through every retry (eagerly)."""
    failing = EventHandlers()

    @failing.on("test.kernel.probe")
    async def boom(session, event):
        raise RuntimeError("the read model is broken")

    task = event_task(
        identity, failing, name=f"test.handle_event.{uuid.uuid4().hex[:8]}", max_retries=retries
    )
    result = await asyncio.to_thread(task.apply, args=[payload])
    return result.get()


async def test_an_event_that_exhausts_its_retries_is_kept_and_can_be_retried(client, admin, county):
    payload = probe(county.region_id)
    assert await give_up_on(payload, retries=2) is False

    letter = await dead_letter_of(client, admin, payload["id"])
    assert letter is not None
    assert letter["state"] == "open" and letter["attempts"] == 3
    assert letter["consumer"] == "identity" and letter["event_type"] == "test.kernel.probe"
    assert "the read model is broken" in letter["error"]
    assert letter["region_id"] == str(county.region_id)

    r = await client.get(f"{A}/dead-letters/{letter['id']}", headers=county.operator.headers)
    assert r.status_code == 200
    assert r.json()["event"]["data"] == {"n": 1}

    # retried: the real worker handles it now (identity has no handler for the type, so
    # it is recorded as handled) and the dead letter says so
    r = await client.post(f"{A}/dead-letters/{letter['id']}/retry", headers=county.operator.headers)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "retried" and r.json()["retried_at"]

    async def handled():
        found = await dead_letter_of(client, admin, payload["id"])
        return found if found and found["state"] == "handled" else None

    await eventually(handled)
    r = await client.post(f"{A}/dead-letters/{letter['id']}/retry", headers=admin.headers)
    assert r.status_code == 422


async def test_dead_letters_are_seen_only_by_admins_and_the_regions_operator(client, admin, county):
    payload = probe(county.region_id)
    await give_up_on(payload, retries=0)
    letter = await dead_letter_of(client, admin, payload["id"])
    assert letter is not None and letter["attempts"] == 1

    other = await new_county(client, admin)
    r = await client.get(f"{A}/dead-letters/{letter['id']}", headers=other.operator.headers)
    assert r.status_code == 404
    r = await client.post(f"{A}/dead-letters/{letter['id']}/retry", headers=other.operator.headers)
    assert r.status_code == 404
    r = await client.get(f"{A}/dead-letters", headers=other.operator.headers)
    assert str(payload["id"]) not in {d["event_id"] for d in r.json()["items"]}

    station = await new_org(client, county, "station")
    r = await client.get(f"{A}/dead-letters", headers=station.headers)
    assert r.status_code == 403
    r = await client.get(f"{A}/dead-letters/{letter['id']}", headers=station.headers)
    assert r.status_code == 404
    r = await client.get(f"{A}/dead-letters/999999999", headers=admin.headers)
    assert r.status_code == 404

    r = await client.get(
        f"{A}/dead-letters", params={"state": "open", "limit": 1}, headers=admin.headers
    )
    assert r.status_code == 200 and len(r.json()["items"]) == 1
    if r.json()["next_cursor"]:
        r2 = await client.get(
            f"{A}/dead-letters",
            params={"state": "open", "limit": 1, "cursor": r.json()["next_cursor"]},
            headers=admin.headers,
        )
        assert r2.json()["items"][0]["id"] < r.json()["items"][0]["id"]


async def test_stored_events_are_replayed_to_one_consumer(client, admin, county):
    since = utcnow() - timedelta(seconds=1)
    org_id, _ = await sign_up(client, county, "supplier")
    sent: list[tuple[str, dict, str]] = []
    count = await replay_outbox(
        sessionmaker_for(identity),
        lambda task, payload, queue: sent.append((task, payload, queue)),
        consumer="suppliers",
        event_types=["identity.organisation.signed_up"],
        since=since,
    )
    ours = [p for _, p, _ in sent if p["data"].get("organisation_id") == str(org_id)]
    assert len(ours) == 1 and count == len(sent)
    assert {(t, q) for t, _, q in sent} == {("suppliers.handle_event", "suppliers")}
    assert all(p["type"] == "identity.organisation.signed_up" for _, p, _ in sent)

    body = {
        "consumer": "suppliers",
        "event_types": ["identity.organisation.signed_up"],
        "since": since.isoformat(),
    }
    r = await client.post(f"{A}/events/replay", json=body, headers=admin.headers)
    assert r.status_code == 202, r.text
    assert r.json()["matching"] >= 1 and r.json()["producer"] == "identity"
    r = await client.post(f"{A}/events/replay", json=body, headers=county.operator.headers)
    assert r.status_code == 403
    r = await client.post(
        f"{A}/events/replay", json={**body, "consumer": "delivery"}, headers=admin.headers
    )
    assert r.status_code == 422 and "does not subscribe" in r.json()["detail"]


async def test_old_kernel_rows_are_pruned_and_recent_or_unsent_ones_kept():
    now = utcnow()
    old_sent, old_unsent, recent = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    old_inbox, recent_inbox = uuid.uuid4(), uuid.uuid4()
    scope = f"test-prune-{uuid.uuid4().hex[:8]}"
    async with sessionmaker_for(identity)() as session:
        for event_id, age, published in (
            (old_sent, 401, True),
            (old_unsent, 401, False),
            (recent, 399, True),
        ):
            created = now - timedelta(days=age)
            await session.execute(
                identity.outbox.insert().values(
                    event_id=event_id,
                    event_type="test.kernel.probe",
                    payload={},
                    created_at=created,
                    published_at=created if published else None,
                )
            )
        for event_id, age in ((old_inbox, 31), (recent_inbox, 29)):
            await session.execute(
                identity.inbox.insert().values(
                    event_id=event_id,
                    event_type="test.kernel.probe",
                    received_at=now - timedelta(days=age),
                )
            )
        for key, hours in (("old", 49), ("recent", 47)):
            await session.execute(
                identity.idempotency.insert().values(
                    scope=scope, key=key, request_hash="x", created_at=now - timedelta(hours=hours)
                )
            )
        await session.commit()

    pruned = await prune_kernel_tables(sessionmaker_for(identity), now=now)
    assert pruned.outbox >= 1 and pruned.inbox >= 1 and pruned.idempotency_keys >= 1

    async with sessionmaker_for(identity)() as session:
        outbox = set(
            (
                await session.execute(
                    select(identity.outbox.c.event_id).where(
                        identity.outbox.c.event_id.in_([old_sent, old_unsent, recent])
                    )
                )
            ).scalars()
        )
        inbox = set(
            (
                await session.execute(
                    select(identity.inbox.c.event_id).where(
                        identity.inbox.c.event_id.in_([old_inbox, recent_inbox])
                    )
                )
            ).scalars()
        )
        keys = set(
            (
                await session.execute(
                    select(identity.idempotency.c.key).where(identity.idempotency.c.scope == scope)
                )
            ).scalars()
        )
    assert outbox == {old_unsent, recent}
    assert inbox == {recent_inbox}
    assert keys == {"recent"}


async def test_a_service_app_closes_its_engines_and_redis_at_shutdown():
    import structlog

    from services.identity.app import app
    from shared import db, redis
    from shared.settings import get_settings
    from shared.web import check_broker, check_database

    assert structlog.is_configured()
    loop = asyncio.get_running_loop()
    async with app.router.lifespan_context(app):
        assert await check_database([get_settings().database_url_for("identity")])
        assert await check_broker()
        assert db._engines.get(loop) and redis._clients.get(loop) is not None
    assert not db._engines.get(loop)
    assert redis._clients.get(loop) is None
