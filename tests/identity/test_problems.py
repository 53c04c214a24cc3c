"""Every error is RFC 9457 problem+json, and bad input changes nothing."""

from __future__ import annotations

import uuid

from tests.factories import unique_phone


def assert_problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"].endswith("/" + code)
    assert body["status"] == status
    assert body["title"]
    assert "Traceback" not in r.text
    return body


async def test_malformed_json_is_400(client, county):
    r = await client.post(
        "/v1/identity/signup",
        content=b'{"region_id": "x", ',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(r, 400, "malformed-json")


async def test_unknown_field_is_rejected_with_its_name(client, county):
    r = await client.post(
        "/v1/identity/signup",
        json={
            "region_id": str(county.region_id),
            "organisation": {"kind": "station", "name": "站", "colour": "red"},
            "user": {"login": unique_phone(), "password": "long-enough-pw", "display_name": "x"},
        },
    )
    body = assert_problem(r, 422, "validation-error")
    assert any(e["field"].endswith("organisation.colour") for e in body["errors"])


async def test_wrong_types_name_each_field_and_create_nothing(client, county):
    login = unique_phone()
    r = await client.post(
        "/v1/identity/signup",
        json={
            "region_id": "not-a-uuid",
            "organisation": {"kind": "spaceship", "name": ""},
            "user": {"login": login, "password": 12345, "display_name": "x"},
        },
        headers={"Accept-Language": "zh-CN"},
    )
    body = assert_problem(r, 422, "validation-error")
    assert body["title"] == "请求字段无效"
    fields = {e["field"] for e in body["errors"]}
    assert {"body.region_id", "body.organisation.kind", "body.user.password"} <= fields
    r = await client.post(
        "/v1/identity/auth/login", json={"login": login, "password": "long-enough-pw"}
    )
    assert r.status_code == 401


async def test_oversized_body_is_413(client):
    r = await client.post(
        "/v1/identity/signup",
        content=b'{"x": "' + b"a" * 2_000_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(r, 413, "payload-too-large")


async def test_unknown_route_and_foreign_ids_are_404_problems(client, county):
    assert_problem(await client.get("/v1/identity/nowhere"), 404, "not-found")
    r = await client.get(
        f"/v1/identity/organisations/{uuid.uuid4()}", headers=county.operator.headers
    )
    assert_problem(r, 404, "not-found")


async def test_wrong_method_is_405_problem(client):
    assert_problem(await client.delete("/v1/identity/regions"), 405, "method-not-allowed")


async def test_bad_cursor_is_a_validation_problem(client, county):
    r = await client.get(
        "/v1/identity/organisations", params={"cursor": "garbage"}, headers=county.operator.headers
    )
    assert_problem(r, 422, "validation-error")
    r = await client.get(
        "/v1/identity/organisations", params={"sort": "password"}, headers=county.operator.headers
    )
    assert_problem(r, 422, "validation-error")


async def test_cursor_pages_cover_every_row_once(client, county):
    from tests.factories import sign_up

    created = {str((await sign_up(client, county, "retailer"))[0]) for _ in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, "kind": "retailer", **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get(
                "/v1/identity/organisations", params=params, headers=county.operator.headers
            )
        ).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(created)
