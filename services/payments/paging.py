"""What every payments list answers (its `limit`/`cursor`/`sort` come from
`shared.pagination.list_query`): a `Page` with an ETag (the mobile apps poll these lists;
If-None-Match answers 304)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel

from shared.schemas import Page
from shared.web import etag_response


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
