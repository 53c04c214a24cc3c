"""Changes of who may do what hold at once in every service: a removed member's or a
suspended organisation's still-valid access token is refused (401, refresh), and a refresh
carries the new status."""

from __future__ import annotations

import httpx

from tests.factories import Actor, add_member, login, new_org, sign_up

ORDERS = "/v1/repository/orders"
PAYMENTS = "/v1/payments/payments"


async def refreshed(client: httpx.AsyncClient, actor: Actor) -> httpx.Response:
    return await client.post(
        "/v1/identity/auth/refresh", json={"refresh_token": actor.refresh_token}
    )


async def test_a_removed_member_is_refused_at_once_in_another_service(client, county):
    station = await new_org(client, county, "station")
    clerk = await add_member(client, station, ["staff"])
    r = await client.get(ORDERS, headers=clerk.headers)
    assert r.status_code == 200, r.text

    r = await client.delete(
        f"/v1/identity/organisations/{station.org_id}/members/{clerk.user_id}",
        headers=station.headers,
    )
    assert r.status_code == 204, r.text

    # the same, unexpired token: refused at once by the repository and by payments
    for path in (ORDERS, PAYMENTS):
        r = await client.get(path, headers=clerk.headers)
        assert r.status_code == 401, (path, r.text)
        assert r.json()["type"].endswith("/invalid-token")
        assert "refresh" in r.json()["detail"]
    # the owner, not removed, carries on
    assert (await client.get(ORDERS, headers=station.headers)).status_code == 200

    # a refreshed token no longer names the organisation
    r = await refreshed(client, clerk)
    assert r.status_code == 200, r.text
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    r = await client.get("/v1/identity/me", headers=fresh)
    assert r.status_code == 200
    assert str(station.org_id) not in r.text
    r = await client.get(ORDERS, headers=fresh)
    assert r.status_code in (200, 403) and (r.status_code == 403 or r.json()["items"] == [])


async def test_a_suspension_holds_at_once_and_a_refresh_says_why(client, county):
    station = await new_org(client, county, "station")
    assert (await client.get(ORDERS, headers=station.headers)).status_code == 200
    r = await client.post(
        f"/v1/identity/organisations/{station.org_id}/suspend",
        json={"reason": "unpaid invoices"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    r = await client.get(ORDERS, headers=station.headers)
    assert r.status_code == 401 and r.json()["type"].endswith("/invalid-token")

    r = await refreshed(client, station)
    assert r.status_code == 200
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    r = await client.get("/v1/identity/me", headers=fresh)
    statuses = {m["organisation_id"]: m for m in r.json()["memberships"]}
    assert statuses[str(station.org_id)]["organisation_status"] == "suspended"


async def test_a_refresh_after_approval_carries_the_active_status(client, county):
    org_id, login_name = await sign_up(client, county, "retailer")
    tokens = await login(client, login_name, "correct-horse-battery")
    pending = {"Authorization": f"Bearer {tokens['access_token']}"}
    r = await client.get("/v1/identity/me", headers=pending)
    assert r.status_code == 200

    r = await client.post(
        f"/v1/identity/organisations/{org_id}/approve", json={}, headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    # the pending token is stale now: the client refreshes instead of getting 403s
    r = await client.get("/v1/identity/me", headers=pending)
    assert r.status_code == 401
    r = await client.post(
        "/v1/identity/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert r.status_code == 200
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    r = await client.get("/v1/identity/me", headers=fresh)
    statuses = {m["organisation_id"]: m for m in r.json()["memberships"]}
    assert statuses[str(org_id)]["organisation_status"] == "active"


async def test_a_lowered_role_holds_at_once_in_another_service(client, county):
    from tests.suppliers.helpers import approved_supplier
    from tests.suppliers.test_payouts import ACCOUNT

    supplier = await approved_supplier(client, county)
    payout = f"/v1/suppliers/{supplier.org_id}/payout-account"
    finance = await add_member(client, supplier, ["finance"])
    assert (await client.put(payout, json=ACCOUNT, headers=finance.headers)).status_code == 200

    members = f"/v1/identity/organisations/{supplier.org_id}/members/{finance.user_id}"
    # a member without the admin role may not change roles; a foreign organisation's owner
    # does not see the organisation at all
    clerk = await add_member(client, supplier, ["staff"])
    r = await client.patch(members, json={"roles": ["owner"]}, headers=clerk.headers)
    assert r.status_code == 403, r.text
    stranger = await new_org(client, county, "station")
    r = await client.patch(members, json={"roles": ["staff"]}, headers=stranger.headers)
    assert r.status_code == 404, r.text

    r = await client.patch(members, json={"roles": ["staff"]}, headers=supplier.headers)
    assert r.status_code == 200, r.text
    assert r.json()["roles"] == ["staff"] and r.json()["user_id"] == str(finance.user_id)

    # the same, unexpired token: refused at once by suppliers (a write) and the repository
    r = await client.put(payout, json=ACCOUNT, headers=finance.headers)
    assert r.status_code == 401, r.text
    assert r.json()["type"].endswith("/invalid-token") and "refresh" in r.json()["detail"]
    assert (await client.get(ORDERS, headers=finance.headers)).status_code == 401
    # the owner, whose roles did not change, carries on
    assert (await client.put(payout, json=ACCOUNT, headers=supplier.headers)).status_code == 200

    # a refreshed token carries the lowered role: the write is now forbidden
    r = await refreshed(client, finance)
    assert r.status_code == 200, r.text
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    r = await client.put(payout, json=ACCOUNT, headers=fresh)
    assert r.status_code == 403, r.text
    r = await client.get("/v1/identity/me", headers=fresh)
    roles = {m["organisation_id"]: m["roles"] for m in r.json()["memberships"]}
    assert roles[str(supplier.org_id)] == ["staff"]


async def test_the_regions_operator_changes_roles_and_the_last_owner_stays(client, county):
    station = await new_org(client, county, "station")
    clerk = await add_member(client, station, ["staff"])
    base = f"/v1/identity/organisations/{station.org_id}/members"
    r = await client.patch(
        f"{base}/{clerk.user_id}", json={"roles": ["admin"]}, headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["roles"] == ["admin"]
    # the last owner cannot give the role up, and a station has no drivers
    r = await client.patch(
        f"{base}/{station.user_id}", json={"roles": ["staff"]}, headers=station.headers
    )
    assert r.status_code == 409, r.text
    assert r.json()["type"].endswith("/conflict")
    r = await client.patch(
        f"{base}/{station.user_id}", json={"roles": ["driver"]}, headers=station.headers
    )
    assert r.status_code == 422, r.text
    listed = (await client.get(base, headers=station.headers)).json()["items"]
    assert {m["user_id"]: m["roles"] for m in listed}[str(station.user_id)] == ["owner"]
