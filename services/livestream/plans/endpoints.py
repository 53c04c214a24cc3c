from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from services.livestream.db import kernel
from services.livestream.plans import service
from services.livestream.plans.schemas import (
    Application,
    ApplicationCreate,
    BestRate,
    Plan,
    PlanCreate,
    PlanEnd,
    PlanHistory,
    PlanRate,
    RateChange,
    Step,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-plans"])
PLANS_QUERY = list_query(service.PLAN_SORT_FIELDS, default="created_at", default_limit=50)
APPLICATIONS_QUERY = list_query(
    service.APPLICATION_SORT_FIELDS, default="created_at", default_limit=50
)


def plan_out(found: service.PlanView) -> Plan:
    return Plan.model_validate(
        {
            **{c: getattr(found.plan, c) for c in Plan.model_fields if hasattr(found.plan, c)},
            "rate_bps": found.rate_bps,
            "pending_rate_bps": found.pending_rate_bps,
            "pending_effective_at": found.pending_effective_at,
        }
    )


@router.post("/plans", response_model=Plan, status_code=201, summary="Supplier: a commission plan")
async def create_plan(body: PlanCreate, session: SessionDep, principal: CurrentPrincipal):
    return plan_out(await service.create_plan(session, principal, body))


@router.get("/plans", response_model=Page[Plan], summary="The plans of a pool entry I may see")
async def list_plans(
    q: Annotated[ListQuery, Depends(PLANS_QUERY)],
    pool_entry_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
):
    """Open and directed plans to the region, a streamer's or agency's own, every plan to
    the supplier and the operator; ended plans too (an entry the caller may not see: 404)."""
    plans, next_cursor = await service.plans_of_entry(session, principal, pool_entry_id, q)
    return Page[Plan](items=[plan_out(p) for p in plans], next_cursor=next_cursor)


@router.get("/plans/best", response_model=BestRate, summary="Streamer: my one rate for a product")
async def best_rate(pool_entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    entry_id, offer = await service.best_rate_for_me(session, principal, pool_entry_id)
    return BestRate(
        pool_entry_id=entry_id,
        plan_id=offer.plan_id if offer else None,
        kind=offer.kind if offer else None,
        rate_bps=offer.rate_bps if offer else None,
    )


@router.get("/plans/{plan_id}", response_model=Plan)
async def get_plan(plan_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return plan_out(await service.get_plan(session, principal, plan_id))


@router.post(
    "/plans/{plan_id}/rate", response_model=Plan, summary="Cut (next local midnight) or raise (now)"
)
async def change_rate(
    plan_id: uuid.UUID, body: RateChange, session: SessionDep, principal: CurrentPrincipal
):
    return plan_out(await service.change_rate(session, principal, plan_id, body))


@router.post("/plans/{plan_id}/end", response_model=Plan)
async def end_plan(
    plan_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: PlanEnd | None = None,
):
    return plan_out(
        await service.end_plan(session, principal, plan_id, body.reason if body else None)
    )


@router.get(
    "/plans/{plan_id}/history",
    response_model=PlanHistory,
    summary="Every change: who, when, why, effective when",
)
async def plan_history(plan_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    plan, rates, steps = await service.plan_history(session, principal, plan_id)
    return PlanHistory(
        plan_id=plan.id,
        rates=[PlanRate.model_validate(r) for r in rates],
        steps=[Step.model_validate(s) for s in steps],
    )


@router.post("/plans/{plan_id}/applications", response_model=Application, status_code=201)
async def apply_to_plan(
    plan_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: ApplicationCreate | None = None,
):
    return await service.apply_to_plan(
        session, principal, plan_id, body or ApplicationCreate(note=None)
    )


@router.get("/plans/{plan_id}/applications", response_model=Page[Application])
async def list_applications(
    q: Annotated[ListQuery, Depends(APPLICATIONS_QUERY)],
    plan_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
):
    """The supplier and the operator every application, a streamer its own."""
    rows, next_cursor = await service.applications_of_plan(session, principal, plan_id, q)
    return Page[Application](
        items=[Application.model_validate(a) for a in rows], next_cursor=next_cursor
    )


@router.post("/plan-applications/{application_id}/approve", response_model=Application)
async def approve_application(
    application_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: PlanEnd | None = None,
):
    return await service.decide_application(
        session, principal, application_id, "approve", body.reason if body else None
    )


@router.post("/plan-applications/{application_id}/revoke", response_model=Application)
async def revoke_application(
    application_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: PlanEnd | None = None,
):
    """The supplier withdraws an approval: orders paid from now on no longer get the
    directed rate; orders paid while it was approved keep it."""
    return await service.decide_application(
        session, principal, application_id, "revoke", body.reason if body else None
    )


@router.post("/plan-applications/{application_id}/reject", response_model=Application)
async def reject_application(
    application_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: PlanEnd | None = None,
):
    return await service.decide_application(
        session, principal, application_id, "reject", body.reason if body else None
    )
