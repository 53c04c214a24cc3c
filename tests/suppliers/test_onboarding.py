"""One onboarding path: a supplier that just signed up applies and uploads at once; the
operator's approval of the application approves the organisation too; a 403 says why."""

from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD, _actor, eventually, refresh_actor, sign_up
from tests.suppliers.helpers import act, draft, upload
from tests.suppliers.test_payouts import ACCOUNT


async def test_a_supplier_applies_right_after_signing_up_and_one_approval_opens_it(client, county):
    org_id, login = await sign_up(client, county, "supplier")
    pending = await _actor(client, login, DEFAULT_PASSWORD, org_id, county.region_id, "supplier")
    application = await draft(client, pending)
    assert application["id"] == str(org_id)
    r = await upload(client, pending, org_id)
    assert r.status_code == 201, r.text
    r = await client.get(f"/v1/suppliers/{org_id}/documents", headers=pending.headers)
    assert r.status_code == 200 and len(r.json()["items"]) == 1
    r = await act(client, pending, org_id, "submit")
    assert r.status_code == 200, r.text

    # what needs an active organisation says why it is refused
    path = f"/v1/suppliers/{org_id}/payout-account"
    r = await client.put(path, json=ACCOUNT, headers=pending.headers)
    assert r.status_code == 403
    problem = r.json()
    assert problem["type"].endswith("/suppliers-organisation-not-active")
    assert problem["organisation_status"] == "pending" and "pending" in problem["detail"]

    for action in ("start-review", "approve"):
        r = await act(client, county.operator, org_id, action)
        assert r.status_code == 200, r.text

    async def organisation_active():
        r = await client.get(
            f"/v1/identity/organisations/{org_id}", headers=county.operator.headers
        )
        return r.json()["status"] == "active"

    await eventually(organisation_active)
    active = await refresh_actor(client, pending)
    r = await client.put(path, json=ACCOUNT, headers=active.headers)
    assert r.status_code == 200, r.text

    async def told():
        r = await client.get("/v1/identity/notifications", headers=active.headers)
        return [n for n in r.json()["items"] if n["kind"] == "supplier.approved"]

    assert await eventually(told)


async def test_a_suspended_organisation_is_told_why_it_cannot_renew(client, county):
    from tests.suppliers.helpers import approved_supplier

    supplier = await approved_supplier(client, county)
    r = await client.post(
        f"/v1/identity/organisations/{supplier.org_id}/suspend",
        json={"reason": "违规经营"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    suspended = await refresh_actor(client, supplier)
    r = await upload(client, suspended, supplier.org_id)
    assert r.status_code == 403, r.text
    assert r.json()["type"].endswith("/suppliers-organisation-not-active")
    assert "suspended" in r.json()["detail"]
    # the record stays readable to its own people
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=suspended.headers)
    assert r.status_code == 200


async def test_only_the_organisations_own_people_reach_its_application_by_its_status(
    client, county
):
    """The own-member check is the shared one, told which statuses onboard: a pending
    organisation's member edits its application; a suspended one's is refused, saying why;
    anyone else is told the application does not exist."""
    from tests.factories import new_org

    org_id, login = await sign_up(client, county, "supplier")
    pending = await _actor(client, login, DEFAULT_PASSWORD, org_id, county.region_id, "supplier")
    await draft(client, pending)
    path = f"/v1/suppliers/{org_id}"
    r = await client.get(path, headers=pending.headers)
    assert r.status_code == 200 and r.json()["status"] == "draft"
    r = await client.patch(path, json={"display_name": "封丘金银花合作社"}, headers=pending.headers)
    assert r.status_code == 200, r.text
    assert r.json()["display_name"] == "封丘金银花合作社"

    stranger = await new_org(client, county, "supplier")
    for method, body in (("GET", None), ("PATCH", {"display_name": "冒名"})):
        r = await client.request(method, path, json=body, headers=stranger.headers)
        assert r.status_code == 404, (method, r.text)

    active = await new_org(client, county, "supplier")
    await draft(client, active)
    r = await client.post(
        f"/v1/identity/organisations/{active.org_id}/suspend",
        json={"reason": "违规经营"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    suspended = await refresh_actor(client, active)
    own = f"/v1/suppliers/{active.org_id}"
    r = await client.patch(own, json={"display_name": "改名"}, headers=suspended.headers)
    assert r.status_code == 403, r.text
    assert r.json()["type"].endswith("/suppliers-organisation-not-active")
    assert r.json()["organisation_status"] == "suspended" and "suspended" in r.json()["detail"]
    r = await act(client, suspended, active.org_id, "submit")
    assert r.status_code == 403
    r = await client.get(own, headers=suspended.headers)
    assert r.status_code == 200 and r.json()["display_name"] != "改名"
