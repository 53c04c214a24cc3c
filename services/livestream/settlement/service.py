"""Platform sales import and the commission of every line.

Import: explicit column maps, idempotent by platform and order id, status updates, a
row-level report, good rows or none; attribution, the rate in effect when the order was
paid and the split are fixed when a line is first recorded. Set-based, one import of a
platform at a time: the new lines go straight into sale_lines with a binary COPY (built
while it streams) and their events 500 to a `livestream.sale_lines.recorded`; the rows of
lines already recorded go with COPY into a staging table and one INSERT … ON CONFLICT …
DO UPDATE … WHERE changed (repository.py). A changed line is
re-split on the amount kept; its status moves through `lifecycle.SALE_LINE`; after
settlement a refund becomes clawback entries. Every new or changed line publishes
`livestream.sale_line.recorded` (its `version` grows with each change).
"""

from __future__ import annotations

import csv
import gc
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream import lifecycle
from services.livestream.access import ensure_operator, ensure_readable_by_any
from services.livestream.directory.service import timezone_of
from services.livestream.plans import rules
from services.livestream.pool.models import PoolEntry
from services.livestream.settlement import commission
from services.livestream.settlement.attribution import Candidate, attribute
from services.livestream.settlement.columns import COLUMN_MAPS, RowError, parse_row
from services.livestream.settlement.models import (
    CommissionEntry,
    PlatformProduct,
    ReturnWindow,
    SaleLine,
)
from services.livestream.settlement.repository import (
    EVENT_FIELDS,
    LINE_SORTS,
    LINES_PER_EVENT,
    RECORDED,
    RECORDED_MANY,
    ROW_FIELDS,
    TERM_FIELDS,
    SaleLineRepository,
    line_ids,
    ordered_id_prefix,
)
from services.livestream.settlement.schemas import (
    LineAttribution,
    PlatformProductWrite,
    ReturnWindowWrite,
    RowRejection,
    SalesImportReport,
)
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.events import publish
from shared.logging import current_request_id
from shared.pagination import ListQuery
from shared.state_machine import StatusChange

LINE_SORT_FIELDS = tuple(LINE_SORTS)


def read_csv(data: bytes) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    # csv.reader + zip is DictReader's own work without its per-row Python overhead;
    # blank lines are skipped as DictReader skips them, short rows lack the missing keys
    reader = csv.reader(io.StringIO(text))
    header = next((r for r in reader if r), None)
    if header is None:
        return []
    return [dict(zip(header, r, strict=False)) for r in reader if r]


async def map_product(
    session: AsyncSession, principal: Principal, body: PlatformProductWrite
) -> None:
    ensure_operator(principal, body.region_id)
    entry = await session.get(PoolEntry, body.pool_entry_id)
    if entry is None or entry.region_id != body.region_id:
        raise NotFound("No such pool entry")
    repo = SaleLineRepository(session)
    found = await repo.platform_product(body.region_id, body.platform, body.platform_product_id)
    if found is None:
        await repo.add(PlatformProduct(**body.model_dump()))
    else:
        found.pool_entry_id = body.pool_entry_id
        await session.flush()


# ---------------------------------------------------------------- what a new line is


@dataclass
class _Context:
    """Everything a new line's attribution, rate and split need, loaded once per import."""

    timezone: ZoneInfo
    mapping: dict[str, uuid.UUID]
    authors: dict[str, uuid.UUID]
    streamer_agency: dict[uuid.UUID, uuid.UUID | None]
    agency_share: dict[uuid.UUID, int]
    candidates: list[Candidate]
    entries: dict[uuid.UUID, PoolEntry]
    plans: dict[uuid.UUID, list[commission.PlanTerms]] = field(default_factory=dict)
    # streamer → its directed plans' approvals: (plan, approved at, revoked at or None)
    approvals: dict[uuid.UUID, list[tuple[uuid.UUID, datetime, datetime | None]]] = field(
        default_factory=dict
    )
    # the terms of lines whose product has no plan do not depend on the paid time: an
    # export repeats them (same product, streamer, platform rate and amounts)
    timeless: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict)


