"""Every object route of delivery answers 404 to a caller who may not see the object:
another county's operator and driver, and a station that does not own the parcel."""

from __future__ import annotations

import uuid

import pytest

from tests.delivery.helpers import parcel, planned_day
from tests.delivery.test_delivery_day import DAY
from tests.factories import add_member, new_county, new_org

# (method, path, json body); {run}, {parcel}, {station}, {review}, {route}, {vehicle},
# {stop}, {driver}, {region} are filled in from the arranged day
ROUTES = [
    ("GET", "/runs/{run}", None),
    ("GET", "/runs/{run}/pick-list", None),
    ("GET", "/runs/{run}/manifest.pdf", None),
    ("GET", "/runs/{run}/labels.pdf", None),
    ("GET", "/runs/{run}/stops", None),
    ("POST", "/runs/{run}/start", None),
    ("POST", "/runs/{run}/finish", None),
    ("POST", "/runs/{run}/cancel", {"reason": "x"}),
    ("POST", "/runs/{run}/assign", {"driver_user_id": str(uuid.uuid4())}),
    ("POST", "/runs/{run}/stops/2/arrive", None),
    ("POST", "/runs/{run}/stops/1/pickup", {"weight_g": 1}),
    ("POST", "/parcels/{parcel}/deliver", "form"),
    ("POST", "/parcels/{parcel}/exception", {"kind": "absent"}),
    ("POST", "/parcels/{parcel}/receive", None),
    ("POST", "/parcels/{parcel}/hand-over", {"pickup_code": "123456"}),
    ("GET", "/stations/{station}/parcels", None),
    ("POST", "/carrier-parcels/review/{review}/assign", {"stop": "{stop}"}),
    ("POST", "/carrier-parcels/review/{review}/return", {"reason": "x"}),
    ("GET", "/routes/{route}", None),
    ("GET", "/vehicles/{vehicle}", None),
    ("GET", "/stops/{stop}", None),
    ("GET", "/drivers/{driver}?region_id={region}", None),
]


@pytest.fixture
async def arranged(client, county, admin):
    day = await planned_day(client, county, [parcel()])
    op = county.operator.headers
    r = await client.post(
        "/v1/delivery/carrier-parcels",
        json={
            "region_id": str(county.region_id),
            "carrier": "圆通速递",
            "delivery_date": DAY.isoformat(),
            "parcels": [{"tracking_number": f"YT{uuid.uuid4().hex[:10]}", "village": "无名村"}],
        },
        headers=op,
    )
    assert r.json()["rows"][0]["status"] == "review", r.text
    review = (
        await client.get(
            "/v1/delivery/carrier-parcels/review",
            params={"region_id": str(county.region_id)},
            headers=op,
        )
    ).json()["items"][0]
    route = (
        await client.get(
            "/v1/delivery/routes", params={"region_id": str(county.region_id)}, headers=op
        )
    ).json()["items"][0]
    ids = {
        "run": day.run["id"],
        "parcel": day.parcels[0]["id"],
        "station": str(day.li.org_id),
        "review": review["id"],
        "route": route["id"],
        "vehicle": route["vehicle_id"],
        "stop": route["stop_ids"][1],
        "driver": str(day.driver.user_id),
        "region": str(county.region_id),
    }
    other = await new_county(client, admin)
    strangers = {
        "another county's operator": other.operator,
        "another county's driver": await add_member(client, other.operator, ["driver"]),
        "another station": await new_org(client, county, "station"),
    }
    return ids, strangers


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
async def test_a_foreign_caller_gets_404_for_every_delivery_object_route(
    client, arranged, method, path, body
):
    ids, strangers = arranged
    url = "/v1/delivery" + path.format(**ids)
    if isinstance(body, dict):
        body = {
            ("stop_id" if k == "stop" else k): (v.format(**ids) if isinstance(v, str) else v)
            for k, v in body.items()
        }
    for who, stranger in strangers.items():
        if body == "form":
            r = await client.post(url, data={"recipient_name": "张三"}, headers=stranger.headers)
        else:
            r = await client.request(method, url, json=body, headers=stranger.headers)
        assert r.status_code == 404, f"{who}: {method} {url} -> {r.status_code} {r.text}"
