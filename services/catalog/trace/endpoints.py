from __future__ import annotations

import uuid

from fastapi import Request, Response

from services.catalog.db import kernel
from services.catalog.trace import qr, service
from services.catalog.trace.schemas import Lot, LotCreate, LotEvent, LotEventCreate, TracePage
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, etag_response, file_response, service_router

public = service_router(kernel, prefix="/v1/catalog/trace", tags=["catalog-trace"])
manage = service_router(kernel, prefix="/v1/catalog/manage", tags=["catalog-lots"])


def lot_out(lot, events=()) -> Lot:
    _, superseded = service.effective_events(list(events))
    return Lot(
        id=lot.id,
        code=lot.code,
        product_id=lot.product_id,
        supplier_id=lot.supplier_id,
        quantity=lot.quantity,
        unit=lot.unit,
        produced_on=lot.produced_on,
        created_at=lot.created_at,
        trace_url=qr.trace_url(lot.code),
        events=[LotEvent(**service.event_dict(e, superseded.get(e.id))) for e in events],
    )


@manage.post(
    "/products/{product_id}/lots",
    response_model=Lot,
    status_code=201,
    responses={404: {}, 409: {}},
)
async def create_lot(
    product_id: uuid.UUID, data: LotCreate, principal: CurrentPrincipal, session: SessionDep
) -> Lot:
    """Open a lot (批次) of the product; its code goes on the label and the QR code."""
    return lot_out(await service.create_lot(session, principal, product_id, data))


@manage.get("/lots/{lot_id}", response_model=Lot, responses={404: {}})
async def get_lot(lot_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> Lot:
    lot = await service.get_lot(session, principal, lot_id)
    return lot_out(lot, await service.lot_events(session, lot))


@manage.post(
    "/lots/{lot_id}/events",
    response_model=LotEvent,
    status_code=201,
    responses={404: {}, 422: {}},
)
async def record_event(
    lot_id: uuid.UUID, data: LotEventCreate, principal: CurrentPrincipal, session: SessionDep
) -> LotEvent:
    """Append what happened to the lot (when, where, why, who). Events are never edited."""
    event = await service.record_event(session, principal, lot_id, data)
    return LotEvent(**service.event_dict(event))


@public.get("/{code}", response_model=TracePage, responses={304: {}, 404: {}})
async def trace(code: str, request: Request, session: SessionDep) -> Response:
    """Public, no login: what a consumer sees after scanning the QR code (ETag)."""
    return etag_response(request, await service.trace_page(session, code), max_age=300)


@public.get(
    "/{code}/qr.png",
    response_class=Response,
    responses={**file_response("image/png", description="The QR code"), 404: {}},
)
async def trace_qr_png(code: str, session: SessionDep) -> Response:
    await service.trace_page(session, code)
    return Response(
        qr.qr_png(code), media_type="image/png", headers={"Cache-Control": "public, max-age=86400"}
    )


@public.get(
    "/{code}/qr.svg",
    response_class=Response,
    responses={**file_response("image/svg+xml", description="The QR code"), 404: {}},
)
async def trace_qr_svg(code: str, session: SessionDep) -> Response:
    await service.trace_page(session, code)
    return Response(
        qr.qr_svg(code),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )
