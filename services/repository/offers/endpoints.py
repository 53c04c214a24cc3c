from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from services.repository.db import kernel
from services.repository.offers import service
from services.repository.offers.schemas import (
    Direction,
    Fulfilment,
    Offer,
    OfferCreate,
    OfferStatusChange,
    OfferUpdate,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, etag_response, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-offers"])


@router.post("/offers", status_code=201, response_model=Offer, responses={409: {}, 422: {}})
async def create_offer(body: OfferCreate, principal: CurrentPrincipal, session: SessionDep):
    """A supplier (or the county operator) offers a catalog variant by the case."""
    return await service.create_offer(session, principal, body)


OFFERS_QUERY = list_query(service.OFFER_SORT_FIELDS, "-updated_at")


@router.get("/offers", response_model=Page[Offer])
async def list_offers(
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    listing: Annotated[ListQuery, Depends(OFFERS_QUERY)],
    buyer_org_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
    region_id: uuid.UUID | None = None,
    direction: Direction | None = None,
    fulfilment: Fulfilment | None = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    cases: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
):
    """Offers on sale to the calling station or shop, with its price for `cases` (ETag)."""
    items, next_cursor = await service.list_offers(
        session,
        principal,
        buyer_org_id=buyer_org_id,
        supplier_id=supplier_id,
        region_id=region_id,
        direction=direction,
        fulfilment=fulfilment,
        category=category,
        q=q,
        cases=cases,
        query=listing,
    )
    page = Page[Offer](items=[Offer.model_validate(i) for i in items], next_cursor=next_cursor)
    return etag_response(request, page.model_dump(mode="json"))


@router.get("/offers/{offer_id}", response_model=Offer, responses={404: {}})
async def get_offer(
    offer_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    buyer_org_id: uuid.UUID | None = None,
    cases: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
):
    """One offer (ETag); a buyer sees it only when it is open to it."""
    view = await service.get_offer(
        session, principal, offer_id, buyer_org_id=buyer_org_id, cases=cases
    )
    return etag_response(request, Offer.model_validate(view).model_dump(mode="json"))


@router.patch("/offers/{offer_id}", response_model=Offer, responses={404: {}, 409: {}})
async def update_offer(
    offer_id: uuid.UUID, body: OfferUpdate, principal: CurrentPrincipal, session: SessionDep
):
    """Change an offer's terms; orders already placed keep the terms they were placed at."""
    return await service.update_offer(session, principal, offer_id, body)


@router.post(
    "/offers/{offer_id}/{action}",
    response_model=Offer,
    responses={404: {}, 409: {}},
)
async def change_offer_status(
    offer_id: uuid.UUID,
    action: Literal["pause", "resume", "withdraw"],
    principal: CurrentPrincipal,
    session: SessionDep,
    body: OfferStatusChange | None = None,
):
    """Pause, resume or withdraw an offer."""
    return await service.change_status(session, principal, offer_id, action)
