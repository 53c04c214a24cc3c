from __future__ import annotations

import uuid

from fastapi import Request

from services.delivery.db import kernel
from services.delivery.runs.schemas import Run
from services.delivery.trips import service
from services.delivery.trips.schemas import (
    AdHocRequest,
    AdHocResult,
    CollectionRequest,
    Pickup,
    RunStop,
    Trip,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, etag_response, service_router

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-trips"])


def _view(run, stops) -> Trip:
    return Trip(run=Run.model_validate(run), stops=[RunStop.model_validate(s) for s in stops])


@router.post("/runs/ad-hoc", response_model=AdHocResult, responses={403: {}, 404: {}, 422: {}})
async def plan_ad_hoc(body: AdHocRequest, principal: CurrentPrincipal, session: SessionDep):
    """Sequence an ad-hoc day with OR-Tools (capacities, time windows); report dropped stops."""
    planned, dropped = await service.plan_ad_hoc(session, principal, body)
    return AdHocResult(trips=[_view(r, s) for r, s in planned], dropped_stop_ids=dropped)


@router.post("/runs/collection", status_code=201, response_model=Trip, responses={403: {}, 404: {}})
async def plan_collection(
    body: CollectionRequest, principal: CurrentPrincipal, session: SessionDep
):
    """An upstream collection run picking up farm goods for the county warehouse."""
    return _view(*await service.plan_collection(session, principal, body))


@router.get("/runs/{run_id}/stops", response_model=Trip, responses={304: {}, 404: {}})
async def run_stops(
    run_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: SessionDep
):
    """A run with its stops, ETAs, arrivals and weights collected (ETag: the app polls it)."""
    trip = _view(*await service.trip(session, principal, run_id))
    return etag_response(request, trip.model_dump(mode="json"))


@router.post("/runs/{run_id}/stops/{sequence}/arrive", response_model=Trip, responses={404: {}})
async def arrive(
    run_id: uuid.UUID, sequence: int, principal: CurrentPrincipal, session: SessionDep
):
    """The driver arrives at a stop of an ad-hoc or collection run."""
    return _view(*await service.arrive(session, principal, run_id, sequence))


@router.post("/runs/{run_id}/stops/{sequence}/pickup", response_model=Trip, responses={404: {}})
async def record_pickup(
    run_id: uuid.UUID,
    sequence: int,
    body: Pickup,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """The driver records the weight picked up at a farm."""
    return _view(*await service.record_pickup(session, principal, run_id, sequence, body.weight_g))
