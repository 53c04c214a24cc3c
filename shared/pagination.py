"""Keyset (cursor) pagination on a documented sort field with the id as tie-breaker.

Every list takes the same three query parameters through one dependency:

    ThingsQuery = list_query(("created_at", "name"), default="-created_at")

    @router.get("/things")
    async def list_things(q: Annotated[ListQuery, Depends(ThingsQuery)], ...):
        rows, next_cursor = await paginate_list(session, stmt, q, sort_columns=..., id_column=...)

- `cursor`: the previous page's `next_cursor` (opaque; bound to the sort).
- `limit`: 1..100, default 20. A larger limit is a 422 (`validation-error`), never silently
  cut: 100 is the one cap of the API (apps page through longer lists).
- `sort`: one of the documented fields, `-` prefix for descending; anything else is a 422
  naming the allowed fields.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import Query
from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from shared.errors import BadRequest, FieldError

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class Sort:
    field: str
    descending: bool


def parse_sort(value: str | None, allowed: Collection[str], default: str) -> Sort:
    """`allowed`: the sort field names (or a dict of them to their columns)."""
    raw = value or default
    descending = raw.startswith("-")
    field = raw.lstrip("-")
    if field not in allowed:
        raise BadRequest(
            f"Cannot sort by {field!r}",
            code="validation-error",
            errors=[
                FieldError(
                    "sort", f"one of: {', '.join(sorted(allowed))} (prefix - for descending)"
                )
            ],
        )
    return Sort(field, descending)


@dataclass(frozen=True)
class ListQuery:
    """A list request's cursor, limit and validated sort."""

    cursor: str | None
    limit: int
    sort: Sort


def parse_sort_field(value: str | None, fields: Iterable[str], default: str) -> Sort:
    return parse_sort(value, tuple(fields), default)


def list_query(
    sort_fields: Iterable[str], default: str, *, default_limit: int = DEFAULT_LIMIT
) -> Callable[..., Awaitable[ListQuery]]:
    """The FastAPI dependency of one list: `sort_fields` are the documented sort keys."""
    fields = tuple(sort_fields)
    if default.lstrip("-") not in fields:
        raise ValueError(f"default sort {default!r} is not one of {fields}")
    sort_doc = (
        f"Sort by one of: {', '.join(fields)}; prefix `-` for descending. Default `{default}`."
    )

    # (async: a sync dependency runs in the thread pool, a thread hop per request)
    # (defaults, not Annotated: this module's annotations are strings and these
    # descriptions are local)
    async def dependency(
        cursor: str | None = Query(
            None,
            max_length=500,
            description="`next_cursor` of the previous page; omit for the first",
        ),
        limit: int = Query(
            default_limit, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})"
        ),
        sort: str | None = Query(None, max_length=60, description=sort_doc),
    ) -> ListQuery:
        return ListQuery(cursor or None, limit, parse_sort_field(sort, fields, default))

    return dependency


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "t" in value:
        return datetime.fromisoformat(value["t"])
    if isinstance(value, dict) and "d" in value:
        return date.fromisoformat(value["d"])
    if isinstance(value, dict) and "u" in value:
        return uuid.UUID(value["u"])
    return value


def encode_cursor(sort: Sort, key: Any, row_id: Any) -> str:
    raw = json.dumps(
        {"s": sort.field, "d": sort.descending, "k": _encode(key), "i": _encode(row_id)}
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> tuple[Any, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data["s"] != sort.field or data["d"] != sort.descending:
            raise ValueError("cursor belongs to another sort")
        return _decode(data["k"]), _decode(data["i"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BadRequest(
            "The cursor is invalid or belongs to another sort",
            code="validation-error",
            errors=[FieldError("cursor", "invalid cursor")],
        ) from exc


def _fits(value: Any, column: ColumnElement[Any]) -> bool:
    """Whether a decoded cursor value has the type of the column it is compared with."""
    try:
        expected = column.type.python_type
    except NotImplementedError:
        return True
    if expected is datetime:
        return isinstance(value, datetime) and value.tzinfo is not None
    if expected is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, expected)


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    *,
    sort: Sort,
    sort_columns: Mapping[str, Any],
    id_column: Any,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    """Run `stmt` (selecting ORM entities) one page at a time. Returns (rows, next_cursor)."""
    limit = max(1, min(limit, MAX_LIMIT))
    column = sort_columns[sort.field]
    if cursor:
        key, last_id = decode_cursor(cursor, sort)
        if not (_fits(key, column) and _fits(last_id, id_column)):
            # a hand-edited cursor of the wrong type would reach SQL and fail as a 500
            raise BadRequest(
                "The cursor is invalid or belongs to another sort",
                code="validation-error",
                errors=[FieldError("cursor", "invalid cursor")],
            )
        if sort.descending:
            stmt = stmt.where(or_(column < key, and_(column == key, id_column < last_id)))
        else:
            stmt = stmt.where(or_(column > key, and_(column == key, id_column > last_id)))
    order = (
        (column.desc(), id_column.desc()) if sort.descending else (column.asc(), id_column.asc())
    )
    rows = list((await session.execute(stmt.order_by(*order).limit(limit + 1))).scalars().all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(
            sort, getattr(last, str(column.key)), getattr(last, str(id_column.key))
        )
    return rows, next_cursor


async def paginate_list(
    session: AsyncSession,
    stmt: Select[Any],
    query: ListQuery,
    *,
    sort_columns: Mapping[str, Any],
    id_column: Any,
) -> tuple[list[Any], str | None]:
    """`paginate` driven by a `ListQuery` (the dependency's answer)."""
    return await paginate(
        session,
        stmt,
        sort=query.sort,
        sort_columns=sort_columns,
        id_column=id_column,
        cursor=query.cursor,
        limit=query.limit,
    )
