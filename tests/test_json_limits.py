"""JSON nested hundreds of levels deep is a 400 problem at the edge of every service, and
the connection stays usable; free-form fields are bounded in depth and size."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from shared.schemas import FREE_FORM_MAX_BYTES, FreeForm
from shared.settings import get_settings
from shared.web import json_nesting_exceeds


def nested_text(depth: int) -> str:
    """A product body whose attributes nest `depth` levels (objects and arrays in turn)."""
    opening = "".join('{"a":' if i % 2 == 0 else "[" for i in range(depth))
    closing = "".join("}" if i % 2 == 0 else "]" for i in reversed(range(depth)))
    return '{"name": "金银花", "attributes": ' + opening + '"蜂蜜"' + closing + "}"


def nested(depth: int) -> dict:
    return json.loads(nested_text(depth))


@pytest.mark.parametrize("depth", [300, 999])
async def test_a_deeply_nested_body_is_refused_and_the_connection_survives(
    live_server, county, depth
):
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        r = await http.post(
            "/v1/catalog/manage/products",
            content=nested_text(depth).encode(),
            headers={**county.operator.headers, "content-type": "application/json"},
        )
        assert r.status_code == 400
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["type"].endswith("/json-too-deep") and r.json()["request_id"]
        # the next request on the same keep-alive connection is answered
        r = await http.get("/healthz")
        assert r.status_code == 200
        r = await http.post(
            "/v1/identity/auth/login",
            content=nested_text(depth).encode(),
            headers={"content-type": "application/json; charset=utf-8"},
        )
        assert r.status_code == 400


async def test_ordinary_nesting_reaches_the_route(client, county):
    r = await client.post(
        "/v1/identity/auth/login", json={"login": [[[[{"x": 1}]]]], "password": "x"}
    )
    assert r.status_code == 422  # the route's own validation, not the edge
    assert r.json()["type"].endswith("/validation-error")


async def test_a_body_over_the_limit_is_413(client):
    big = b'{"a":"' + b"x" * (get_settings().max_json_body_bytes + 1) + b'"}'
    r = await client.post(
        "/v1/identity/auth/login", content=big, headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and r.json()["type"].endswith("/payload-too-large")


def test_the_scan_counts_structure_not_strings():
    assert not json_nesting_exceeds(json.dumps({"a": "[[[[{{{{" * 50}).encode(), 2)
    assert not json_nesting_exceeds(json.dumps({"a": '\\"[[[["'}).encode(), 1)
    assert json_nesting_exceeds(nested_text(32).encode(), 32)  # + the body's own object
    assert not json_nesting_exceeds(nested_text(31).encode(), 32)
    assert not json_nesting_exceeds(b"[" * 10, 10)


class Thing(BaseModel):
    attributes: FreeForm


def test_free_form_fields_are_bounded():
    Thing(attributes={"origin": {"county": "封丘", "grades": [1, 2]}})
    with pytest.raises(ValidationError):
        Thing(attributes=nested(9)["attributes"])
    Thing(attributes=nested(8)["attributes"])
    with pytest.raises(ValidationError):
        Thing(attributes={"x": "蜜" * FREE_FORM_MAX_BYTES})
