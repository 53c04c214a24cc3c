"""An organisation's members come a page at a time, first joined first."""

from __future__ import annotations

from tests.delivery.test_lists import all_pages
from tests.factories import add_member, new_org


async def test_an_owner_pages_through_the_organisations_members(client, county):
    station = await new_org(client, county, "station")
    added = [await add_member(client, station, ["staff"]) for _ in range(3)]
    url = f"/v1/identity/organisations/{station.org_id}/members"
    pages = await all_pages(client, url, station.headers, limit=3)
    assert [len(p) for p in pages] == [3, 1]
    users = [m["user_id"] for page in pages for m in page]
    assert users == [str(a.user_id) for a in (station, *added)]
    latest = await all_pages(client, url, county.operator.headers, limit=2, sort="-joined_at")
    assert [m["user_id"] for page in latest for m in page] == list(reversed(users))
    stranger = await new_org(client, county, "station")
    r = await client.get(url, headers=stranger.headers)
    assert r.status_code == 404
