"""Signing in, refresh-token rotation, signing out and the login lockout."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher, Type, extract_parameters
from sqlalchemy import text

from services.identity.db import kernel
from shared.db import sessionmaker_for
from tests.factories import DEFAULT_PASSWORD, new_org, unique_phone


async def test_operator_signs_in_and_sees_their_organisation(client, county):
    r = await client.get("/v1/identity/me", headers=county.operator.headers)
    assert r.status_code == 200
    me = r.json()
    assert me["login"] == county.operator.login
    [membership] = me["memberships"]
    assert membership["organisation_kind"] == "operator"
    assert membership["region_id"] == str(county.region_id)
    assert set(membership["roles"]) >= {"owner", "admin"}


async def test_wrong_password_is_401_problem_in_the_callers_language(client, county):
    r = await client.post(
        "/v1/identity/auth/login",
        json={"login": county.operator.login, "password": "wrong-password"},
        headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"},
    )
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"].endswith("/identity-invalid-credentials")
    assert body["title"] == "账号或密码错误"
    assert body["status"] == 401


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_session(client, county):
    first = await client.post(
        "/v1/identity/auth/login",
        json={"login": county.operator.login, "password": DEFAULT_PASSWORD},
    )
    pair = first.json()
    r = await client.post(
        "/v1/identity/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert r.status_code == 200
    rotated = r.json()
    assert rotated["refresh_token"] != pair["refresh_token"]
    assert rotated["session_id"] == pair["session_id"]
    new_headers = {"Authorization": f"Bearer {rotated['access_token']}"}
    assert (await client.get("/v1/identity/me", headers=new_headers)).status_code == 200

    # The spent token comes back (stolen or replayed): the whole session is revoked.
    r = await client.post(
        "/v1/identity/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert r.status_code == 401
    assert r.json()["type"].endswith("/invalid-token")
    r = await client.post(
        "/v1/identity/auth/refresh", json={"refresh_token": rotated["refresh_token"]}
    )
    assert r.status_code == 401
    assert (await client.get("/v1/identity/me", headers=new_headers)).status_code == 401
    sessions = (
        await client.get("/v1/identity/me/sessions", headers=county.operator.headers)
    ).json()
    revoked = [s for s in sessions if s["id"] == pair["session_id"]]
    assert revoked and revoked[0]["revoked_at"] is not None


async def test_logout_revokes_access_and_refresh_tokens_at_once(client, county):
    pair = (
        await client.post(
            "/v1/identity/auth/login",
            json={"login": county.operator.login, "password": DEFAULT_PASSWORD},
        )
    ).json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    assert (await client.post("/v1/identity/auth/logout", headers=headers)).status_code == 204
    r = await client.get("/v1/identity/me", headers=headers)
    assert r.status_code == 401
    assert r.json()["type"].endswith("/invalid-token")
    r = await client.post(
        "/v1/identity/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert r.status_code == 401
    # Other devices stay signed in.
    assert (await client.get("/v1/identity/me", headers=county.operator.headers)).status_code == 200


async def test_user_lists_and_revokes_another_of_their_sessions(client, county):
    station = await new_org(client, county, "station")
    other = (
        await client.post(
            "/v1/identity/auth/login", json={"login": station.login, "password": DEFAULT_PASSWORD}
        )
    ).json()
    sessions = (await client.get("/v1/identity/me/sessions", headers=station.headers)).json()
    assert {s["id"] for s in sessions} >= {other["session_id"]}
    assert sum(1 for s in sessions if s["current"]) == 1
    r = await client.delete(
        f"/v1/identity/me/sessions/{other['session_id']}", headers=station.headers
    )
    assert r.status_code == 204
    other_headers = {"Authorization": f"Bearer {other['access_token']}"}
    assert (await client.get("/v1/identity/me", headers=other_headers)).status_code == 401
    # Someone else's session id is not found.
    r = await client.delete(
        f"/v1/identity/me/sessions/{other['session_id']}", headers=county.operator.headers
    )
    assert r.status_code == 404


async def test_repeated_failures_lock_the_login_even_for_the_right_password(client, county):
    station = await new_org(client, county, "station")
    for _ in range(5):
        r = await client.post(
            "/v1/identity/auth/login", json={"login": station.login, "password": "nope-nope"}
        )
        assert r.status_code == 401
    r = await client.post(
        "/v1/identity/auth/login", json={"login": station.login, "password": DEFAULT_PASSWORD}
    )
    assert r.status_code == 429
    assert r.json()["type"].endswith("/identity-account-locked")
    assert int(r.headers["retry-after"]) > 0


async def test_unknown_login_fails_like_a_wrong_password(client):
    r = await client.post(
        "/v1/identity/auth/login", json={"login": unique_phone(), "password": "whatever-pass"}
    )
    assert r.status_code == 401
    assert r.json()["type"].endswith("/identity-invalid-credentials")


async def test_jwks_publishes_the_signing_key(client, county):
    r = await client.get("/v1/identity/.well-known/jwks.json")
    assert r.status_code == 200
    [key] = r.json()["keys"]
    assert key["kty"] == "EC" and key["alg"] == "ES256" and key["kid"]
    assert "d" not in key


async def test_a_forged_token_is_rejected(client, county):
    token = county.operator.access_token
    header, payload, signature = token.split(".")
    forged = ".".join(
        [header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")]
    )
    r = await client.get("/v1/identity/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401
    r = await client.get("/v1/identity/me")
    assert r.status_code == 401
    assert r.json()["type"].endswith("/unauthenticated")


async def test_a_password_hashed_at_the_old_cost_is_stored_again_at_sign_in(client, county):
    station = await new_org(client, county, "station")
    # a hash from before the cost was lowered: argon2-cffi's default parameters
    old = PasswordHasher().hash(DEFAULT_PASSWORD)
    await _set_password_hash(station.login, old)

    r = await client.post(
        "/v1/identity/auth/login", json={"login": station.login, "password": DEFAULT_PASSWORD}
    )
    assert r.status_code == 200, r.text
    stored = await _password_hash(station.login)
    assert stored != old
    assert extract_parameters(stored) == Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=2,
        memory_cost=19456,
        parallelism=1,
    )
    # the new hash still signs in; a wrong password still does not
    r = await client.post(
        "/v1/identity/auth/login", json={"login": station.login, "password": DEFAULT_PASSWORD}
    )
    assert r.status_code == 200
    assert await _password_hash(station.login) == stored  # at today's cost: not stored again
    r = await client.post(
        "/v1/identity/auth/login", json={"login": station.login, "password": "wrong-password"}
    )
    assert r.status_code == 401


async def _set_password_hash(login: str, password_hash: str) -> None:
    async with sessionmaker_for(kernel)() as session:
        await session.execute(
            text("UPDATE identity.users SET password_hash = :h WHERE login = :login"),
            {"h": password_hash, "login": login},
        )
        await session.commit()


async def _password_hash(login: str) -> str:
    async with sessionmaker_for(kernel)() as session:
        found = await session.scalar(
            text("SELECT password_hash FROM identity.users WHERE login = :login"), {"login": login}
        )
    assert found is not None
    return str(found)
