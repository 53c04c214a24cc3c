"""Commission plans: creating them by their kind's rules, changing rates (cuts at the next
local midnight, raises at once), applications to directed plans, and the best rate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream import lifecycle
from services.livestream.access import ensure_may_change
from services.livestream.directory.service import timezone_of
from services.livestream.plans import rules
from services.livestream.plans.models import Plan, PlanApplication, PlanRate
from services.livestream.plans.repository import APPLICATION_SORTS, PLAN_SORTS, PlanRepository
from services.livestream.plans.schemas import ApplicationCreate, PlanCreate, RateChange
from services.livestream.pool.models import PoolEntry
from services.livestream.pool.repository import PoolRepository
from services.livestream.pool.service import ENTRY_CHANGED, get_entry
from services.livestream.problems import PLAN_CONFLICT, PLAN_RULE
from services.livestream.streamers.models import Streamer
from services.livestream.streamers.repository import StreamerRepository
from shared.auth import acting_membership, ensure_readable, ensure_writable
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.events import publish
from shared.pagination import ListQuery
from shared.state_machine import StatusChange

PLAN_SORT_FIELDS = tuple(PLAN_SORTS)
APPLICATION_SORT_FIELDS = tuple(APPLICATION_SORTS)


@dataclass
class PlanView:
    plan: Plan
    rate_bps: int
    pending_rate_bps: int | None
    pending_effective_at: datetime | None


def _schedule(rates: list[PlanRate]) -> list[rules.ScheduledRate]:
    return [
        rules.ScheduledRate(r.rate_bps, r.effective_at, r.recorded_at)
        for r in rates
        if not r.superseded
    ]


def current_rate(rates: list[PlanRate], now: datetime) -> int:
    return rules.rate_at(_schedule(rates), now) or 0


async def view(session: AsyncSession, plan: Plan, now: datetime | None = None) -> PlanView:
    now = now or utcnow()
    rates = await PlanRepository(session).rates(plan.id)
    pending = [r for r in rates if not r.superseded and r.effective_at > now]
    last = max(pending, key=lambda r: r.recorded_at) if pending else None
    return PlanView(
        plan,
        current_rate(rates, now),
        last.rate_bps if last else None,
        last.effective_at if last else None,
    )


def _event(plan: Plan, **extra: Any) -> dict[str, Any]:
    return {
        "plan_id": str(plan.id),
        "pool_entry_id": str(plan.pool_entry_id),
        "supplier_id": str(plan.supplier_id),
        "kind": plan.kind,
        "status": plan.status,
        **extra,
    }


def _rule(message: str, field: str = "rate_bps") -> RuleViolation:
    return RuleViolation(message, code=PLAN_RULE, errors=[FieldError(field, message)])


async def _refresh_open_rate(session: AsyncSession, entry: PoolEntry, now: datetime) -> None:
    """Keep the pool's sortable open rate equal to the open plan's rate in effect."""
    rate = 0
    for plan in await PlanRepository(session).active_of_entry(entry.id):
        if plan.kind == "open":
            rate = current_rate(await PlanRepository(session).rates(plan.id), now)
    if entry.open_rate_bps != rate:
        entry.open_rate_bps = rate
        await publish(
            session,
            ENTRY_CHANGED,
            {
                "entry_id": str(entry.id),
                "product_id": str(entry.product_id),
                "status": entry.status,
            },
            region_id=entry.region_id,
        )


async def create_plan(session: AsyncSession, principal: Principal, body: PlanCreate) -> PlanView:
    entry = await get_entry(session, principal, body.pool_entry_id)
    ensure_may_change(
        principal, org_id=entry.supplier_id, region_id=entry.region_id, what="pool entry"
    )
    # one plan decision per product at a time (open at most once, exclusive vs open)
    entry = await PoolRepository(session).get(entry.id, lock=True) or entry
    if entry.status != "active":
        raise _rule("The product is not in the pool now", "pool_entry_id")
    kind = body.kind.value
    problem = rules.rate_problem(kind, body.rate_bps, body.service_fee_bps)
    if problem:
        raise _rule(problem)
    starts_on, ends_on = body.starts_on, body.ends_on
    streamers = StreamerRepository(session)
    if kind == "directed":
        if not body.streamer_ids and body.min_level is None:
            raise _rule("A directed plan names streamers or a minimum level", "streamer_ids")
        if starts_on is None or ends_on is None or ends_on < starts_on:
            raise _rule("A directed plan has a start and an end date", "ends_on")
    elif kind == "exclusive":
        if body.streamer_id is None:
            raise _rule("An exclusive plan is for one streamer", "streamer_id")
        found = await streamers.get(body.streamer_id)
        if found is None or found.region_id != entry.region_id:
            raise NotFound("No such streamer")
    elif kind == "agency":
        if body.agency_id is None or await streamers.get_agency(body.agency_id) is None:
            raise NotFound("No such agency")
        if body.period_days not in rules.AGENCY_PERIODS_DAYS:
            raise _rule("The promotion period is 30, 90, 180 or 360 days", "period_days")
        tz = ZoneInfo(await timezone_of(session, entry.region_id))
        starts_on = starts_on or utcnow().astimezone(tz).date()
        ends_on = starts_on + timedelta(days=body.period_days - 1)
    active = await PlanRepository(session).active_of_entry(entry.id)
    kinds = {p.kind for p in active}
    if kind == "open" and "open" in kinds:
        raise Conflict("The product has an open plan already: change its rate", code=PLAN_CONFLICT)
    if kind == "open" and "exclusive" in kinds or kind == "exclusive" and "open" in kinds:
        raise Conflict("An exclusive plan cannot be combined with an open plan", code=PLAN_CONFLICT)
    plan = Plan(
        region_id=entry.region_id,
        supplier_id=entry.supplier_id,
        pool_entry_id=entry.id,
        kind=kind,
        service_fee_bps=body.service_fee_bps,
        streamer_ids=[str(s) for s in body.streamer_ids],
        min_level=body.min_level,
        auto_approve=body.auto_approve,
        streamer_id=body.streamer_id if kind == "exclusive" else None,
        agency_id=body.agency_id if kind == "agency" else None,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=principal.user_id,
    )
    repo = PlanRepository(session)
    await repo.add(plan)
    now = utcnow()
    await repo.add(
        PlanRate(
            plan_id=plan.id,
            rate_bps=body.rate_bps,
            change="set",
            effective_at=now,
            recorded_at=now,
            actor_id=principal.user_id,
            reason=body.reason,
        )
    )
    await lifecycle.created(
        session, lifecycle.PLAN, plan.id, "active", "create", actor_id=principal.user_id
    )
    await publish(
        session,
        "livestream.plan.created",
        _event(plan, rate_bps=body.rate_bps),
        region_id=plan.region_id,
    )
    if kind == "open":
        await _refresh_open_rate(session, entry, now)
    return await view(session, plan, now)


async def _readable_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, *, lock: bool = False
) -> Plan:
    plan = await PlanRepository(session).get(plan_id, lock=lock)
    if plan is None:
        raise NotFound("No such plan")
    streamer_org = [m.org_id for m in principal.memberships_where(["streamer"])]
    agency_org = [m.org_id for m in principal.memberships_where(["livestream_agency"])]
    in_region = any(m.region_id == plan.region_id for m in principal.memberships_where())
    public = plan.kind in ("open", "directed") and in_region
    mine = (plan.streamer_id is not None and plan.streamer_id in streamer_org) or (
        plan.agency_id is not None and plan.agency_id in agency_org
    )
    if plan.kind == "agency" and streamer_org and not mine:
        members = [await StreamerRepository(session).get(s) for s in streamer_org]
        mine = any(s is not None and s.agency_id == plan.agency_id for s in members)
    if not (public or mine):
        ensure_readable(principal, org_id=plan.supplier_id, region_id=plan.region_id, what="plan")
    return plan


async def get_plan(session: AsyncSession, principal: Principal, plan_id: uuid.UUID) -> PlanView:
    return await view(session, await _readable_plan(session, principal, plan_id))


async def plans_of_entry(
    session: AsyncSession, principal: Principal, pool_entry_id: uuid.UUID, query: ListQuery
) -> tuple[list[PlanView], str | None]:
    """The entry's plans the caller may read (the rule of `_readable_plan`, in SQL)."""
    entry = await get_entry(session, principal, pool_entry_id)
    repo = PlanRepository(session)
    plans, next_cursor = await repo.page(repo.readable_of_entry(principal, entry.id), query)
    now = utcnow()
    return [await view(session, plan, now) for plan in plans], next_cursor


