from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, File, Query, Response, UploadFile

from services.insights.db import kernel
from services.insights.records import service
from services.insights.records.schemas import (
    Evidence,
    RecordedFigure,
    RecordedFigureCreate,
    RegionSettings,
    SettingsUpdate,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/insights", tags=["insights-records"])
RECORDS_QUERY = list_query(service.RECORD_SORT_FIELDS, default="on_date")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def view(entry, evidence) -> RecordedFigure:
    return RecordedFigure(
        **{k: getattr(entry, k) for k in RecordedFigure.model_fields if k != "evidence"},
        evidence=[Evidence.model_validate(e) for e in evidence],
    )


@router.post(
    "/regions/{region_id}/records",
    response_model=RecordedFigure,
    status_code=201,
    responses={403: {}, 404: {}, 422: {}},
)
async def record(
    region_id: uuid.UUID,
    body: RecordedFigureCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Record what the platform cannot see: a training session, new shops, leaders, a media report."""
    return view(*await service.record(session, principal, region_id, body))


@router.get(
    "/regions/{region_id}/records",
    response_model=Page[RecordedFigure],
    responses={403: {}, 404: {}, 422: {}},
)
async def records(
    q: Annotated[ListQuery, Depends(RECORDS_QUERY)],
    region_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[RecordedFigure]:
    """The county's recorded figures with their evidence, by date (`year`: of that year)."""
    rows, next_cursor = await service.records_page(session, principal, region_id, year, q)
    return Page[RecordedFigure](items=[view(e, ev) for e, ev in rows], next_cursor=next_cursor)


@router.post(
    "/regions/{region_id}/records/{record_id}/evidence",
    response_model=Evidence,
    status_code=201,
    responses={403: {}, 404: {}, 413: {}, 415: {}},
)
async def attach_evidence(
    region_id: uuid.UUID,
    record_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPEG or WebP")],
):
    data = await file.read(MAX_EVIDENCE_BYTES + 1)
    return await service.attach(
        session, principal, region_id, record_id, file.filename or "evidence", data
    )


@router.get(
    "/regions/{region_id}/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/png": {}}}, 403: {}, 404: {}},
)
async def evidence_file(
    region_id: uuid.UUID, evidence_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
):
    evidence, data = await service.evidence_file(session, principal, region_id, evidence_id)
    return Response(data, media_type=evidence.content_type)


@router.get(
    "/regions/{region_id}/settings", response_model=RegionSettings, responses={403: {}, 404: {}}
)
async def get_settings(region_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    return await service.get_settings(session, principal, region_id)


@router.put(
    "/regions/{region_id}/settings",
    response_model=RegionSettings,
    responses={403: {}, 404: {}, 422: {}},
)
async def put_settings(
    region_id: uuid.UUID, body: SettingsUpdate, principal: CurrentPrincipal, session: SessionDep
):
    """The national rural average growth (entered by the operator) and target overrides."""
    return await service.update_settings(session, principal, region_id, body)