async def _context(
    session: AsyncSession, region_id: uuid.UUID, platform: str, parsed: list[dict[str, Any]]
) -> _Context:
    repo = SaleLineRepository(session)
    mapping = await repo.platform_products(region_id, platform)
    streamers = await repo.streamers(region_id)
    authors: dict[str, uuid.UUID] = {}
    for streamer in streamers:
        for account in streamer.platform_accounts:
            if account.get("platform") == platform:
                authors[str(account.get("account_id"))] = streamer.id
    streamer_agency = {s.id: s.agency_id for s in streamers}
    agencies = await repo.agencies(a for a in streamer_agency.values() if a is not None)
    candidates: list[Candidate] = []
    if parsed:
        start = min(p["paid_at"] for p in parsed)
        end = max(p["paid_at"] for p in parsed)
        for s, entries in await repo.sessions_with_lineups(region_id, start, end):
            candidates.append(
                Candidate(
                    s.id,
                    s.streamer_id,
                    s.started_at or s.planned_start,
                    s.ended_at or s.planned_end,
                    entries,
                )
            )
    used_entries = {
        mapping[p["platform_product_id"]] for p in parsed if p["platform_product_id"] in mapping
    }
    ctx = _Context(
        ZoneInfo(await timezone_of(session, region_id)),
        mapping,
        authors,
        streamer_agency,
        {a.id: a.service_fee_bps for a in agencies.values()},
        candidates,
        await repo.pool_entries(used_entries),
    )
    plans = await repo.plans_of_entries(used_entries)
    plan_ids = [p.id for p in plans]
    rates = await repo.plan_rates(plan_ids)
    ends = await repo.plan_ends(plan_ids)
    for plan in plans:
        schedule = tuple(
            rules.ScheduledRate(r.rate_bps, r.effective_at, r.recorded_at)
            for r in rates
            if r.plan_id == plan.id
        )
        ctx.plans.setdefault(plan.pool_entry_id, []).append(
            commission.PlanTerms(
                plan.id,
                plan.pool_entry_id,
                plan.kind,
                plan.created_at,
                ends.get(plan.id) if plan.status == "ended" else None,
                plan.starts_on,
                plan.ends_on,
                plan.streamer_id,
                plan.agency_id,
                plan.service_fee_bps,
                schedule,
            )
        )
    for (streamer_id, plan_id), (approved, revoked) in (
        await repo.approvals(streamer_agency, plan_ids)
    ).items():
        ctx.approvals.setdefault(streamer_id, []).append((plan_id, approved, revoked))
    return ctx


def _approved_when_paid(
    ctx: _Context, streamer_id: uuid.UUID | None, paid_at: datetime
) -> set[uuid.UUID]:
    """The directed plans whose approval of the streamer was in effect at the paid time."""
    if streamer_id is None:
        return set()
    return {
        plan_id
        for plan_id, approved, revoked in ctx.approvals.get(streamer_id, [])
        if approved <= paid_at and (revoked is None or paid_at < revoked)
    }


def _terms(
    ctx: _Context,
    fields: dict[str, Any],
    entry_id: uuid.UUID | None,
    streamer_id: uuid.UUID | None,
) -> dict[str, Any]:
    """Who shares a line, at which rate (in effect when paid) and the split of what was kept."""
    entry = ctx.entries.get(entry_id) if entry_id else None
    agency_id = ctx.streamer_agency.get(streamer_id) if streamer_id else None
    rate = commission.rate_at_payment(
        ctx.plans.get(entry_id, []) if entry_id else [],
        streamer_id=streamer_id,
        agency_id=agency_id,
        agency_share_bps=ctx.agency_share.get(agency_id, 0) if agency_id else 0,
        approved_plan_ids=_approved_when_paid(ctx, streamer_id, fields["paid_at"]),
        paid_at=fields["paid_at"],
        local_day=fields["paid_at"].astimezone(ctx.timezone).date(),
        platform_rate_bps=fields["commission_rate_bps"],
    )
    supply_price = entry.supply_price_fen if entry else 0
    split = commission.split_kept(
        paid_fen=fields["paid_fen"],
        refunded_fen=fields["refunded_fen"],
        quantity=fields["quantity"],
        supply_price_fen=supply_price,
        rate_bps=rate.rate_bps,
        agency_fee_bps=rate.agency_fee_bps,
        agency_share_bps=rate.agency_share_bps,
    )
    return {
        "streamer_id": streamer_id,
        "agency_id": agency_id,
        "supplier_id": entry.supplier_id if entry else None,
        "catalog_product_id": entry.product_id if entry else None,
        "plan_id": rate.plan_id,
        "rate_source": rate.source,
        "rate_bps": rate.rate_bps,
        "agency_fee_bps": rate.agency_fee_bps,
        "agency_share_bps": rate.agency_share_bps,
        "supply_price_fen": supply_price,
        "supplier_fen": split.supplier_fen,
        "agency_fen": split.agency_fen,
        "streamer_fen": split.streamer_fen,
        "base_fen": split.base_fen,
    }