async def change_rate(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, body: RateChange
) -> PlanView:
    plan = await _readable_plan(session, principal, plan_id, lock=True)
    ensure_may_change(principal, org_id=plan.supplier_id, region_id=plan.region_id, what="plan")
    if plan.status != "active":
        raise _rule("The plan has ended")
    problem = rules.rate_problem(plan.kind, body.rate_bps, plan.service_fee_bps)
    if problem:
        raise _rule(problem)
    repo = PlanRepository(session)
    now = utcnow()
    rates = await repo.rates(plan.id)
    current = current_rate(rates, now)
    if plan.kind == "exclusive":
        earlier_cuts = [r.recorded_at for r in rates if r.change == "cut"]
        problem = rules.exclusive_cut_problem(current, body.rate_bps, earlier_cuts, now)
        if problem:
            raise _rule(problem)
    timezone = await timezone_of(session, plan.region_id)
    effective = rules.effective_at(current, body.rate_bps, now, timezone)
    # a new decision replaces any cut still waiting for midnight
    await repo.supersede_pending(plan.id, now)
    change = "cut" if body.rate_bps < current else "raise" if body.rate_bps > current else "set"
    await repo.add(
        PlanRate(
            plan_id=plan.id,
            rate_bps=body.rate_bps,
            previous_bps=current,
            change=change,
            effective_at=effective,
            recorded_at=now,
            actor_id=principal.user_id,
            reason=body.reason,
        )
    )
    await publish(
        session,
        "livestream.plan.rate_changed",
        _event(
            plan,
            from_bps=current,
            to_bps=body.rate_bps,
            change=change,
            effective_at=effective.isoformat(),
            reason=body.reason,
        ),
        region_id=plan.region_id,
    )
    if plan.kind == "open":
        entry = await PoolRepository(session).get(plan.pool_entry_id, lock=True)
        if entry is not None:
            await _refresh_open_rate(session, entry, now)
    return await view(session, plan, now)


