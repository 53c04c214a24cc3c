"""A request that loses a race in PostgreSQL (a deadlock, a lock it may not wait for, a
serialization failure) answers 409 `concurrent-update` with Retry-After, rolls back, and
releases its Idempotency-Key: never a 500, never half a change."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import text

from services.identity.db import kernel
from shared.db import sessionmaker_for
from shared.web import SessionDep, create_app, service_router
from tests.factories import new_county


def app_that_locks_a_region():
    router = service_router(kernel, prefix="/race")

    @router.post("/regions/{region_id}/touch", status_code=201)
    async def touch(region_id: uuid.UUID, other: uuid.UUID, session: SessionDep):
        # a first change that must not survive the lost race
        await session.execute(
            text("UPDATE identity.regions SET name = '改过' WHERE id = :id"), {"id": other}
        )
        # the row another transaction holds: no waiting, the race is lost at once
        await session.execute(
            text("SELECT 1 FROM identity.regions WHERE id = :id FOR UPDATE NOWAIT"),
            {"id": region_id},
        )
        return {"touched": str(region_id)}

    return create_app("race", [router], ["identity"])


async def region_name(region_id: uuid.UUID) -> str:
    async with sessionmaker_for(kernel)() as session:
        return await session.scalar(
            text("SELECT name FROM identity.regions WHERE id = :id"), {"id": region_id}
        )


async def test_a_lost_lock_race_is_a_409_problem_and_changes_nothing(client, admin, county):
    other = await new_county(client, admin, name="长垣市")
    app = app_that_locks_a_region()
    touch = f"/race/regions/{county.region_id}/touch?other={other.region_id}"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://race"
    ) as race:
        async with sessionmaker_for(kernel)() as holder:
            await holder.execute(
                text("SELECT 1 FROM identity.regions WHERE id = :id FOR UPDATE"),
                {"id": county.region_id},
            )
            key = uuid.uuid4().hex
            r = await race.post(touch, headers={"Idempotency-Key": key})
            assert r.status_code == 409
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["type"].endswith("/concurrent-update")
            assert r.headers["retry-after"] == "1"
            await holder.rollback()
        assert await region_name(other.region_id) == "长垣市"

        # the key was released with the rollback: the retry does the work once
        r = await race.post(touch, headers={"Idempotency-Key": key})
        assert r.status_code == 201, r.text
        assert await region_name(other.region_id) == "改过"
        again = await race.post(touch, headers={"Idempotency-Key": key})
        assert again.headers.get("idempotent-replayed") == "true"


async def test_a_duplicate_the_database_refuses_is_a_409_problem_not_a_crash(client, county):
    """A unique rule no service code checked first (two vans with one plate) still answers
    as the client's mistake: 409 problem+json, and nothing else of the request is kept."""
    body = {
        "region_id": str(county.region_id),
        "plate": f"豫G{uuid.uuid4().hex[:5].upper()}",
        "max_weight_g": 1_500_000,
        "max_volume_cm3": 8_000_000,
    }
    r = await client.post("/v1/delivery/vehicles", json=body, headers=county.operator.headers)
    assert r.status_code == 201, r.text
    r = await client.post("/v1/delivery/vehicles", json=body, headers=county.operator.headers)
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/conflict")
    assert "already exists" in r.json()["detail"]
