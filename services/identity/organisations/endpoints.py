from __future__ import annotations

import uuid
from typing import Literal

from fastapi import Depends, Query

from services.identity.db import kernel
from services.identity.organisations import service
from services.identity.organisations.schemas import (
    Organisation,
    OrganisationCreate,
    OrganisationDecision,
    SignupRequest,
    SignupResult,
)
from shared.auth import Principal
from shared.auth.dependencies import CurrentPrincipal, require_platform_admin
from shared.pagination import parse_sort
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/identity", tags=["identity-organisations"])


@router.post("/signup", status_code=201, response_model=SignupResult)
async def sign_up(body: SignupRequest, session: SessionDep) -> SignupResult:
    """An organisation applies to join a region; it is pending until the operator approves."""
    org, user = await service.sign_up(session, body)
    return SignupResult(organisation=Organisation.model_validate(org), user_id=user.id)


@router.post("/organisations", status_code=201, response_model=SignupResult)
async def create_organisation(
    body: OrganisationCreate,
    session: SessionDep,
    principal: Principal = Depends(require_platform_admin()),
) -> SignupResult:
    """Create an active organisation with its owner (platform administrators; e.g. operators)."""
    org, user = await service.create_organisation(session, body, principal)
    return SignupResult(organisation=Organisation.model_validate(org), user_id=user.id)


@router.get("/organisations", response_model=Page[Organisation])
async def list_organisations(
    principal: CurrentPrincipal,
    session: SessionDep,
    kind: str | None = None,
    status: Literal["pending", "active", "rejected", "suspended"] | None = None,
    sort: str = Query("-created_at", description="created_at or name; prefix - for descending"),
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=200),
) -> Page[Organisation]:
    """Your organisations; an operator also sees every organisation of its region."""
    rows, next_cursor = await service.list_organisations(
        session,
        principal,
        kind=kind,
        status=status,
        sort=parse_sort(sort, service.SORT_COLUMNS, "-created_at"),
        cursor=cursor,
        limit=limit,
    )
    return Page[Organisation](
        items=[Organisation.model_validate(o) for o in rows], next_cursor=next_cursor
    )


@router.get("/organisations/{org_id}", response_model=Organisation)
async def get_organisation(
    org_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Organisation:
    return Organisation.model_validate(
        await service.get_visible_organisation(session, principal, org_id)
    )


def _decision_route(action: str, summary: str) -> None:
    async def decide(
        org_id: uuid.UUID,
        principal: CurrentPrincipal,
        session: SessionDep,
        body: OrganisationDecision | None = None,
    ) -> Organisation:
        org = await service.decide(
            session, principal, org_id, action, body.reason if body else None
        )
        return Organisation.model_validate(org)

    decide.__name__ = f"{action}_organisation"
    router.add_api_route(
        f"/organisations/{{org_id}}/{action}",
        decide,
        methods=["POST"],
        response_model=Organisation,
        summary=summary,
        responses={404: {}, 409: {}},
    )


_decision_route("approve", "Approve a pending (or earlier rejected) organisation")
_decision_route("reject", "Reject a pending organisation, with a reason")
_decision_route("suspend", "Suspend an active organisation")
_decision_route("reinstate", "Reinstate a suspended organisation")
