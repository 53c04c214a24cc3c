"""What every payments list shares: `limit`/`cursor`/`sort` query parameters and a `Page`
answer with an ETag (the mobile apps poll these lists; If-None-Match answers 304)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BaseModel

from shared.schemas import Page
from shared.web import etag_response

Cursor = Annotated[
    str | None,
    Query(max_length=500, description="`next_cursor` of the previous page; omit for the first"),
]
Limit = Annotated[int, Query(ge=1, le=100, description="Items per page")]


def sort_param(doc: str) -> Any:
    return Query(None, max_length=30, description=doc)


def page_response(
    request: Request,
    rows: Iterable[Any],
    next_cursor: str | None,
    item: Callable[[Any], BaseModel],
) -> Response:
    page = Page[Any](items=[item(r).model_dump(mode="json") for r in rows], next_cursor=next_cursor)
    return etag_response(request, page.model_dump(mode="json"))


def one_response(request: Request, body: BaseModel) -> Response:
    """A single object the apps poll, with its ETag."""
    return etag_response(request, body.model_dump(mode="json"))
