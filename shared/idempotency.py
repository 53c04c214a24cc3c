"""Idempotency-Key for creating POSTs, kept in the service's own schema.

The key is claimed by inserting its row in the request's own transaction, so the work
and the stored answer commit together. A concurrent duplicate blocks on that row until
the first commits (then replays its answer) or rolls back (then runs itself).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from sqlalchemy import Table, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import DriverSQL, ServiceKernel, json_text
from shared.errors import AppError, BadRequest

MAX_KEY_LENGTH = 200
WAIT_FOR_CONCURRENT_SECONDS = 15


@dataclass
class StoredResponse:
    status_code: int
    body: bytes
    headers: dict[str, str]


def _without_multipart_boundary(body: bytes, content_type: str) -> bytes:
    """A client rebuilding an upload on retry picks a new random boundary: hash without it."""
    marker = "boundary="
    if not content_type.startswith("multipart/") or marker not in content_type:
        return body
    boundary = content_type.split(marker, 1)[1].split(";", 1)[0].strip().strip('"')
    return body.replace(boundary.encode(), b"") if boundary else body


def request_fingerprint(
    method: str, path: str, query: str, body: bytes, content_type: str = ""
) -> str:
    body = _without_multipart_boundary(body, content_type)
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def claim_key(
    session: AsyncSession, kernel: ServiceKernel, scope: str, key: str, fingerprint: str
) -> StoredResponse | None:
    """Claim the key for this request, or return the answer stored for it."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise BadRequest(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters")
    table = kernel.idempotency
    try:
        claimed = await DriverSQL(session).fetchrow(
            _claim_statement(table), scope, key, fingerprint
        )
    except DBAPIError as exc:
        if "lock" in str(exc).lower():
            raise AppError(code="idempotency-in-progress") from exc
        raise
    if claimed is not None:
        return None
    row = (
        await session.execute(select(table).where(table.c.scope == scope, table.c.key == key))
    ).one()
    if row.request_hash != fingerprint:
        raise AppError(
            "This Idempotency-Key was first used with another request body or path",
            code="idempotency-key-reused",
        )
    if row.status_code is None:
        raise AppError(code="idempotency-in-progress")
    return StoredResponse(
        row.status_code, row.response_body or b"", dict(row.response_headers or {})
    )


async def store_response(
    session: AsyncSession,
    kernel: ServiceKernel,
    scope: str,
    key: str,
    response: StoredResponse,
) -> None:
    await DriverSQL(session).execute(
        _store_statement(kernel.idempotency),
        response.status_code,
        response.body,
        json_text(response.headers),
        scope,
        key,
    )


# Every creating POST runs these: ready SQL once per service's table, run on the
# session's driver connection (shared.db.DriverSQL), prepared once per connection.
LOCK_TIMEOUT = f"{WAIT_FOR_CONCURRENT_SECONDS}s"


@functools.cache
def _claim_statement(table: Table) -> str:
    """The claim, and the request's lock timeout in the same round trip: the SELECT sets
    it for the rest of the transaction (`set_config(..., true)` is SET LOCAL) before its
    row is inserted, so the wait on a concurrent claim of the same key is bounded too."""
    return (
        f"INSERT INTO {table.fullname} (scope, key, request_hash)"
        f" SELECT $1, $2, $3 FROM (SELECT set_config('lock_timeout', '{LOCK_TIMEOUT}', true)) s"
        " ON CONFLICT DO NOTHING RETURNING key"
    )


@functools.cache
def _store_statement(table: Table) -> str:
    return (
        f"UPDATE {table.fullname} SET status_code = $1, response_body = $2,"
        " response_headers = $3::jsonb WHERE scope = $4 AND key = $5"
    )