_TERMS_OF = itemgetter(*TERM_FIELDS)
_FIELDS_OF = itemgetter(*ROW_FIELDS)


def _cached_terms(
    ctx: _Context,
    fields: dict[str, Any],
    entry_id: uuid.UUID | None,
    streamer_id: uuid.UUID | None,
) -> tuple[Any, ...]:
    """`_terms`' values (in TERM_FIELDS order), remembered per (product, streamer, platform
    rate, amounts) when the product has no plan (then neither the paid time nor the local
    day matter)."""
    if entry_id is not None and entry_id in ctx.plans:
        return _TERMS_OF(_terms(ctx, fields, entry_id, streamer_id))
    key = (
        entry_id,
        streamer_id,
        fields["commission_rate_bps"],
        fields["paid_fen"],
        fields["refunded_fen"],
        fields["quantity"],
    )
    terms = ctx.timeless.get(key)
    if terms is None:
        terms = ctx.timeless[key] = _TERMS_OF(_terms(ctx, fields, entry_id, streamer_id))
    return terms


def _new_line(
    ctx: _Context, region_id: uuid.UUID, platform: str, fields: dict[str, Any]
) -> tuple[Any, ...]:
    """A new line's record: the values of STAGED_COLUMNS (row fields, terms, its own)."""
    entry_id = ctx.mapping.get(fields["platform_product_id"])
    if ctx.candidates:
        found, how = attribute(
            ctx.candidates,
            fields["paid_at"],
            streamer_id=ctx.authors.get(fields["author_id"] or ""),
            pool_entry_id=entry_id,
        )
    else:  # no session could hold the line: the operator's queue
        found, how = None, "unmatched"
    kept = fields["paid_fen"] - fields["refunded_fen"]
    return (
        *_FIELDS_OF(fields),
        *_cached_terms(ctx, fields, entry_id, found.streamer_id if found else None),
        region_id,
        platform,
        entry_id,
        found.session_id if found else None,
        how,
        "cancelled" if kept <= 0 else "estimated",
        None,  # settled_at
        1,  # version
    )


_gc_paused = 0


@contextmanager
def _gc_paused_while_building() -> Iterator[None]:
    """The cycle collector off while an import builds its rows: 100,000 rows of dicts,
    tuples and uuids would otherwise set off its full passes again and again (about 40 %
    of the import's Python time), though nothing they hold is a cycle. Nested or
    concurrent imports turn it back on when the last ends."""
    global _gc_paused
    if _gc_paused == 0 and not gc.isenabled():
        yield  # someone else's choice: leave it alone
        return
    _gc_paused += 1
    gc.disable()
    try:
        yield
    finally:
        _gc_paused -= 1
        if _gc_paused == 0:
            gc.enable()


async def import_rows(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID,
    platform: str,
    rows: list[dict[str, Any]],
    mode: str,
) -> SalesImportReport:
    with _gc_paused_while_building():
        return await _import_rows(session, principal, region_id, platform, rows, mode)


