"""The reviewer's queue: filters, longest-waiting first, pages, and only the operator's county."""

from __future__ import annotations

from tests.factories import new_county, new_org
from tests.suppliers.helpers import act, submitted_supplier


async def test_reviewers_filter_the_queue_and_see_who_waited_longest(client, admin, county):
    first, _ = await submitted_supplier(client, county)
    farm, _ = await submitted_supplier(
        client,
        county,
        supplier_kind="family_farm",
        township="城关镇",
        household_relation="none",
        households=[],
    )
    third, _ = await submitted_supplier(client, county, township="城关镇")
    await act(client, county.operator, third.org_id, "start-review")
    headers = county.operator.headers

    async def queue(**params):
        r = await client.get("/v1/suppliers/review-queue", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    items = (await queue())["items"]
    assert [i["id"] for i in items] == [str(first.org_id), str(farm.org_id), str(third.org_id)]
    assert items[0]["waiting_seconds"] >= items[2]["waiting_seconds"]
    assert [i["id"] for i in (await queue(township="城关镇"))["items"]] == [
        str(farm.org_id),
        str(third.org_id),
    ]
    assert [i["id"] for i in (await queue(supplier_kind="family_farm"))["items"]] == [
        str(farm.org_id)
    ]
    assert [i["id"] for i in (await queue(supports_households="false"))["items"]] == [
        str(farm.org_id)
    ]
    assert [i["id"] for i in (await queue(status="under_review"))["items"]] == [str(third.org_id)]
    assert (await queue(status="under_review"))["items"][0]["reviewer_user_id"] == str(
        county.operator.user_id
    )

    page = await queue(limit=2, sort="-submitted_at")
    assert [i["id"] for i in page["items"]] == [str(third.org_id), str(farm.org_id)]
    rest = await queue(limit=2, sort="-submitted_at", cursor=page["next_cursor"])
    assert [i["id"] for i in rest["items"]] == [str(first.org_id)] and rest["next_cursor"] is None

    # Another county's operator sees none of it; a supplier has no queue.
    other = await new_county(client, admin)
    r = await client.get("/v1/suppliers/review-queue", headers=other.operator.headers)
    assert r.json()["items"] == []
    r = await client.get(
        "/v1/suppliers/review-queue",
        params={"region_id": str(county.region_id)},
        headers=other.operator.headers,
    )
    assert r.status_code == 403
    assert (
        await client.get("/v1/suppliers/review-queue", headers=first.headers)
    ).status_code == 403
    bad = await client.get(
        "/v1/suppliers/review-queue", params={"sort": "legal_name"}, headers=headers
    )
    assert bad.status_code == 422


async def test_operator_lists_the_county_suppliers_with_filters(client, county):
    await submitted_supplier(client, county)
    drafting = await new_org(client, county, "supplier")
    r = await client.post(
        "/v1/suppliers",
        json={"supplier_kind": "enterprise", "legal_name": "封丘县树莓食品有限公司"},
        headers=drafting.headers,
    )
    assert r.status_code == 201
    listed = await client.get(
        "/v1/suppliers", params={"status": "draft"}, headers=county.operator.headers
    )
    assert [s["id"] for s in listed.json()["items"]] == [str(drafting.org_id)]
    found = await client.get(
        "/v1/suppliers", params={"q": "树莓食品"}, headers=county.operator.headers
    )
    assert [s["legal_name"] for s in found.json()["items"]] == ["封丘县树莓食品有限公司"]
