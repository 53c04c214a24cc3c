from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, File, Form, Request, Response, UploadFile

from services.delivery.db import kernel
from services.delivery.runs import service
from services.delivery.runs.schemas import (
    DeliveryException,
    HandOver,
    Parcel,
    ParcelStatus,
    PlanRequest,
    PlanResult,
    Run,
    RunAssignment,
    RunCancel,
    RunDetail,
    RunKind,
    RunStatus,
    RunStep,
    Tracking,
    TrackingStep,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, etag_response, file_response, service_router

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-runs"])
stations = service_router(kernel, prefix="/v1/delivery", tags=["delivery-stations"])
MAX_PROOF_BYTES = 5 * 1024 * 1024
tracking = service_router(kernel, prefix="/v1/delivery", tags=["delivery-tracking"])
RUN_SORTS_QUERY = list_query(service.RUN_SORT_FIELDS, default="created_at", default_limit=50)
RUN_SORTS_QUERY_1 = list_query(service.RUN_SORT_FIELDS, default="-created_at", default_limit=50)
PARCEL_SORTS_QUERY = list_query(service.PARCEL_SORT_FIELDS, default="-created_at", default_limit=50)

RUN_SORT_DOC = "created_at or trip, - for descending"
PARCEL_SORT_DOC = "created_at or tracking_number, - for descending"


def run_detail(detail: service.RunDetail) -> RunDetail:
    return RunDetail(
        **Run.model_validate(detail.run).model_dump(),
        history=[RunStep.model_validate(step) for step in detail.history],
        parcels=detail.parcels,
        allowed_actions=detail.allowed_actions,
    )


def run_page(request: Request, runs: list, next_cursor: str | None) -> Response:
    page = Page[Run](items=[Run.model_validate(r) for r in runs], next_cursor=next_cursor)
    return etag_response(request, page.model_dump(mode="json"))


@router.post("/runs/plan", response_model=PlanResult, responses={403: {}})
async def plan_runs(body: PlanRequest, principal: CurrentPrincipal, session: SessionDep):
    """Build the day's runs per route from the parcels waiting for that date."""
    runs, unplaced = await service.plan_day(session, principal, body.region_id, body.delivery_date)
    return PlanResult(runs=[Run.model_validate(r) for r in runs], unplaced_parcel_ids=unplaced)


@router.get("/runs", response_model=Page[Run], responses={304: {}, 403: {}, 422: {}})
async def list_runs(
    q: Annotated[ListQuery, Depends(RUN_SORTS_QUERY)],
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    region_id: uuid.UUID,
    delivery_date: date,
    status: RunStatus | None = None,
    kind: RunKind | None = None,
    driver_user_id: uuid.UUID | None = None,
):
    """The dispatcher's runs of a day in the region, in planning order (ETag)."""
    runs, next_cursor = await service.day_runs(
        session,
        principal,
        region_id,
        delivery_date,
        status=status,
        kind=kind,
        driver_user_id=driver_user_id,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    return run_page(request, runs, next_cursor)


@router.get("/runs/mine", response_model=Page[Run], responses={304: {}, 422: {}})
async def my_runs(
    q: Annotated[ListQuery, Depends(RUN_SORTS_QUERY_1)],
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    delivery_date: date | None = None,
    status: RunStatus | None = None,
):
    """The runs assigned to the calling driver, newest first (ETag: the app polls it)."""
    runs, next_cursor = await service.my_runs(
        session,
        principal,
        delivery_date=delivery_date,
        status=status,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    return run_page(request, runs, next_cursor)


@router.get("/runs/{run_id}", response_model=RunDetail, responses={304: {}, 404: {}})
async def get_run(
    run_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: SessionDep
):
    """One run with its history and what the caller may still do (its dispatcher, or the
    driver it is assigned to; ETag)."""
    detail = await service.run_detail(session, principal, run_id)
    return etag_response(request, run_detail(detail).model_dump(mode="json"))


# An array, not a page: one vehicle's load (planning keeps it within the vehicle's weight
# and volume), in loading order, the last stop's parcels first: the warehouse loads from
# the whole list, and a page boundary would split the loading order.
@router.get("/runs/{run_id}/pick-list", response_model=list[Parcel], responses={404: {}})
async def pick_list(run_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """Parcels in loading order: the last stop's are loaded first."""
    parcels = await service.pick_list(session, principal, run_id)
    return [Parcel.model_validate(p) for p in parcels]


@router.post(
    "/runs/{run_id}/assign",
    response_model=RunDetail,
    responses={403: {}, 404: {}, 409: {}, 422: {}},
)
async def assign_run(
    run_id: uuid.UUID, body: RunAssignment, principal: CurrentPrincipal, session: SessionDep
):
    """The dispatcher gives a planned run to another driver or vehicle before it leaves."""
    detail = await service.assign_run(
        session, principal, run_id, body.driver_user_id, body.vehicle_id
    )
    return run_detail(detail)


@router.post("/runs/{run_id}/start", response_model=RunDetail, responses={404: {}, 409: {}})
async def start_run(run_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """The driver leaves the warehouse: every parcel on the run is in transit."""
    return run_detail(await service.start_run(session, principal, run_id))


@router.post(
    "/runs/{run_id}/finish",
    response_model=RunDetail,
    responses={404: {}, 409: {"description": "Not on the road, or parcels still aboard"}},
)
async def finish_run(run_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """The driver ends the run once every parcel is delivered, at its station, returned or
    taken off for redelivery."""
    return run_detail(await service.finish_run(session, principal, run_id))


@router.post(
    "/runs/{run_id}/cancel", response_model=RunDetail, responses={403: {}, 404: {}, 409: {}}
)
async def cancel_run(
    run_id: uuid.UUID, body: RunCancel, principal: CurrentPrincipal, session: SessionDep
):
    """The dispatcher calls off a run that has not left; its parcels wait for the next plan."""
    return run_detail(await service.cancel_run(session, principal, run_id, body.reason))


@stations.get(
    "/stations/{station_org_id}/parcels",
    response_model=Page[Parcel],
    responses={304: {}, 404: {}, 422: {}},
)
async def station_parcels(
    q: Annotated[ListQuery, Depends(PARCEL_SORTS_QUERY)],
    station_org_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    status: ParcelStatus | None = None,
    delivery_date: date | None = None,
):
    """The station's parcels (status=at_station: the stock waiting for pickup); ETag."""
    parcels, next_cursor = await service.station_stock(
        session,
        principal,
        station_org_id,
        status=status,
        delivery_date=delivery_date,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    page = Page[Parcel](items=[Parcel.model_validate(p) for p in parcels], next_cursor=next_cursor)
    return etag_response(request, page.model_dump(mode="json"))


@stations.post("/parcels/{parcel_id}/receive", response_model=Parcel, responses={404: {}})
async def receive_parcel(parcel_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """The station receives the parcel from the van; a pickup code is issued."""
    return Parcel.model_validate(await service.receive(session, principal, parcel_id))


@stations.post(
    "/parcels/{parcel_id}/hand-over", response_model=Parcel, responses={404: {}, 422: {}}
)
async def hand_over(
    parcel_id: uuid.UUID, body: HandOver, principal: CurrentPrincipal, session: SessionDep
):
    """Hand the parcel to the customer against its pickup code."""
    parcel = await service.hand_over(
        session, principal, parcel_id, body.pickup_code, body.recipient_name
    )
    return Parcel.model_validate(parcel)


@tracking.get("/track/{tracking_number}", response_model=Tracking, responses={404: {}})
async def track(tracking_number: str, session: SessionDep):
    """Public tracking: status and history, no personal data."""
    parcel, history = await service.track(session, tracking_number)
    return Tracking(
        tracking_number=parcel.tracking_number,
        status=parcel.status,
        delivery_date=parcel.delivery_date,
        history=[TrackingStep(status=h.to_status, action=h.action, at=h.at) for h in history],
    )


@router.post(
    "/parcels/{parcel_id}/deliver", response_model=Parcel, responses={404: {}, 409: {}, 422: {}}
)
async def deliver_parcel(
    parcel_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    recipient_name: Annotated[str, Form(min_length=1, max_length=100)],
    cod_collected_fen: Annotated[int, Form(ge=0)] = 0,
    proof: Annotated[UploadFile | None, File(description="photo or signature image")] = None,
):
    """The driver delivers in person: recipient, proof image, cash collected for COD."""
    data = await proof.read(MAX_PROOF_BYTES + 1) if proof is not None else None
    parcel = await service.deliver(
        session, principal, parcel_id, recipient_name, cod_collected_fen, data
    )
    return Parcel.model_validate(parcel)


@router.get(
    "/parcels/{parcel_id}/proof",
    response_class=Response,
    responses={
        **file_response("image/png", "image/jpeg", "image/webp", description="The proof image"),
        404: {},
    },
)
async def proof_of_delivery(parcel_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """The photo or signature the driver took when handing the parcel over (the parcel's
    station, the region's operator and the run's driver)."""
    data, content_type = await service.proof_of_delivery(session, principal, parcel_id)
    return Response(data, media_type=content_type)


@router.post("/parcels/{parcel_id}/exception", response_model=Parcel, responses={404: {}, 409: {}})
async def report_exception(
    parcel_id: uuid.UUID, body: DeliveryException, principal: CurrentPrincipal, session: SessionDep
):
    """Absent (redelivered next day, up to three attempts), refused or damaged (returned)."""
    parcel = await service.report_exception(session, principal, parcel_id, body.kind, body.note)
    return Parcel.model_validate(parcel)


@router.get(
    "/runs/{run_id}/manifest.pdf",
    response_class=Response,
    responses={**file_response("application/pdf", description="The run manifest"), 404: {}},
)
async def run_manifest(run_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """The printable run manifest: totals, then parcels by stop in driving order."""
    pdf = await service.run_documents(session, principal, run_id, "manifest")
    return Response(pdf, media_type="application/pdf")


@router.get(
    "/runs/{run_id}/labels.pdf",
    response_class=Response,
    responses={**file_response("application/pdf", description="The parcel labels"), 404: {}},
)
async def run_labels(run_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """One label per parcel with its tracking number as a QR code."""
    pdf = await service.run_documents(session, principal, run_id, "labels")
    return Response(pdf, media_type="application/pdf")
