"""One list-query dependency: cursor, limit (default 20, at most 100) and a documented sort."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI

from shared.pagination import MAX_LIMIT, ListQuery, list_query
from shared.web import install_error_handlers

ThingsQuery = list_query(("created_at", "name"), default="-created_at")


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/things")
    async def things(q: Annotated[ListQuery, Depends(ThingsQuery)]) -> dict:
        return {
            "cursor": q.cursor,
            "limit": q.limit,
            "sort": q.sort.field,
            "descending": q.sort.descending,
        }

    return app


async def get(params: dict) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/things", params=params)


async def test_defaults_are_twenty_and_the_documented_default_sort():
    r = await get({})
    assert r.json() == {"cursor": None, "limit": 20, "sort": "created_at", "descending": True}
    r = await get({"sort": "name", "limit": 100, "cursor": "abc"})
    assert r.json() == {"cursor": "abc", "limit": 100, "sort": "name", "descending": False}


@pytest.mark.parametrize("params", [{"limit": MAX_LIMIT + 1}, {"limit": 0}, {"sort": "-price"}])
async def test_out_of_range_limits_and_undocumented_sorts_are_422(params):
    r = await get(params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/validation-error")
    fields = [e["field"] for e in r.json()["errors"]]
    assert any(f.endswith("limit") or f == "sort" for f in fields), fields


def test_the_sort_fields_are_documented_in_the_spec():
    spec = make_app().openapi()
    params = {p["name"]: p for p in spec["paths"]["/things"]["get"]["parameters"]}
    assert "created_at, name" in params["sort"]["description"]
    assert params["limit"]["schema"]["maximum"] == MAX_LIMIT


def test_a_default_sort_that_is_not_documented_is_a_programming_error():
    with pytest.raises(ValueError):
        list_query(("name",), default="-created_at")
