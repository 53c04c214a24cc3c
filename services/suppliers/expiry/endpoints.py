from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query

from services.suppliers.db import kernel
from services.suppliers.expiry import service
from services.suppliers.expiry.schemas import (
    ExpiryCheckResult,
    ExpiryCheckRun,
    ExpiryNotification,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-notifications"])
jobs = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-jobs"])
SORT_COLUMNS_QUERY = list_query(service.SORT_COLUMNS, default="-created_at", default_limit=50)


@jobs.post(
    "/jobs/document-expiry/run", response_model=ExpiryCheckResult, responses={403: {}, 422: {}}
)
async def run_document_expiry_check(
    body: ExpiryCheckRun, principal: CurrentPrincipal, session: SessionDep
) -> ExpiryCheckResult:
    """Run the daily document expiry check for the region now, on its local date (the
    operator fixed data and need not wait for the next hourly run). Idempotent like the job."""
    run = await service.run_now(session, principal, body.region_id)
    return ExpiryCheckResult(
        region_id=body.region_id,
        as_of=run.as_of,
        warnings=run.warnings,
        suspended=[uuid.UUID(s) for s in run.suspended],
    )


@router.get(
    "/{supplier_id}/notifications", response_model=Page[ExpiryNotification], responses={404: {}}
)
async def list_notifications(
    q: Annotated[ListQuery, Depends(SORT_COLUMNS_QUERY)],
    supplier_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    unread: bool | None = Query(None, description="true: only unread; false: only read"),
) -> Page[ExpiryNotification]:
    """Warnings about documents expiring in 30 or 7 days, or expired."""
    rows, next_cursor = await service.list_notifications(
        session,
        principal,
        supplier_id,
        unread=unread,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    return Page[ExpiryNotification](
        items=[ExpiryNotification.model_validate(n) for n in rows], next_cursor=next_cursor
    )


@router.post(
    "/{supplier_id}/notifications/{notification_id}/read",
    response_model=ExpiryNotification,
    responses={403: {}, 404: {}},
)
async def mark_notification_read(
    supplier_id: uuid.UUID,
    notification_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> ExpiryNotification:
    """Mark a notification read (the supplier's own members)."""
    return ExpiryNotification.model_validate(
        await service.mark_read(session, principal, supplier_id, notification_id)
    )