async def _import_rows(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    platform: str,
    rows: list[dict[str, Any]],
    mode: str,
) -> SalesImportReport:
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
        return SalesImportReport(
            received=len(rows), created=0, updated=0, unchanged=0, rejected=rejected, imported=False
        )
    created, updated = 0, 0
    if parsed:
        repo = SaleLineRepository(session)
        now = await repo.lock_imports(platform)  # the transaction's now()
        recorded = await repo.recorded(platform, [f["platform_order_id"] for _, f in parsed])
        ctx = await _context(session, region_id, platform, [f for _, f in parsed])
        fresh: list[tuple[Any, ...]] = []  # the new lines' records (NEW_COLUMNS)
        events: list[tuple[Any, ...]] = []  # their outbox rows, LINES_PER_EVENT lines each
        known: list[tuple[Any, ...]] = []  # rows of lines already recorded, to stage
        id_head = line_ids(ordered_id_prefix())
        request_id = current_request_id()

        def new_lines() -> Iterator[tuple[Any, ...]]:
            """The new lines' records and their events, built while the COPY takes them
            (PostgreSQL stores one batch as the next is built); on the way, the rows of
            lines already recorded go to `known`, another region's to `rejected`."""
            for number, fields in parsed:
                owner = recorded.get(fields["platform_order_id"])
                if owner is not None and owner != region_id:
                    rejected.append(
                        RowRejection(row=number, reason="the order belongs to another region")
                    )
                    continue
                values = _new_line(ctx, region_id, platform, fields)
                if owner is not None:
                    known.append((*values, number))
                    continue
                record = (f"{id_head}{number:08x}", *values)
                fresh.append(record)
                yield record
                if len(fresh) % LINES_PER_EVENT == 0:
                    events.append(
                        repo.new_lines_event(
                            region_id,
                            fresh[-LINES_PER_EVENT:],
                            now=now,
                            request_id=request_id,
                        )
                    )

        lines = new_lines()
        if len(recorded) == len(parsed):  # nothing new: no COPY
            for _ in lines:
                pass
        elif await repo.copy_new(lines):
            created = len(fresh)
            if created % LINES_PER_EVENT:
                tail = fresh[-(created % LINES_PER_EVENT) :]
                events.append(repo.new_lines_event(region_id, tail, now=now, request_id=request_id))
            await repo.copy_events(events)
        else:  # a line recorded meanwhile: every row the way of lines already recorded
            for _ in lines:  # the rows the COPY did not take
                pass
            known.extend((*r[1:], int(r[0][-8:], 16)) for r in fresh)
        updated_ids: list[uuid.UUID] = []
        if known:
            stage = await repo.stage(known)
            foreign = await repo.foreign_region_rows(stage)
            rejected.extend(
                RowRejection(row=n, reason="the order belongs to another region") for n in foreign
            )
            staged_created, updated_ids = await repo.upsert(stage, now=now, request_id=request_id)
            created += staged_created
        updated = len(updated_ids)
        for changed in await repo.lines(updated_ids, lock=True):
            await reconcile(session, changed, actor_id=principal.user_id, now=now)
    rejected.sort(key=lambda r: r.row)
    return SalesImportReport(
        received=len(rows),
        created=created,
        updated=updated,
        unchanged=len(rows) - len(rejected) - created - updated,
        rejected=rejected,
        imported=True,
    )


# ---------------------------------------------------------------- changes and settlement


def event_data(line: SaleLine) -> dict[str, Any]:
    """`livestream.sale_line.recorded` (docs/events.md; the SQL twin is in the repository):
    `status` is the platform's (paid, confirmed, settled, refunded), as its consumers read
    it; `settled_at` says when the base's commission became real."""
    return {
        "line_id": str(line.id),
        "region_id": str(line.region_id),
        "platform": line.platform,
        "platform_order_id": line.platform_order_id,
        "session_id": str(line.session_id) if line.session_id else None,
        "streamer_org_id": str(line.streamer_id) if line.streamer_id else None,
        "agency_org_id": str(line.agency_id) if line.agency_id else None,
        "supplier_org_id": str(line.supplier_id) if line.supplier_id else None,
        "catalog_product_id": str(line.catalog_product_id) if line.catalog_product_id else None,
        "pool_entry_id": str(line.pool_entry_id) if line.pool_entry_id else None,
        "quantity": line.quantity,
        "paid_fen": line.paid_fen,
        "refunded_fen": line.refunded_fen,
        "status": line.platform_status,
        "paid_at": line.paid_at.isoformat(),
        "settled_at": line.settled_at.isoformat() if line.settled_at else None,
        "version": line.version,
    }


async def _publish(session: AsyncSession, line: SaleLine) -> None:
    await session.flush()
    await publish(session, RECORDED, event_data(line), region_id=line.region_id)


