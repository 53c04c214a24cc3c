"""Buyer accounts: terms the operator sets, and what a buyer may order again."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.buyers import suggestions
from services.repository.buyers.access import account_for_caller
from services.repository.buyers.models import BuyerAccount
from services.repository.buyers.repository import ACCOUNT_SORTS, BuyerRepository
from services.repository.buyers.schemas import BuyerTermsUpdate, PastPurchasesCreate
from services.repository.directory.repository import DirectoryRepository
from services.repository.directory.service import region_rules
from services.repository.offers.service import offers_for_buyer
from services.repository.problems import BAD_TERMS
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of
from shared.db import utcnow
from shared.errors import FieldError, NotFound, RuleViolation
from shared.events import publish
from shared.pagination import ListQuery

TERMS_ROLES = ("owner", "admin", "finance")
HISTORY_ROLES = ("owner", "admin", "staff")
HISTORY_DAYS = 400  # a year and a season: the seasonal signal looks at last year
# the documented sort keys of the region's buyer list (the repository keeps the columns)
ACCOUNT_SORT_FIELDS = tuple(ACCOUNT_SORTS)


async def _visible_account(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID | None
) -> BuyerAccount:
    """The buyer itself, or the operator of its region."""
    if org_id is not None:
        account = await BuyerRepository(session).get(org_id)
        if account is not None and (
            principal.platform_admin or principal.is_operator_of(account.region_id)
        ):
            return account
    return await account_for_caller(session, principal, org_id)


async def account_view(session: AsyncSession, account: BuyerAccount) -> dict[str, Any]:
    return _view(account, await BuyerRepository(session).open_credit_fen(account.org_id))


def _view(account: BuyerAccount, used: int) -> dict[str, Any]:
    return {
        "org_id": account.org_id,
        "region_id": account.region_id,
        "kind": account.kind,
        "name": account.name,
        "status": account.status,
        "stop_id": account.stop_id,
        "station_org_id": account.station_org_id,
        "payment_methods": account.payment_methods,
        "credit_limit_fen": account.credit_limit_fen,
        "terms_days": account.terms_days,
        "credit_used_fen": used,
        "credit_available_fen": max(0, account.credit_limit_fen - used),
    }


async def get_account(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID | None
) -> dict[str, Any]:
    return await account_view(session, await _visible_account(session, principal, org_id))


async def list_accounts(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, query: ListQuery
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of the region's buyers, each with its credit in use (one query a page)."""
    ensure_operator_of(principal, region_id)
    repo = BuyerRepository(session)
    accounts, next_cursor = await repo.accounts_page(region_id, query)
    used = await repo.open_credit_by_buyer([a.org_id for a in accounts])
    return [_view(a, used.get(a.org_id, 0)) for a in accounts], next_cursor


async def set_terms(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID, body: BuyerTermsUpdate
) -> dict[str, Any]:
    """The operator sets how a buyer may pay, its credit limit and its 账期; payments
    learns the credit terms from the event."""
    account = await BuyerRepository(session).get(org_id, lock=True)
    if account is None:
        raise NotFound("No such buyer (its organisation is not approved yet)")
    ensure_operator_of(principal, account.region_id, roles=TERMS_ROLES)
    credit_before = (account.credit_limit_fen, account.terms_days)
    changes = body.model_dump(exclude_unset=True)
    await _refuse_unknown_references(session, account, changes)
    if "payment_methods" in changes and changes["payment_methods"] is not None:
        account.payment_methods = sorted(set(changes["payment_methods"]))
    for name in ("credit_limit_fen", "terms_days"):
        if changes.get(name) is not None:
            setattr(account, name, changes[name])
    for name in ("stop_id", "station_org_id"):
        if name in changes:
            setattr(account, name, changes[name])
    await session.flush()
    if (account.credit_limit_fen, account.terms_days) != credit_before:
        await publish(
            session,
            "repository.buyer.credit_terms_set",
            {
                "buyer_org_id": str(account.org_id),
                "region_id": str(account.region_id),
                "credit_limit_fen": account.credit_limit_fen,
                "terms_days": account.terms_days,
            },
            region_id=account.region_id,
        )
    return await account_view(session, account)


async def _refuse_unknown_references(
    session: AsyncSession, account: BuyerAccount, changes: dict[str, Any]
) -> None:
    """A stop must be one a published route of the buyer's region stops at; a shop's
    station must be a station buyer of the same region. Every problem at once."""
    errors: list[FieldError] = []
    stop_id = changes.get("stop_id")
    if stop_id is not None and not await DirectoryRepository(session).stop_in_region(
        stop_id, account.region_id
    ):
        errors.append(
            FieldError("stop_id", "no published route of this county stops here", "unknown_stop")
        )
    station_id = changes.get("station_org_id")
    if station_id is not None:
        station = await BuyerRepository(session).get(station_id)
        if station is None or station.kind != "station" or station.region_id != account.region_id:
            errors.append(
                FieldError(
                    "station_org_id", "not a village station of this county", "unknown_station"
                )
            )
    if errors:
        raise RuleViolation("These terms cannot be set", code=BAD_TERMS, errors=errors)


