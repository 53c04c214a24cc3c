"""Commission on a sale line (pure): the rate in effect when the order was paid, the split
of the amount kept, what a refund does, and when the return window has passed.

- **The rate**: the best rate (`plans.rules.best_offer`) among the plans of the product the
  line's streamer qualified for *at the paid time*: a plan created before it and not ended
  by then, its rate from the plan's rate history at that moment (`plans.rules.rate_at`),
  directed and agency plans within their dates (the region's local day of payment). When no
  plan qualifies the line keeps the rate the platform reported (`rate_source: platform`);
  a line without a streamer has no commission (`none`) until it is attributed.
- **The agency**: an agency activity's service fee is its own share of the paid amount;
  otherwise the streamer's agency takes its service-fee share of the commission.
- **Refunds**: before settlement a full refund cancels the line, a partial one re-splits
  the amount kept; after settlement the difference becomes a negative clawback entry (the
  next statement carries it).
- **The return window**: a line becomes real `days` after the platform's confirmation of
  receipt (or, when the export has none, its own settlement time); never for a line that
  has no streamer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from services.livestream.plans import rules
from services.livestream.settlement.split import Split, split_line, supply_kept

DEFAULT_RETURN_WINDOW_DAYS = 7


@dataclass(frozen=True)
class PlanTerms:
    plan_id: uuid.UUID
    pool_entry_id: uuid.UUID
    kind: str
    created_at: datetime
    ended_at: datetime | None
    starts_on: date | None
    ends_on: date | None
    streamer_id: uuid.UUID | None  # exclusive
    agency_id: uuid.UUID | None  # agency activity
    service_fee_bps: int
    schedule: tuple[rules.ScheduledRate, ...]


@dataclass(frozen=True)
class Rate:
    source: str  # plan, platform, none
    rate_bps: int
    plan_id: uuid.UUID | None = None
    agency_fee_bps: int = 0  # an agency activity's fee, of the paid amount
    agency_share_bps: int = 0  # the streamer's agency's share of the commission


def rate_at_payment(
    plans: list[PlanTerms],
    *,
    streamer_id: uuid.UUID | None,
    agency_id: uuid.UUID | None,
    agency_share_bps: int,
    approved_plan_ids: set[uuid.UUID],
    paid_at: datetime,
    local_day: date,
    platform_rate_bps: int,
) -> Rate:
    if streamer_id is None:
        return Rate("none", 0)
    offers: list[rules.Offer] = []
    by_id = {p.plan_id: p for p in plans}
    for plan in plans:
        if plan.created_at > paid_at or (plan.ended_at is not None and plan.ended_at <= paid_at):
            continue
        in_dates = (plan.starts_on is None or plan.starts_on <= local_day) and (
            plan.ends_on is None or local_day <= plan.ends_on
        )
        qualifies = {
            "open": True,
            "directed": plan.plan_id in approved_plan_ids and in_dates,
            "exclusive": plan.streamer_id == streamer_id,
            "agency": agency_id is not None and plan.agency_id == agency_id and in_dates,
        }[plan.kind]
        rate = rules.rate_at(plan.schedule, paid_at) if qualifies else None
        if rate is not None:
            offers.append(rules.Offer(plan.plan_id, plan.kind, rate, plan.created_at))
    best = rules.best_offer(offers)
    if best is None:
        share = agency_share_bps if agency_id is not None else 0
        return Rate("platform", platform_rate_bps, agency_share_bps=share)
    if best.kind == "agency":
        return Rate("plan", best.rate_bps, best.plan_id, by_id[best.plan_id].service_fee_bps)
    share = agency_share_bps if agency_id is not None else 0
    return Rate("plan", best.rate_bps, best.plan_id, agency_share_bps=share)


@lru_cache(maxsize=65_536)  # pure; an export repeats the same prices and rates
def split_kept(
    *,
    paid_fen: int,
    refunded_fen: int,
    quantity: int,
    supply_price_fen: int,
    rate_bps: int,
    agency_fee_bps: int,
    agency_share_bps: int,
) -> Split:
    kept = max(paid_fen - refunded_fen, 0)
    fee = min(agency_fee_bps, 10_000 - rate_bps)
    return split_line(
        kept,
        supply_kept(supply_price_fen, quantity, paid_fen, kept),
        rate_bps,
        fee,
        agency_share_bps=agency_share_bps,
    )


def window_start(confirmed_at: datetime | None, platform_settled_at: datetime | None):
    return confirmed_at or platform_settled_at


def is_due(
    confirmed_at: datetime | None,
    platform_settled_at: datetime | None,
    days: int,
    as_of: datetime,
) -> bool:
    start = window_start(confirmed_at, platform_settled_at)
    return start is not None and start + timedelta(days=days) <= as_of


@dataclass(frozen=True)
class Booked:
    """What a payee has on statements' entries for one line so far."""

    streamer_fen: int
    agency_fen: int


def refund_action(status: str, kept_fen: int) -> str | None:
    """The line's transition when its amounts changed (None: no status change)."""
    if status == "estimated":
        return "cancel" if kept_fen <= 0 else "refund_part"
    if status == "settled":
        return "claw_back" if kept_fen <= 0 else "claw_back_part"
    return None
