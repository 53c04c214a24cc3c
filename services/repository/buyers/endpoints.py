from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Response

from services.repository.buyers import service
from services.repository.buyers.schemas import (
    BuyAgainItem,
    BuyerAccount,
    BuyerTermsUpdate,
    PastPurchases,
    PastPurchasesCreate,
    Suggestion,
    SuggestionReport,
)
from services.repository.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-buyers"])
BUYERS_QUERY = list_query(service.ACCOUNT_SORT_FIELDS, default="name", default_limit=50)


@router.get("/buyers", response_model=Page[BuyerAccount], responses={403: {}, 422: {}})
async def list_buyers(
    q: Annotated[ListQuery, Depends(BUYERS_QUERY)],
    region_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """The region's stations and shops by name, with their terms and credit in use
    (operator)."""
    rows, next_cursor = await service.list_accounts(session, principal, region_id, q)
    return Page[BuyerAccount](
        items=[BuyerAccount.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/buyers/me", response_model=BuyerAccount, responses={403: {}})
async def my_account(principal: CurrentPrincipal, session: SessionDep):
    """The calling station's or shop's own account: how it may pay, credit left."""
    return await service.get_account(session, principal, None)


@router.get("/buyers/{org_id}", response_model=BuyerAccount, responses={404: {}})
async def get_buyer(org_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    return await service.get_account(session, principal, org_id)


@router.put("/buyers/{org_id}/terms", response_model=BuyerAccount, responses={403: {}, 404: {}})
async def set_buyer_terms(
    org_id: uuid.UUID, body: BuyerTermsUpdate, principal: CurrentPrincipal, session: SessionDep
):
    """The operator sets payment methods, credit limit, 账期 and the delivery stop."""
    return await service.set_terms(session, principal, org_id, body)


# An array, bounded by nature: one item per offer this one buyer ordered in its 400-day
# history (its own habits, not the catalog), aggregated and priced as a whole.
@router.get("/buyers/{org_id}/buy-again", response_model=list[BuyAgainItem])
async def buy_again(org_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """What the buyer ordered before, most recent first, with today's price."""
    return await service.buy_again(session, principal, org_id)


@router.post(
    "/buyers/{org_id}/past-purchases",
    status_code=201,
    response_model=PastPurchases,
    responses={403: {}, 404: {}, 422: {}},
)
async def record_past_purchases(
    org_id: uuid.UUID, body: PastPurchasesCreate, principal: CurrentPrincipal, session: SessionDep
):
    """The operator records what the buyer bought before ordering here (its ledger, the
    previous system), so that reorder suggestions and "buy again" know its habits from
    the first day. A day recorded again replaces that day's cases."""
    return await service.record_past_purchases(session, principal, org_id, body)


# An array, bounded by nature: what this one buyer is due to order now (at most one per
# offer of its history), computed and explained as a whole (see `/suggestions/why`).
@router.get("/buyers/{org_id}/suggestions", response_model=list[Suggestion])
async def reorder_suggestions(
    org_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    as_of: date | None = None,
):
    """Reorder suggestions from the buyer's own history, each with its reasoning. The
    `Suggestions-Status` header says why the list is what it is (`no_history`,
    `history_too_short`, `nothing_due`, `not_on_sale`, `suggested`); `/suggestions/why`
    answers the same with the explanation in words."""
    report = await service.explained_suggestions(session, principal, org_id, as_of)
    response.headers["Suggestions-Status"] = report["status"]
    return report["items"]


@router.get("/buyers/{org_id}/suggestions/why", response_model=SuggestionReport)
async def reorder_suggestions_explained(
    org_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    as_of: date | None = None,
):
    """The suggestions with why they are what they are, also when there are none (no
    history, history too short, nothing due yet and when, nothing on sale any more)."""
    return await service.explained_suggestions(session, principal, org_id, as_of)
