from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from services.delivery.carriers import service
from services.delivery.carriers.schemas import (
    AddressReview,
    CarrierBatch,
    CarrierReport,
    ReviewAssign,
    ReviewOutcome,
    ReviewReturn,
    ReviewStatus,
)
from services.delivery.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, etag_response, service_router

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-carriers"])
REVIEW_SORTS_QUERY = list_query(service.REVIEW_SORT_FIELDS, default="created_at", default_limit=50)


@router.post("/carrier-parcels", response_model=CarrierReport, responses={403: {}})
async def register_carrier_parcels(
    body: CarrierBatch, principal: CurrentPrincipal, session: SessionDep
):
    """Register a carrier's parcels in bulk; each is matched to a station or queued for review."""
    return await service.register_batch(session, principal, body)


@router.get(
    "/carrier-parcels/review",
    response_model=Page[AddressReview],
    responses={304: {}, 403: {}, 422: {}},
)
async def address_review_queue(
    q: Annotated[ListQuery, Depends(REVIEW_SORTS_QUERY)],
    region_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    status: ReviewStatus = "open",
):
    """Carriers' parcels whose address matched no station, oldest first (ETag)."""
    rows, next_cursor = await service.review_queue(
        session,
        principal,
        region_id,
        status=status,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    page = Page[AddressReview](
        items=[AddressReview.model_validate(row) for row in rows], next_cursor=next_cursor
    )
    return etag_response(request, page.model_dump(mode="json"))


@router.post(
    "/carrier-parcels/review/{review_id}/assign",
    response_model=ReviewOutcome,
    responses={403: {}, 404: {}, 409: {}, 422: {}},
)
async def assign_reviewed_parcel(
    review_id: uuid.UUID, body: ReviewAssign, principal: CurrentPrincipal, session: SessionDep
):
    """Send a reviewed parcel to the station a person chose (and learn the spelling)."""
    return await service.assign_review(session, principal, review_id, body)


@router.post(
    "/carrier-parcels/review/{review_id}/return",
    response_model=ReviewOutcome,
    responses={403: {}, 404: {}, 409: {}},
)
async def return_reviewed_parcel(
    review_id: uuid.UUID, body: ReviewReturn, principal: CurrentPrincipal, session: SessionDep
):
    """Give a parcel no station can take back to its carrier."""
    return await service.return_review(session, principal, review_id, body)
