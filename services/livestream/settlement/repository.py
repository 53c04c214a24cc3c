"""All SQL of sale lines, their commission entries and the return windows. The import is
set-based. Under a lock per platform (the scope of the order-id key), one query finds which
order ids are already lines; the new lines go straight into `sale_lines` with a binary
COPY, and their events (LINES_PER_EVENT to an event) with a second COPY into the outbox;
the rows of lines already recorded go with COPY into a staging table and one INSERT … ON
CONFLICT … DO UPDATE … WHERE changed updates the changed ones. Should the COPY of new
lines still meet a line recorded meanwhile (a writer outside the lock), it is rolled back
to its savepoint and every row takes the staging path, whose ON CONFLICT cannot double a
line."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import asyncpg
import orjson
from sqlalchemy import Select, and_, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.plans.models import Plan, PlanApplication, PlanRate
from services.livestream.pool.models import PoolEntry
from services.livestream.sessions.models import LineupItem, LiveSession
from services.livestream.settlement.models import (
    CommissionEntry,
    PlatformProduct,
    ReturnWindow,
    SaleLine,
)
from services.livestream.streamers.models import Agency, Streamer
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.db import DriverSQL, kernel_of
from shared.pagination import ListQuery, paginate_list

# the lines list's documented sort keys and their columns (the id breaks ties)
LINE_SORTS = {"paid_at": SaleLine.paid_at}
LINE_COLUMNS = [c.name for c in SaleLine.__table__.columns]
# what the import computes per line, in the order of its records: the row's parsed fields
# (columns.parse_row), the terms (who shares the line, the rate, the split), the line's own
ROW_FIELDS = (
    "platform_order_id",
    "platform_product_id",
    "author_id",
    "quantity",
    "paid_fen",
    "refunded_fen",
    "commission_rate_bps",
    "platform_status",
    "paid_at",
    "confirmed_at",
    "platform_settled_at",
    "refunded_at",
)
TERM_FIELDS = (
    "streamer_id",
    "agency_id",
    "supplier_id",
    "catalog_product_id",
    "plan_id",
    "rate_source",
    "rate_bps",
    "agency_fee_bps",
    "agency_share_bps",
    "supply_price_fen",
    "supplier_fen",
    "agency_fen",
    "streamer_fen",
    "base_fen",
)
OWN_FIELDS = (
    "region_id",
    "platform",
    "pool_entry_id",
    "session_id",
    "attributed_by",
    "status",
    "settled_at",
    "version",
)
# a staged row: STAGED_COLUMNS + its row number (the staging table draws a new line's id);
# created_at and updated_at are the columns' default, the transaction's now() (which the
# import takes as its `now`): encoding two datetimes a row cost the COPY a third of its
# Python time
STAGED_COLUMNS = [*ROW_FIELDS, *TERM_FIELDS, *OWN_FIELDS]
if sorted(STAGED_COLUMNS) != sorted(
    c for c in LINE_COLUMNS if c not in ("id", "created_at", "updated_at")
):
    raise RuntimeError("an import record must hold every line column but id and times")
# a new line's record for the COPY into sale_lines: its id (text), then STAGED_COLUMNS
NEW_COLUMNS = ["id", *STAGED_COLUMNS]
# what a later export may change (the platform's facts); the rest is fixed at the first record
PLATFORM_FIELDS = (
    "platform_status",
    "paid_fen",
    "refunded_fen",
    "commission_rate_bps",
    "confirmed_at",
    "platform_settled_at",
    "refunded_at",
    "author_id",
    "quantity",
)
RECORDED = "livestream.sale_line.recorded"
# an import's new lines travel in events of up to LINES_PER_EVENT lines (docs/events.md):
# one outbox row, one relay send and one consumer transaction per batch, not per line
RECORDED_MANY = "livestream.sale_lines.recorded"
LINES_PER_EVENT = 500
# `livestream.sale_line.recorded`'s fields (docs/events.md) and the line columns they are
EVENT_FIELDS = {
    "line_id": "id",
    "region_id": "region_id",
    "platform": "platform",
    "platform_order_id": "platform_order_id",
    "session_id": "session_id",
    "streamer_org_id": "streamer_id",
    "agency_org_id": "agency_id",
    "supplier_org_id": "supplier_id",
    "catalog_product_id": "catalog_product_id",
    "pool_entry_id": "pool_entry_id",
    "quantity": "quantity",
    "paid_fen": "paid_fen",
    "refunded_fen": "refunded_fen",
    "status": "platform_status",
    "paid_at": "paid_at",
    "settled_at": "settled_at",
    "version": "version",
}
EVENT_COLUMNS = tuple(EVENT_FIELDS.values())
DEFAULT_WINDOW_DAYS = 7  # settlement.commission.DEFAULT_RETURN_WINDOW_DAYS


def _utc(column: str) -> str:
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"


# one line of `livestream.sale_lines.recorded`: its values in the order of EVENT_FIELDS (an
# array, not an object: building 100,000 jsonb objects cost the import about twice as much)
_EVENT_VALUES = "jsonb_build_array({})".format(
    ", ".join(_utc(c) if c.endswith("_at") else c for c in EVENT_COLUMNS)
)


def ordered_id_prefix() -> str:
    """The first 24 hex digits of an import's line ids (the last 8 are the row number):
    a UUIDv7 layout (milliseconds, version 7, variant, 42 random bits), so the new lines'
    primary keys are appended in order rather than scattered through the index, and no
    random UUID is drawn per row (PostgreSQL's gen_random_uuid costs ~4 µs each)."""
    ms = time.time_ns() // 1_000_000
    rand_a, rand_b = secrets.randbits(12), secrets.randbits(30)
    variant = 0b10 << 30 | rand_b
    return f"{ms:012x}7{rand_a:03x}{variant:08x}"


def line_ids(prefix: str) -> str:
    """The text of an import's line ids up to the row number: `id_head + f"{row:08x}"` is
    the line's id (the same uuid `upsert` draws in SQL from the prefix and the row)."""
    return f"{prefix[:8]}-{prefix[8:12]}-{prefix[12:16]}-{prefix[16:20]}-{prefix[20:]}"


# where each event field sits in a NEW_COLUMNS record (a new line has no settled_at yet)
_EVENT_VALUES_OF = itemgetter(*(NEW_COLUMNS.index(c) for c in EVENT_COLUMNS))
_PAID_AT_COLUMN = NEW_COLUMNS.index("paid_at")
_PAID_AT = EVENT_COLUMNS.index("paid_at")


def _in_utc(record: tuple[Any, ...]) -> list[Any]:
    """An event line of a record whose paid time the export gave with another offset."""
    values = list(_EVENT_VALUES_OF(record))
    values[_PAID_AT] = values[_PAID_AT].astimezone(UTC)
    return values


class SaleLineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------ import inputs

    async def platform_products(self, region_id: uuid.UUID, platform: str) -> dict[str, uuid.UUID]:
        rows = await self.session.execute(
            select(PlatformProduct.platform_product_id, PlatformProduct.pool_entry_id).where(
                PlatformProduct.region_id == region_id, PlatformProduct.platform == platform
            )
        )
        return {r[0]: r[1] for r in rows.all()}

    async def platform_product(
        self, region_id: uuid.UUID, platform: str, platform_product_id: str
    ) -> PlatformProduct | None:
        return await self.session.scalar(
            select(PlatformProduct).where(
                PlatformProduct.region_id == region_id,
                PlatformProduct.platform == platform,
                PlatformProduct.platform_product_id == platform_product_id,
            )
        )

    async def live_session(self, session_id: uuid.UUID) -> LiveSession | None:
        return await self.session.get(LiveSession, session_id)

    async def streamer(self, streamer_id: uuid.UUID) -> Streamer | None:
        return await self.session.get(Streamer, streamer_id)

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def streamers(self, region_id: uuid.UUID) -> list[Streamer]:
        return list(
            await self.session.scalars(select(Streamer).where(Streamer.region_id == region_id))
        )

    async def agencies(self, agency_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Agency]:
        ids = list(set(agency_ids))
        if not ids:
            return {}
        return {
            a.id: a for a in await self.session.scalars(select(Agency).where(Agency.id.in_(ids)))
        }

    async def pool_entries(self, entry_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, PoolEntry]:
        ids = list(set(entry_ids))
        if not ids:
            return {}
        return {
            e.id: e
            for e in await self.session.scalars(select(PoolEntry).where(PoolEntry.id.in_(ids)))
        }

    async def sessions_with_lineups(
        self, region_id: uuid.UUID, start: datetime, end: datetime
    ) -> list[tuple[LiveSession, frozenset[uuid.UUID]]]:
        """Sessions (planned, live, ended) whose window may hold a payment in [start, end]."""
        sessions = list(
            await self.session.scalars(
                select(LiveSession).where(
                    LiveSession.region_id == region_id,
                    LiveSession.status.in_(("live", "ended", "planned")),
                    func.coalesce(LiveSession.started_at, LiveSession.planned_start) <= end,
                    func.coalesce(LiveSession.ended_at, LiveSession.planned_end) >= start,
                )
            )
        )
        if not sessions:
            return []
        items = await self.session.execute(
            select(LineupItem.session_id, LineupItem.pool_entry_id).where(
                LineupItem.session_id.in_([s.id for s in sessions])
            )
        )
        by_session: dict[uuid.UUID, set[uuid.UUID]] = {}
        for session_id, entry_id in items.all():
            by_session.setdefault(session_id, set()).add(entry_id)
        return [(s, frozenset(by_session.get(s.id, ()))) for s in sessions]

    async def plans_of_entries(self, entry_ids: Iterable[uuid.UUID]) -> list[Plan]:
        ids = list(set(entry_ids))
        if not ids:
            return []
        return list(await self.session.scalars(select(Plan).where(Plan.pool_entry_id.in_(ids))))

    async def plan_rates(self, plan_ids: list[uuid.UUID]) -> list[PlanRate]:
        if not plan_ids:
            return []
        return list(
            await self.session.scalars(
                select(PlanRate).where(
                    PlanRate.plan_id.in_(plan_ids), PlanRate.superseded.is_(False)
                )
            )
        )

    async def plan_ends(self, plan_ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
        """When ended plans ended (their `end` transition)."""
        if not plan_ids:
            return {}
        table = kernel_of(self.session).status_changes
        rows = await self.session.execute(
            select(table.c.entity_id, func.min(table.c.at))
            .where(
                table.c.machine == "livestream.plan",
                table.c.action == "end",
                table.c.entity_id.in_([str(p) for p in plan_ids]),
            )
            .group_by(table.c.entity_id)
        )
        return {uuid.UUID(r[0]): r[1] for r in rows.all()}

    async def approvals(
        self, streamer_ids: Iterable[uuid.UUID], plan_ids: list[uuid.UUID]
    ) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[datetime, datetime | None]]:
        """(streamer, directed plan) → (approved at, revoked at or None), from the
        applications' status changes: the rate of a line follows the approval in effect
        when its order was paid, not today's."""
        ids = list(set(streamer_ids))
        if not ids or not plan_ids:
            return {}
        applications = (
            await self.session.execute(
                select(
                    PlanApplication.id, PlanApplication.streamer_id, PlanApplication.plan_id
                ).where(
                    PlanApplication.streamer_id.in_(ids),
                    PlanApplication.plan_id.in_(plan_ids),
                    PlanApplication.status.in_(("approved", "revoked")),
                )
            )
        ).all()
        if not applications:
            return {}
        table = kernel_of(self.session).status_changes
        steps = await self.session.execute(
            select(table.c.entity_id, table.c.action, func.min(table.c.at))
            .where(
                table.c.machine == "livestream.plan_application",
                table.c.action.in_(("approve", "revoke")),
                table.c.entity_id.in_([str(a.id) for a in applications]),
            )
            .group_by(table.c.entity_id, table.c.action)
        )
        at = {(uuid.UUID(r[0]), r[1]): r[2] for r in steps.all()}
        found: dict[tuple[uuid.UUID, uuid.UUID], tuple[datetime, datetime | None]] = {}
        for application_id, streamer_id, plan_id in applications:
            approved = at.get((application_id, "approve"))
            if approved is not None:
                found[(streamer_id, plan_id)] = (approved, at.get((application_id, "revoke")))
        return found

    # ------------------------------------------------------------ new lines: COPY

    async def lock_imports(self, platform: str) -> datetime:
        """One import of a platform's lines at a time (until commit): the order-id key is
        the platform's, whatever the region, so a racing import of an overlapping file
        waits here and then finds the other's lines already recorded. Returns the
        transaction's now() (the lines' created_at and updated_at)."""
        now: datetime = await DriverSQL(self.session).fetchval(
            "SELECT now() FROM pg_advisory_xact_lock(hashtextextended($1, 0))",
            f"livestream.sale_lines.import:{platform}",
        )
        return now

    async def recorded(self, platform: str, order_ids: list[str]) -> dict[str, uuid.UUID]:
        """The order ids already recorded as lines, and their regions (one pass over the
        (platform, platform_order_id) key)."""
        rows = await DriverSQL(self.session).fetch(
            "SELECT l.platform_order_id, l.region_id FROM unnest($2::text[]) AS k(order_id)"
            " JOIN livestream.sale_lines l"
            " ON l.platform = $1 AND l.platform_order_id = k.order_id",
            platform,
            order_ids,
        )
        return {r[0]: r[1] for r in rows}

    async def copy_new(self, records: Iterable[tuple[Any, ...]]) -> bool:
        """The new lines (NEW_COLUMNS records, taken as the iterable yields them) straight
        into sale_lines. False, and nothing written, if one of them is already a line
        (recorded since `recorded` looked); the iterable may then be only partly read."""
        sql = DriverSQL(self.session)
        await sql.execute("SAVEPOINT sale_lines_copy")
        driver = await self._driver()
        try:
            await driver.copy_records_to_table(
                "sale_lines", schema_name="livestream", columns=NEW_COLUMNS, records=records
            )
        except asyncpg.UniqueViolationError:
            await sql.execute("ROLLBACK TO SAVEPOINT sale_lines_copy")
            return False
        await sql.execute("RELEASE SAVEPOINT sale_lines_copy")
        return True

    @staticmethod
    def new_lines_event(
        region_id: uuid.UUID,
        records: Sequence[tuple[Any, ...]],
        *,
        now: datetime,
        request_id: str | None,
    ) -> tuple[Any, ...]:
        """The outbox row of one `livestream.sale_lines.recorded` event of new lines (up to
        LINES_PER_EVENT NEW_COLUMNS records): each line the values of EVENT_FIELDS, as
        `service.event_data` writes them (`upsert`'s SQL twin, for lines it inserts,
        writes the same instants, always with microseconds)."""
        # orjson writes the uuids and the times as event_data does (ISO 8601, in UTC)
        lines = [
            _EVENT_VALUES_OF(r) if r[_PAID_AT_COLUMN].tzinfo is UTC else _in_utc(r) for r in records
        ]
        event_id = uuid.uuid4()
        payload = {
            "id": event_id,
            "type": RECORDED_MANY,
            "producer": "livestream",
            "occurred_at": now.isoformat(),
            "region_id": region_id,
            "request_id": request_id,
            "data": {"region_id": region_id, "fields": list(EVENT_FIELDS), "lines": lines},
        }
        # default=str: the uuids asyncpg itself read (its own uuid type)
        return event_id, RECORDED_MANY, region_id, orjson.dumps(payload, default=str).decode()

    async def copy_events(self, events: Sequence[tuple[Any, ...]]) -> None:
        """Outbox rows (`new_lines_event`) in with one COPY, in the import's transaction."""
        if not events:
            return
        driver = await self._driver()
        await driver.copy_records_to_table(
            "outbox",
            schema_name="livestream",
            columns=["event_id", "event_type", "region_id", "payload"],
            records=events,
        )
        self.session.info["outbox_dirty"] = True

    async def _driver(self) -> Any:
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        return raw.driver_connection

    # ------------------------------------------------------------ the set-based upsert

    async def stage(self, records: Sequence[tuple[Any, ...]]) -> str:
        """COPY the file's rows (every line column but the id + the row number) into a
        staging table."""
        name = f"sale_stage_{uuid.uuid4().hex[:12]}"
        await self.session.execute(
            text(
                f"CREATE TEMP TABLE {name} (LIKE livestream.sale_lines INCLUDING DEFAULTS) "
                "ON COMMIT DROP"
            )
        )
        # a new line's id is drawn from the row number by `upsert`
        await self.session.execute(
            text(f"ALTER TABLE {name} DROP COLUMN id, ADD COLUMN row_no integer")
        )
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.copy_records_to_table(
            name, columns=[*STAGED_COLUMNS, "row_no"], records=records
        )
        return name

    async def foreign_region_rows(self, stage: str) -> list[int]:
        """Rows whose order id is already a line of another region (refused, and unstaged)."""
        rows = await self.session.execute(
            text(
                f"DELETE FROM {stage} s USING livestream.sale_lines l "
                "WHERE l.platform = s.platform AND l.platform_order_id = s.platform_order_id "
                "AND l.region_id <> s.region_id RETURNING s.row_no"
            )
        )
        return sorted(r[0] for r in rows.all())

    async def upsert(
        self, stage: str, *, now: datetime, request_id: str | None
    ) -> tuple[int, list[uuid.UUID]]:
        """New lines in, changed platform facts updated (version + 1), unchanged rows left
        alone; the new lines' events in the outbox, LINES_PER_EVENT lines to an event.
        Returns (created, updated ids)."""
        columns = ", ".join(LINE_COLUMNS)
        # a new line's id: the import's time-ordered prefix + its row number
        drawn = ", ".join(
            "CAST(CAST(:id_prefix AS text) || lpad(to_hex(row_no), 8, '0') AS uuid)"
            if c == "id"
            else c
            for c in LINE_COLUMNS
        )
        changed_old = ", ".join(f"sale_lines.{c}" for c in PLATFORM_FIELDS)
        changed_new = ", ".join(f"EXCLUDED.{c}" for c in PLATFORM_FIELDS)
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in PLATFORM_FIELDS)
        # only what the event needs travels out of the insert (not every line column)
        returned = ", ".join(f"sale_lines.{c}" for c in EVENT_COLUMNS)
        sql = f"""
        WITH up AS (
            INSERT INTO livestream.sale_lines ({columns})
            SELECT {drawn} FROM {stage}
            ON CONFLICT (platform, platform_order_id) DO UPDATE
               SET {sets}, version = sale_lines.version + 1, updated_at = EXCLUDED.updated_at
             WHERE sale_lines.region_id = EXCLUDED.region_id
               AND ({changed_old}) IS DISTINCT FROM ({changed_new})
            RETURNING {returned}, (xmax = 0) AS inserted
        ), batches AS (
            SELECT region_id, jsonb_agg(line) AS lines
              FROM (SELECT region_id, {_EVENT_VALUES} AS line,
                           (row_number() OVER () - 1) / :per_event AS batch
                      FROM up WHERE up.inserted) AS new_lines
             GROUP BY region_id, batch
        ), ob AS (
            INSERT INTO livestream.outbox (event_id, event_type, region_id, payload)
            SELECT eid, CAST(:type AS text), region_id, jsonb_build_object(
                'id', eid, 'type', CAST(:type AS text), 'producer', 'livestream',
                'occurred_at', CAST(:now AS text), 'region_id', region_id,
                'request_id', CAST(:request_id AS text),
                'data', jsonb_build_object(
                    'region_id', region_id, 'fields', CAST(:fields AS jsonb), 'lines', lines))
            FROM (SELECT gen_random_uuid() AS eid, batches.* FROM batches) AS ev
        )
        SELECT count(*) FILTER (WHERE inserted),
               coalesce(array_agg(id) FILTER (WHERE NOT inserted), '{{}}')
          FROM up
        """
        # the inserted rows feed the outbox through a CTE: keep that tuplestore in memory
        # (100,000 lines ≈ 30 MB) rather than spilling it to temporary files
        await self.session.execute(text("SET LOCAL work_mem = '64MB'"))
        row = (
            await self.session.execute(
                text(sql),
                {
                    "type": RECORDED_MANY,
                    "now": now.isoformat(),
                    "request_id": request_id,
                    "per_event": LINES_PER_EVENT,
                    "fields": json.dumps(list(EVENT_FIELDS)),
                    "id_prefix": ordered_id_prefix(),
                },
            )
        ).one()
        created, updated = int(row[0]), list(row[1])
        if created:
            self.session.info["outbox_dirty"] = True
        return created, updated

    # ------------------------------------------------------------ lines

    async def lines(self, ids: list[uuid.UUID], *, lock: bool = False) -> list[SaleLine]:
        if not ids:
            return []
        stmt = (
            select(SaleLine).where(SaleLine.id.in_(ids)).execution_options(populate_existing=True)
        )
        if lock:
            stmt = stmt.with_for_update()
        return list(await self.session.scalars(stmt.order_by(SaleLine.paid_at)))

    async def get(self, line_id: uuid.UUID, *, lock: bool = False) -> SaleLine | None:
        return await self.session.get(
            SaleLine, line_id, with_for_update=lock or None, populate_existing=True
        )

    def readable(self, principal: Principal) -> Select[Any]:
        """Lines the caller may see: a streamer its own, an agency its members', the
        operator its region's."""
        table = SaleLine.__table__
        streamer = readable_clause(principal, table.c.streamer_id, region_column=table.c.region_id)
        agency = readable_clause(principal, table.c.agency_id, operator_roles=None)
        return select(SaleLine).where(streamer | agency)

    async def page(self, stmt: Select[Any], query: ListQuery) -> tuple[list[SaleLine], str | None]:
        return await paginate_list(
            self.session, stmt, query, sort_columns=LINE_SORTS, id_column=SaleLine.id
        )

    async def due_lines(
        self, as_of: datetime, region_id: uuid.UUID | None, limit: int
    ) -> list[SaleLine]:
        """Estimated, attributed lines whose return window (the region's for the platform,
        else 7 days) passed by `as_of`, from the confirmation of receipt or else the
        platform's settlement (locked; lines another run holds are skipped)."""
        days = func.coalesce(ReturnWindow.days, DEFAULT_WINDOW_DAYS)
        start = func.coalesce(SaleLine.confirmed_at, SaleLine.platform_settled_at)
        stmt = (
            select(SaleLine)
            .outerjoin(
                ReturnWindow,
                and_(
                    ReturnWindow.region_id == SaleLine.region_id,
                    ReturnWindow.platform == SaleLine.platform,
                ),
            )
            .where(
                SaleLine.status == "estimated",
                SaleLine.streamer_id.is_not(None),
                start + func.make_interval(0, 0, 0, days) <= as_of,
            )
        )
        if region_id is not None:
            stmt = stmt.where(SaleLine.region_id == region_id)
        return list(
            await self.session.scalars(
                stmt.order_by(SaleLine.paid_at)
                .limit(limit)
                .with_for_update(of=SaleLine, skip_locked=True)
            )
        )

    # ------------------------------------------------------------ return windows

    async def windows(self, region_ids: Iterable[uuid.UUID]) -> dict[tuple[uuid.UUID, str], int]:
        ids = list(set(region_ids))
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(ReturnWindow).where(ReturnWindow.region_id.in_(ids))
        )
        return {(w.region_id, w.platform): w.days for w in rows}

    async def window(self, region_id: uuid.UUID, platform: str) -> ReturnWindow | None:
        return await self.session.get(ReturnWindow, (region_id, platform))

    async def windows_of(self, region_id: uuid.UUID) -> list[ReturnWindow]:
        return list(
            await self.session.scalars(
                select(ReturnWindow).where(ReturnWindow.region_id == region_id)
            )
        )

    # ------------------------------------------------------------ entries

    async def booked(self, line_id: uuid.UUID) -> dict[str, int]:
        """What each payee kind has in entries for the line so far."""
        rows = await self.session.execute(
            select(CommissionEntry.payee_kind, func.sum(CommissionEntry.amount_fen))
            .where(CommissionEntry.line_id == line_id)
            .group_by(CommissionEntry.payee_kind)
        )
        return {r[0]: int(r[1]) for r in rows.all()}
