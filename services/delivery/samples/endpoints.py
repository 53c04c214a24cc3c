from __future__ import annotations

import uuid

from services.delivery.db import kernel
from services.delivery.samples import service
from services.delivery.samples.schemas import SampleParcel, SampleParcelStatusUpdate
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-samples"])


@router.get(
    "/sample-parcels/by-sample/{sample_id}",
    response_model=SampleParcel,
    responses={404: {}},
)
async def sample_parcel_of_sample(
    sample_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
):
    """The parcel of a livestream sample request: its supplier, its streamer, the operator."""
    return await service.parcel_of_sample(session, principal, sample_id)


@router.get("/sample-parcels/{parcel_id}", response_model=SampleParcel, responses={404: {}})
async def sample_parcel(parcel_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """A sample's parcel with its carrier, tracking number and history."""
    return await service.get_parcel(session, principal, parcel_id)


@router.post(
    "/sample-parcels/{parcel_id}/carrier-status",
    response_model=SampleParcel,
    responses={403: {}, 404: {}, 409: {}},
)
async def sample_parcel_carrier_status(
    parcel_id: uuid.UUID,
    body: SampleParcelStatusUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """The carrier's status update (delivered at the base, or returned), entered by the operator."""
    return await service.carrier_update(session, principal, parcel_id, body)
