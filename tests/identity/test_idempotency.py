"""Idempotency-Key: a retry over a bad connection returns the first answer, never a second effect."""

from __future__ import annotations

import asyncio
import uuid

from tests.factories import unique_phone


def signup_body(county, login: str, name: str = "东街村服务站") -> dict:
    return {
        "region_id": str(county.region_id),
        "organisation": {"kind": "station", "name": name},
        "user": {"login": login, "password": "long-enough-pw", "display_name": "站长"},
    }


async def pending_stations(client, county) -> list[dict]:
    r = await client.get(
        "/v1/identity/organisations",
        params={"kind": "station", "limit": 100},
        headers=county.operator.headers,
    )
    return r.json()["items"]


async def test_retry_with_the_same_key_replays_the_first_answer(client, county):
    key = str(uuid.uuid4())
    body = signup_body(county, unique_phone())
    first = await client.post("/v1/identity/signup", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201
    again = await client.post("/v1/identity/signup", json=body, headers={"Idempotency-Key": key})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(await pending_stations(client, county)) == 1


async def test_same_key_with_another_body_is_422(client, county):
    key = str(uuid.uuid4())
    first = await client.post(
        "/v1/identity/signup",
        json=signup_body(county, unique_phone()),
        headers={"Idempotency-Key": key},
    )
    assert first.status_code == 201
    other = await client.post(
        "/v1/identity/signup",
        json=signup_body(county, unique_phone(), "西街村服务站"),
        headers={"Idempotency-Key": key},
    )
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert len(await pending_stations(client, county)) == 1


async def test_concurrent_duplicates_have_one_effect(client, county):
    key = str(uuid.uuid4())
    body = signup_body(county, unique_phone())
    responses = await asyncio.gather(
        *[
            client.post("/v1/identity/signup", json=body, headers={"Idempotency-Key": key})
            for _ in range(6)
        ]
    )
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, statuses
    created = {r.json()["organisation"]["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert len(await pending_stations(client, county)) == 1


async def test_a_failed_request_does_not_burn_the_key(client, county):
    key = str(uuid.uuid4())
    body = signup_body(county, unique_phone())
    bad = {**body, "region_id": str(uuid.uuid4())}
    r = await client.post("/v1/identity/signup", json=bad, headers={"Idempotency-Key": key})
    assert r.status_code == 404
    # Nothing was stored for the failure: the corrected request with a fresh key succeeds,
    # and the same key with the failing body fails again the same way (it is re-run).
    r = await client.post("/v1/identity/signup", json=bad, headers={"Idempotency-Key": key})
    assert r.status_code == 404
    r = await client.post(
        "/v1/identity/signup", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert r.status_code == 201


async def test_keys_are_per_caller(client, admin, county):
    key = str(uuid.uuid4())
    code = "k-" + uuid.uuid4().hex[:8]
    r = await client.post(
        "/v1/identity/regions",
        json={"code": code, "name": "甲县"},
        headers={**admin.headers, "Idempotency-Key": key},
    )
    assert r.status_code == 201
    # The same key from an anonymous caller on another route is a different key.
    r = await client.post(
        "/v1/identity/signup",
        json=signup_body(county, unique_phone()),
        headers={"Idempotency-Key": key},
    )
    assert r.status_code == 201
