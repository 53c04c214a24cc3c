"""Platform sales import: explicit column maps, idempotent by platform and order id,
status updates, a row-level report, good rows or none; attribution on import."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.access import ensure_operator
from services.livestream.pool.models import PoolEntry
from services.livestream.sessions.models import LineupItem, LiveSession
from services.livestream.settlement.attribution import Candidate, attribute
from services.livestream.settlement.columns import COLUMN_MAPS, RowError, parse_row
from services.livestream.settlement.models import PlatformProduct, SaleLine
from services.livestream.settlement.schemas import ImportReport, PlatformProductWrite, RowRejection
from services.livestream.streamers.models import Streamer
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import NotFound, RuleViolation

FIELDS = ("status", "paid_fen", "commission_rate_bps", "settled_at", "refunded_at", "author_id")


def read_csv(data: bytes) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return list(csv.DictReader(io.StringIO(text)))


async def map_product(
    session: AsyncSession, principal: Principal, body: PlatformProductWrite
) -> None:
    ensure_operator(principal, body.region_id)
    entry = await session.get(PoolEntry, body.pool_entry_id)
    if entry is None or entry.region_id != body.region_id:
        raise NotFound("No such pool entry")
    found = await session.scalar(
        select(PlatformProduct).where(
            PlatformProduct.region_id == body.region_id,
            PlatformProduct.platform == body.platform,
            PlatformProduct.platform_product_id == body.platform_product_id,
        )
    )
    if found is None:
        session.add(PlatformProduct(**body.model_dump()))
    else:
        found.pool_entry_id = body.pool_entry_id
    await session.flush()


async def _candidates(session: AsyncSession, region_id: uuid.UUID) -> list[Candidate]:
    sessions = list(
        await session.scalars(
            select(LiveSession).where(
                LiveSession.region_id == region_id,
                LiveSession.status.in_(("live", "ended", "planned")),
            )
        )
    )
    items = (
        list(
            await session.scalars(
                select(LineupItem).where(LineupItem.session_id.in_([s.id for s in sessions]))
            )
        )
        if sessions
        else []
    )
    result = []
    for s in sessions:
        entries = frozenset(i.pool_entry_id for i in items if i.session_id == s.id)
        result.append(
            Candidate(
                s.id,
                s.streamer_id,
                s.started_at or s.planned_start,
                s.ended_at or s.planned_end,
                entries,
            )
        )
    return result


async def import_rows(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID,
    platform: str,
    rows: list[dict[str, Any]],
    mode: str,
) -> ImportReport:
    ensure_operator(principal, region_id)
    if platform not in COLUMN_MAPS:
        raise RuleViolation(f"Unknown platform {platform}")
    parsed: list[tuple[int, dict[str, Any]]] = []
    rejected: list[RowRejection] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            fields = parse_row(platform, row)
            if fields["platform_order_id"] in seen:
                raise RowError("the order id appears twice in this file")
            seen.add(fields["platform_order_id"])
            parsed.append((number, fields))
        except RowError as exc:
            rejected.append(RowRejection(row=number, reason=str(exc)))
    if rejected and mode == "all_or_nothing":
        return ImportReport(
            received=len(rows), created=0, updated=0, unchanged=0, rejected=rejected, imported=False
        )
    mapping = {
        p.platform_product_id: p.pool_entry_id
        for p in await session.scalars(
            select(PlatformProduct).where(
                PlatformProduct.region_id == region_id, PlatformProduct.platform == platform
            )
        )
    }
    authors: dict[str, uuid.UUID] = {}
    for streamer in await session.scalars(select(Streamer).where(Streamer.region_id == region_id)):
        for account in streamer.platform_accounts:
            if account.get("platform") == platform:
                authors[str(account.get("account_id"))] = streamer.id
    existing: dict[str, SaleLine] = {}
    order_ids = [p["platform_order_id"] for _, p in parsed]
    for start in range(0, len(order_ids), 10_000):  # bind parameters are limited per query
        for found_line in await session.scalars(
            select(SaleLine)
            .where(
                SaleLine.platform == platform,
                SaleLine.platform_order_id.in_(order_ids[start : start + 10_000]),
            )
            .with_for_update()
        ):
            existing[found_line.platform_order_id] = found_line
    candidates = await _candidates(session, region_id)
    created = updated = unchanged = 0
    new_rows: list[dict[str, Any]] = []
    for number, fields in parsed:
        line = existing.get(fields["platform_order_id"])
        if line is not None:
            if line.region_id != region_id:
                rejected.append(
                    RowRejection(row=number, reason="the order belongs to another region")
                )
                continue
            changes = {k: fields[k] for k in FIELDS if getattr(line, k) != fields[k]}
            if not changes:
                unchanged += 1
                continue
            for key, value in changes.items():
                setattr(line, key, value)
            updated += 1
            continue
        entry_id = mapping.get(fields["platform_product_id"])
        found, how = attribute(
            candidates,
            fields["paid_at"],
            streamer_id=authors.get(fields["author_id"] or ""),
            pool_entry_id=entry_id,
        )
        new_rows.append(
            {
                "id": uuid.uuid4(),
                "region_id": region_id,
                "platform": platform,
                "pool_entry_id": entry_id,
                "session_id": found.session_id if found else None,
                "streamer_id": found.streamer_id if found else None,
                "attributed_by": how,
                **fields,
            }
        )
        created += 1
    await session.flush()
    await _copy_lines(session, new_rows)
    return ImportReport(
        received=len(rows),
        created=created,
        updated=updated,
        unchanged=unchanged,
        rejected=rejected,
        imported=True,
    )


COPY_COLUMNS = [c.name for c in SaleLine.__table__.columns]


async def _copy_lines(session: AsyncSession, new_rows: list[dict[str, Any]]) -> None:
    """New lines go in with COPY, inside the request's transaction (a 100,000-line export
    would otherwise spend most of its time in INSERT statements)."""
    if not new_rows:
        return
    now = utcnow()
    stamps = {"created_at": now, "updated_at": now}
    merged = (row | stamps for row in new_rows)
    records = [tuple(row.get(c) for c in COPY_COLUMNS) for row in merged]
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    await driver.copy_records_to_table(
        SaleLine.__tablename__,
        schema_name=SaleLine.__table__.schema,
        columns=COPY_COLUMNS,
        records=records,
    )


async def list_lines(
    session: AsyncSession, principal: Principal, *, unmatched: bool
) -> list[SaleLine]:
    """Lines the caller may see: a streamer its own, the operator its region's."""
    stmt = select(SaleLine).where(
        readable_clause(
            principal,
            SaleLine.__table__.c.streamer_id,
            region_column=SaleLine.__table__.c.region_id,
        )
    )
    if unmatched:
        stmt = stmt.where(SaleLine.session_id.is_(None))
    return list(await session.scalars(stmt.order_by(SaleLine.paid_at).limit(500)))