async def _history(
    session: AsyncSession, account: BuyerAccount
) -> tuple[list[suggestions.PastLine], ZoneInfo]:
    zone = ZoneInfo((await region_rules(session, account.region_id)).timezone)
    rows = await BuyerRepository(session).purchase_history(
        account.org_id, utcnow() - timedelta(days=HISTORY_DAYS)
    )
    return [
        suggestions.PastLine(offer_id, placed_at.astimezone(zone).date(), cases)
        for offer_id, placed_at, cases in rows
    ], zone


async def buy_again(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID | None
) -> list[dict[str, Any]]:
    """Everything the buyer ordered before, most recent first, with today's price."""
    account = await _visible_account(session, principal, org_id)
    rows = await BuyerRepository(session).purchase_history(
        account.org_id, utcnow() - timedelta(days=HISTORY_DAYS)
    )
    summary: dict[uuid.UUID, dict[str, Any]] = {}
    for offer_id, placed_at, cases in rows:
        item = summary.setdefault(offer_id, {"times_ordered": 0})
        item["times_ordered"] += 1
        item["last_ordered_at"] = placed_at
        item["last_cases"] = cases
    judged = await offers_for_buyer(session, account, set(summary))
    items = []
    for offer_id, item in summary.items():
        offer = judged.get(offer_id)
        if offer is None:
            continue
        on_sale = offer.selling and offer.open_to_buyer
        items.append(
            {
                "offer_id": offer_id,
                "product_name": offer.variant.product_name,
                "variant_name": offer.variant.variant_name,
                "selling": on_sale,
                "price_fen_per_case": offer.price_fen_per_case(item["last_cases"])
                if on_sale
                else None,
                **item,
            }
        )
    return sorted(items, key=lambda i: i["last_ordered_at"], reverse=True)


async def suggest_reorders(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID | None, as_of: date | None
) -> list[dict[str, Any]]:
    """What the buyer is likely due to order again, with the reasoning behind each."""
    return (await explained_suggestions(session, principal, org_id, as_of))["items"]


async def explained_suggestions(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID | None, as_of: date | None
) -> dict[str, Any]:
    """The suggestions and why they are what they are (also when there are none)."""
    account = await _visible_account(session, principal, org_id)
    history, zone = await _history(session, account)
    today = as_of or datetime.combine(utcnow().date(), time()).astimezone(zone).date()
    judged = await offers_for_buyer(session, account, {line.offer_id for line in history})
    rules = {
        offer_id: suggestions.OrderRules(o.offer.min_order_cases, o.offer.multiple_cases)
        for offer_id, o in judged.items()
        if o.selling and o.open_to_buyer
    }
    found = suggestions.suggest(history, today, rules)
    why = suggestions.explain(history, today, rules, found)
    return {
        "items": [
            {
                "offer_id": s.offer_id,
                "product_name": judged[s.offer_id].variant.product_name,
                "variant_name": judged[s.offer_id].variant.variant_name,
                "suggested_cases": s.cases,
                "due_on": s.due_on,
                "reason": s.reason,
                "reason_zh": s.reason_zh,
                "basis": s.basis,
            }
            for s in found
        ],
        "status": why.status,
        "reason": why.reason,
        "reason_zh": why.reason_zh,
        "orders_considered": why.orders_considered,
        "next_due_on": why.next_due_on,
        "as_of": today,
    }


async def record_past_purchases(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID, body: PastPurchasesCreate
) -> dict[str, Any]:
    """The region's operator records what a buyer bought before it ordered here (its
    ledger, the previous system): suggestions and "buy again" learn from it at once.
    Each line's offer must be one the buyer may see, its day within the history the
    suggestions read (400 days) and not in the future; every problem at once."""
    account = await _visible_account(session, principal, org_id)
    ensure_operator_of(principal, account.region_id, HISTORY_ROLES)
    zone = ZoneInfo((await region_rules(session, account.region_id)).timezone)
    today = utcnow().astimezone(zone).date()
    judged = await offers_for_buyer(session, account, {line.offer_id for line in body.lines})
    errors = []
    for index, line in enumerate(body.lines):
        if line.offer_id not in judged or not judged[line.offer_id].open_to_buyer:
            errors.append(
                FieldError(f"lines.{index}.offer_id", "no such offer for this buyer", "unknown")
            )
        if line.ordered_on > today or line.ordered_on < today - timedelta(days=HISTORY_DAYS):
            errors.append(
                FieldError(
                    f"lines.{index}.ordered_on",
                    f"a day in the last {HISTORY_DAYS} days, not in the future",
                    "out_of_range",
                )
            )
    if errors:
        raise RuleViolation("These past purchases cannot be recorded", errors=errors)
    days: dict[tuple[uuid.UUID, date], int] = {}
    for line in body.lines:  # the same offer twice on one day is one purchase
        key = (line.offer_id, line.ordered_on)
        days[key] = days.get(key, 0) + line.cases
    recorded = await BuyerRepository(session).record_past_purchases(
        account.org_id,
        [(offer_id, day, cases) for (offer_id, day), cases in days.items()],
        body.source,
        principal.user_id,
    )
    return {"buyer_org_id": account.org_id, "recorded": recorded}
