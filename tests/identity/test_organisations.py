"""Organisations sign up, the region's operator approves them; objects stay within their owners."""

from __future__ import annotations

import uuid

from tests.factories import add_member, new_county, new_org, refresh_actor, sign_up


async def test_station_signs_up_and_is_pending_until_the_operator_approves(client, county):
    org_id, _ = await sign_up(client, county, "station", "城关镇东街村服务站")
    r = await client.get(f"/v1/identity/organisations/{org_id}", headers=county.operator.headers)
    assert r.status_code == 200
    assert r.json()["status"] == "pending"
    listed = await client.get(
        "/v1/identity/organisations", params={"status": "pending"}, headers=county.operator.headers
    )
    assert [o["id"] for o in listed.json()["items"]] == [str(org_id)]

    r = await client.post(
        f"/v1/identity/organisations/{org_id}/approve", json={}, headers=county.operator.headers
    )
    assert r.status_code == 200
    assert r.json()["status"] == "active"
    # Approving twice is not a valid transition.
    r = await client.post(
        f"/v1/identity/organisations/{org_id}/approve", json={}, headers=county.operator.headers
    )
    assert r.status_code == 409
    assert r.json()["type"].endswith("/invalid-transition")


async def test_operator_of_another_county_cannot_see_or_approve(client, admin, county):
    other = await new_county(client, admin)
    org_id, _ = await sign_up(client, county, "supplier")
    r = await client.get(f"/v1/identity/organisations/{org_id}", headers=other.operator.headers)
    assert r.status_code == 404
    r = await client.post(
        f"/v1/identity/organisations/{org_id}/approve", json={}, headers=other.operator.headers
    )
    assert r.status_code == 404
    listed = await client.get("/v1/identity/organisations", headers=other.operator.headers)
    assert str(org_id) not in {o["id"] for o in listed.json()["items"]}


async def test_a_station_cannot_see_another_station(client, county):
    a = await new_org(client, county, "station")
    b = await new_org(client, county, "station")
    assert (
        await client.get(f"/v1/identity/organisations/{a.org_id}", headers=a.headers)
    ).status_code == 200
    r = await client.get(f"/v1/identity/organisations/{b.org_id}", headers=a.headers)
    assert r.status_code == 404
    assert r.json()["type"].endswith("/not-found")
    listed = await client.get("/v1/identity/organisations", headers=a.headers)
    assert [o["id"] for o in listed.json()["items"]] == [str(a.org_id)]


async def test_staff_without_review_role_cannot_suspend(client, county):
    station = await new_org(client, county, "station")
    clerk = await add_member(client, county.operator, ["staff"])
    r = await client.post(
        f"/v1/identity/organisations/{station.org_id}/suspend",
        json={"reason": "test"},
        headers=clerk.headers,
    )
    assert r.status_code == 403
    r = await client.post(
        f"/v1/identity/organisations/{station.org_id}/suspend",
        json={"reason": "资质过期"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    refreshed = await refresh_actor(client, station)
    me = (await client.get("/v1/identity/me", headers=refreshed.headers)).json()
    assert me["memberships"][0]["organisation_status"] == "suspended"


async def test_only_platform_admin_creates_regions(client, county):
    r = await client.post(
        "/v1/identity/regions",
        json={"code": "x-" + uuid.uuid4().hex[:6], "name": "某县"},
        headers=county.operator.headers,
    )
    assert r.status_code == 403
    assert r.json()["type"].endswith("/forbidden")


async def test_owner_invites_a_driver_who_then_signs_in_with_that_role(client, county):
    driver = await add_member(client, county.operator, ["driver"])
    assert driver.roles == ["driver"]
    members = (
        await client.get(
            f"/v1/identity/organisations/{county.operator.org_id}/members",
            headers=county.operator.headers,
        )
    ).json()["items"]
    assert {m["login"] for m in members} == {county.operator.login, driver.login}
    # A driver cannot invite others.
    r = await client.post(
        f"/v1/identity/organisations/{county.operator.org_id}/invitations",
        json={"login": "13900000000", "roles": ["admin"]},
        headers=driver.headers,
    )
    assert r.status_code == 404


async def test_signup_with_a_taken_login_is_a_conflict(client, county):
    r = await client.post(
        "/v1/identity/signup",
        json={
            "region_id": str(county.region_id),
            "organisation": {"kind": "retailer", "name": "小卖部"},
            "user": {
                "login": county.operator.login,
                "password": "long-enough-pw",
                "display_name": "x",
            },
        },
    )
    assert r.status_code == 409