async def end_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, reason: str | None
) -> PlanView:
    plan = await _readable_plan(session, principal, plan_id, lock=True)
    ensure_may_change(principal, org_id=plan.supplier_id, region_id=plan.region_id, what="plan")
    await lifecycle.apply(
        session, lifecycle.PLAN, plan, "end", actor_id=principal.user_id, reason=reason
    )
    await publish(
        session, "livestream.plan.ended", _event(plan, reason=reason), region_id=plan.region_id
    )
    if plan.kind == "open":
        entry = await PoolRepository(session).get(plan.pool_entry_id, lock=True)
        if entry is not None:
            await _refresh_open_rate(session, entry, utcnow())
    return await view(session, plan)


async def plan_history(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID
) -> tuple[Plan, list[PlanRate], list[StatusChange]]:
    plan = await _readable_plan(session, principal, plan_id)
    ensure_readable(principal, org_id=plan.supplier_id, region_id=plan.region_id, what="plan")
    return (
        plan,
        await PlanRepository(session).rates(plan.id),
        await lifecycle.history(session, lifecycle.PLAN, plan.id),
    )


# ---------------------------------------------------------------- applications


def _named_or_level(plan: Plan, streamer: Streamer) -> bool:
    return str(streamer.id) in plan.streamer_ids or (
        plan.min_level is not None and streamer.level >= plan.min_level
    )


async def apply_to_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, body: ApplicationCreate
) -> PlanApplication:
    plan = await _readable_plan(session, principal, plan_id)  # a foreign plan: 404 first
    me = acting_membership(principal, kinds=["streamer"])
    if plan.kind != "directed" or plan.status != "active":
        raise _rule("Only an active directed plan takes applications", "plan_id")
    streamer = await StreamerRepository(session).get(me.org_id)
    if streamer is None:
        raise RuleViolation("Set up your streamer profile first")
    repo = PlanRepository(session)
    if await repo.application_of(plan.id, streamer.id) is not None:
        raise Conflict("You applied to this plan already")
    application = PlanApplication(
        plan_id=plan.id,
        region_id=plan.region_id,
        supplier_id=plan.supplier_id,
        streamer_id=streamer.id,
        note=body.note,
    )
    await repo.add(application)
    await lifecycle.created(
        session,
        lifecycle.APPLICATION,
        application.id,
        "pending",
        "apply",
        actor_id=principal.user_id,
    )
    if plan.auto_approve and _named_or_level(plan, streamer):
        await _decide(
            session, application, "approve", principal.user_id, "rule", "meets the plan's rule"
        )
    return application


