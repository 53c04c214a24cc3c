"""The kernel's keyset pages, with the cursor's values checked before they reach SQL.

A cursor is opaque but client-held: one edited by hand may decode to a value of the wrong
type for its sort column (a string for a timestamp, a bad id), which PostgreSQL would reject
as a 500. Here such a cursor is bad input (422) like any other invalid cursor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from shared.errors import BadRequest, FieldError
from shared.pagination import Sort, decode_cursor, paginate


def _fits(value: Any, column: ColumnElement[Any]) -> bool:
    expected = column.type.python_type
    if expected is datetime:
        return isinstance(value, datetime) and value.tzinfo is not None
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def check_cursor(
    cursor: str | None,
    sort: Sort,
    sort_columns: dict[str, ColumnElement[Any]],
    id_column: ColumnElement[Any],
) -> None:
    if not cursor:
        return
    key, row_id = decode_cursor(cursor, sort)
    if not (_fits(key, sort_columns[sort.field]) and _fits(row_id, id_column)):
        raise BadRequest(
            "The cursor is invalid or belongs to another sort",
            code="validation-error",
            errors=[FieldError("cursor", "invalid cursor")],
        )


async def page(
    session: AsyncSession,
    stmt: Select[Any],
    *,
    sort: Sort,
    sort_columns: dict[str, ColumnElement[Any]],
    id_column: ColumnElement[Any],
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    """`shared.pagination.paginate` after `check_cursor`."""
    check_cursor(cursor, sort, sort_columns, id_column)
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=sort_columns,
        id_column=id_column,
        cursor=cursor,
        limit=limit,
    )