async def _publish_many(session: AsyncSession, lines: list[SaleLine]) -> None:
    """Lines changed together (a settlement run's): `livestream.sale_lines.recorded`,
    LINES_PER_EVENT lines of a region to an event, each line's values as its
    `sale_line.recorded` would carry them."""
    await session.flush()
    by_region: dict[uuid.UUID, list[list[Any]]] = {}
    for line in lines:
        data = event_data(line)
        by_region.setdefault(line.region_id, []).append([data[f] for f in EVENT_FIELDS])
    for region_id, values in by_region.items():
        for start in range(0, len(values), LINES_PER_EVENT):
            await publish(
                session,
                RECORDED_MANY,
                {
                    "region_id": str(region_id),
                    "fields": list(EVENT_FIELDS),
                    "lines": values[start : start + LINES_PER_EVENT],
                },
                region_id=region_id,
            )


async def _book(session: AsyncSession, line: SaleLine, kind: str, occurred_at: datetime) -> None:
    """Entries so that the payees' entries for the line equal its current split."""
    booked = await SaleLineRepository(session).booked(line.id)
    for payee_kind, payee, amount in (
        ("streamer", line.streamer_id, line.streamer_fen),
        ("agency", line.agency_id, line.agency_fen),
    ):
        delta = amount - booked.get(payee_kind, 0)
        if payee is None or delta == 0:
            continue
        session.add(
            CommissionEntry(
                region_id=line.region_id,
                line_id=line.id,
                payee_org_id=payee,
                payee_kind=payee_kind,
                kind=kind if delta > 0 or kind == "clawback" else "clawback",
                amount_fen=delta,
                occurred_at=occurred_at,
            )
        )


async def reconcile(
    session: AsyncSession, line: SaleLine, *, actor_id: uuid.UUID | None, now: datetime
) -> None:
    """A line whose platform facts changed (the version is already one up): re-split the
    amount kept, move its status, claw back after settlement, publish."""
    split = commission.split_kept(
        paid_fen=line.paid_fen,
        refunded_fen=line.refunded_fen,
        quantity=line.quantity,
        supply_price_fen=line.supply_price_fen,
        rate_bps=line.rate_bps,
        agency_fee_bps=line.agency_fee_bps,
        agency_share_bps=line.agency_share_bps,
    )
    before = (line.supplier_fen, line.agency_fen, line.streamer_fen, line.base_fen)
    after = (split.supplier_fen, split.agency_fen, split.streamer_fen, split.base_fen)
    if line.status in ("estimated", "settled") and (after != before or line.kept_fen <= 0):
        action = commission.refund_action(line.status, line.kept_fen)
        was = line.status
        line.supplier_fen, line.agency_fen, line.streamer_fen, line.base_fen = after
        if action is not None:
            await lifecycle.apply(
                session,
                lifecycle.SALE_LINE,
                line,
                action,
                actor_id=actor_id,
                reason="the platform reported a refund" if line.refunded_fen else "amount changed",
                data={"paid_fen": line.paid_fen, "refunded_fen": line.refunded_fen, "split": after},
            )
        if was == "settled":
            await _book(session, line, "clawback", line.refunded_at or now)
    await _publish(session, line)


async def settle_due(
    session: AsyncSession, as_of: datetime | None = None, region_id: uuid.UUID | None = None
) -> int:
    """Job (and the operator's run-now): estimated lines whose return window has passed
    become real; their commission is booked for the payees' statements; they are
    published LINES_PER_EVENT to an event (a big import settles all at once)."""
    as_of = as_of or utcnow()
    repo = SaleLineRepository(session)
    settled = 0
    while True:
        lines = await repo.due_lines(as_of, region_id, limit=1000)
        if not lines:
            return settled
        for line in lines:
            await lifecycle.apply(
                session,
                lifecycle.SALE_LINE,
                line,
                "settle",
                actor_id=None,
                reason="the return window has passed",
                data={"as_of": as_of.isoformat()},
            )
            line.settled_at = as_of
            line.version += 1
            await _book(session, line, "commission", as_of)
            settled += 1
        await _publish_many(session, lines)


async def run_settlement(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, as_of: datetime | None
) -> int:
    ensure_operator(principal, region_id)
    if as_of is not None and as_of > utcnow():
        raise RuleViolation(
            "Settlement cannot run for a time still to come",
            errors=[FieldError("as_of", "must not be in the future")],
        )
    return await settle_due(session, as_of, region_id)