async def _decide(
    session: AsyncSession,
    application: PlanApplication,
    action: str,
    actor_id: uuid.UUID,
    by: str,
    reason: str | None,
) -> None:
    await lifecycle.apply(
        session, lifecycle.APPLICATION, application, action, actor_id=actor_id, reason=reason
    )
    application.decided_by = by
    await publish(
        session,
        f"livestream.plan.application_{application.status}",
        {
            "application_id": str(application.id),
            "plan_id": str(application.plan_id),
            "streamer_id": str(application.streamer_id),
            "supplier_id": str(application.supplier_id),
            "decided_by": by,
        },
        region_id=application.region_id,
    )


async def decide_application(
    session: AsyncSession,
    principal: Principal,
    application_id: uuid.UUID,
    action: str,
    reason: str | None,
) -> PlanApplication:
    repo = PlanRepository(session)
    application = await repo.get_application(application_id, lock=True)
    if application is None:
        raise NotFound("No such application")
    ensure_writable(
        principal,
        org_id=application.supplier_id,
        region_id=application.region_id,
        what="application",
    )
    await _decide(session, application, action, principal.user_id, "supplier", reason)
    return application


async def applications_of_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, query: ListQuery
) -> tuple[list[PlanApplication], str | None]:
    plan = await _readable_plan(session, principal, plan_id)
    everyone = (
        principal.platform_admin
        or principal.is_operator_of(plan.region_id)
        or plan.supplier_id in principal.org_ids()
    )
    # a streamer sees its own application only, never another's
    only = None if everyone else principal.org_ids(["streamer"])
    return await PlanRepository(session).applications_page(plan.id, query, streamer_ids=only)


# ---------------------------------------------------------------- the best rate


async def offers_for(
    session: AsyncSession, streamer: Streamer, entry: PoolEntry, now: datetime
) -> list[rules.Offer]:
    """The plans of the product this streamer qualifies for today, with their rates now."""
    repo = PlanRepository(session)
    plans = await repo.active_of_entry(entry.id)
    today = now.astimezone(ZoneInfo(await timezone_of(session, entry.region_id))).date()
    approved = await repo.approved_plan_ids(streamer.id, [p.id for p in plans])
    rates = await repo.rates_of([p.id for p in plans])
    offers = []
    for plan in plans:
        in_dates = (plan.starts_on is None or plan.starts_on <= today) and (
            plan.ends_on is None or today <= plan.ends_on
        )
        qualifies = {
            "open": True,
            "directed": plan.id in approved and in_dates,
            "exclusive": plan.streamer_id == streamer.id,
            "agency": streamer.agency_id is not None
            and plan.agency_id == streamer.agency_id
            and in_dates,
        }[plan.kind]
        if not qualifies:
            continue
        rate = rules.rate_at(_schedule([r for r in rates if r.plan_id == plan.id]), now)
        if rate is not None:
            offers.append(rules.Offer(plan.id, plan.kind, rate, plan.created_at))
    return offers


async def best_rate_for_me(
    session: AsyncSession, principal: Principal, pool_entry_id: uuid.UUID
) -> tuple[uuid.UUID, rules.Offer | None]:
    me = acting_membership(principal, kinds=["streamer"])
    entry = await get_entry(session, principal, pool_entry_id)
    streamer = await StreamerRepository(session).get(me.org_id)
    if streamer is None:
        return entry.id, None
    return entry.id, rules.best_offer(await offers_for(session, streamer, entry, utcnow()))


async def refresh_open_rates(session: AsyncSession, now: datetime | None = None) -> int:
    """Job: a cut that reached its local midnight shows in the pool's commission sort."""
    now = now or utcnow()
    changed = 0
    for plan in await PlanRepository(session).active_open_plans():
        entry = await PoolRepository(session).get(plan.pool_entry_id, lock=True)
        if entry is None:
            continue
        before = entry.open_rate_bps
        await _refresh_open_rate(session, entry, now)
        changed += entry.open_rate_bps != before
    return changed