async def attribute_line(
    session: AsyncSession, principal: Principal, line_id: uuid.UUID, body: LineAttribution
) -> SaleLine:
    """Operator: a line from the unmatched queue (or a wrong match, while still estimated)
    goes to a session (its streamer) or straight to a streamer; the rate in effect when
    the order was paid and the split follow."""
    repo = SaleLineRepository(session)
    line = await repo.get(line_id, lock=True)
    if line is None:
        raise NotFound("No such sale line")
    _ensure_visible(principal, line)
    ensure_operator(principal, line.region_id)
    if line.status != "estimated":
        raise Conflict(f"The line is {line.status}: its attribution can no longer change")
    if body.session_id is not None:
        live = await repo.live_session(body.session_id)
        if live is None or live.region_id != line.region_id:
            raise NotFound("No such session")
        streamer_id, session_id = live.streamer_id, live.id
    else:
        assert body.streamer_id is not None
        streamer = await repo.streamer(body.streamer_id)
        if streamer is None or streamer.region_id != line.region_id:
            raise NotFound("No such streamer")
        streamer_id, session_id = streamer.id, None
    fields = {
        c: getattr(line, c)
        for c in (
            "platform_product_id",
            "paid_at",
            "paid_fen",
            "refunded_fen",
            "quantity",
            "commission_rate_bps",
        )
    }
    ctx = await _context(session, line.region_id, line.platform, [fields])
    terms = _terms(ctx, fields, line.pool_entry_id, streamer_id)
    for key, value in terms.items():
        setattr(line, key, value)
    line.session_id = session_id
    line.attributed_by = "operator"
    line.version += 1
    await lifecycle.apply(
        session,
        lifecycle.SALE_LINE,
        line,
        "attribute",
        actor_id=principal.user_id,
        reason=body.reason,
        data={
            "session_id": str(session_id) if session_id else None,
            "streamer_id": str(streamer_id),
        },
    )
    await _publish(session, line)
    return line


# ---------------------------------------------------------------- return windows


async def set_window(
    session: AsyncSession, principal: Principal, body: ReturnWindowWrite
) -> ReturnWindow:
    ensure_operator(principal, body.region_id)
    repo = SaleLineRepository(session)
    window = await repo.window(body.region_id, body.platform)
    if window is None:
        window = ReturnWindow(region_id=body.region_id, platform=body.platform, days=body.days)
        window.updated_by = principal.user_id
        await repo.add(window)
    else:
        window.days = body.days
        window.updated_by = principal.user_id
        window.updated_at = utcnow()
        await session.flush()
    return window


async def windows(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> list[tuple[str, int]]:
    ensure_operator(principal, region_id, write=False)
    known = {w.platform: w.days for w in await SaleLineRepository(session).windows_of(region_id)}
    return [(p, known.get(p, commission.DEFAULT_RETURN_WINDOW_DAYS)) for p in COLUMN_MAPS]


# ---------------------------------------------------------------- reading lines


async def list_lines(
    session: AsyncSession, principal: Principal, query: ListQuery, *, unmatched: bool
) -> tuple[list[SaleLine], str | None]:
    """Lines the caller may see: a streamer its own, an agency its members', the operator
    its region's."""
    repo = SaleLineRepository(session)
    stmt = repo.readable(principal)
    if unmatched:
        stmt = stmt.where(SaleLine.session_id.is_(None))
    return await repo.page(stmt, query)


def _ensure_visible(principal: Principal, line: SaleLine) -> None:
    """The line's streamer, its agency or the region's operator; else 404."""
    owners = [o for o in (line.streamer_id, line.agency_id) if o is not None]
    if owners:
        ensure_readable_by_any(
            principal, org_ids=owners, region_id=line.region_id, what="sale line"
        )
    elif not (principal.platform_admin or principal.is_operator_of(line.region_id)):
        raise NotFound("No such sale line")


async def get_line(
    session: AsyncSession, principal: Principal, line_id: uuid.UUID
) -> tuple[SaleLine, list[StatusChange]]:
    line = await SaleLineRepository(session).get(line_id)
    if line is None:
        raise NotFound("No such sale line")
    owners = [o for o in (line.streamer_id, line.agency_id) if o is not None]
    if owners:
        ensure_readable_by_any(
            principal, org_ids=owners, region_id=line.region_id, what="sale line"
        )
    else:
        ensure_operator(principal, line.region_id, write=False)
    return line, await lifecycle.history(session, lifecycle.SALE_LINE, line.id)
