"""Figures the platform cannot see, entered by the operator with evidence files."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.figures.rules import TARGETS
from services.insights.figures.service import ensure_county_reader
from services.insights.records.models import Evidence, RecordedFigure, RegionSettings
from services.insights.records.repository import RECORD_SORTS, RecordRepository
from services.insights.records.schemas import RecordedFigureCreate, SettingsUpdate
from shared import storage
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import FieldError, Forbidden, NotFound, RuleViolation
from shared.pagination import ListQuery

WRITE_ROLES = ("owner", "admin", "staff")


def ensure_county_writer(principal: Principal, region_id: uuid.UUID) -> None:
    ensure_county_reader(principal, region_id)
    if not principal.platform_admin and not principal.is_operator_of(region_id, WRITE_ROLES):
        raise Forbidden("Your role may read the figures but not record them")


async def record(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, data: RecordedFigureCreate
) -> tuple[RecordedFigure, list[Evidence]]:
    ensure_county_writer(principal, region_id)
    if data.advanced > data.value:
        raise RuleViolation(
            "Advanced attendees are counted among the attendees",
            errors=[FieldError("advanced", "more than value")],
        )
    entry = RecordedFigure(region_id=region_id, recorded_by=principal.user_id, **data.model_dump())
    RecordRepository(session).add(entry)
    await session.flush()
    return entry, []


async def records(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, year: int | None
) -> list[tuple[RecordedFigure, list[Evidence]]]:
    ensure_county_reader(principal, region_id)
    repo = RecordRepository(session)
    first = date(year, 1, 1) if year else None
    last = date(year + 1, 1, 1) if year else None
    entries = await repo.of_region(region_id, first, last)
    evidence = await repo.evidence_of([e.id for e in entries])
    return [(e, [x for x in evidence if x.record_id == e.id]) for e in entries]


RECORD_SORT_FIELDS = tuple(RECORD_SORTS)


async def records_page(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    year: int | None,
    query: ListQuery,
) -> tuple[list[tuple[RecordedFigure, list[Evidence]]], str | None]:
    """One page of the county's recorded figures, each with its evidence files."""
    ensure_county_reader(principal, region_id)
    repo = RecordRepository(session)
    first = date(year, 1, 1) if year else None
    last = date(year + 1, 1, 1) if year else None
    entries, next_cursor = await repo.page_of_region(region_id, first, last, query)
    evidence = await repo.evidence_of([e.id for e in entries])
    return [(e, [x for x in evidence if x.record_id == e.id]) for e in entries], next_cursor


async def attach(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    record_id: uuid.UUID,
    filename: str,
    data: bytes,
) -> Evidence:
    ensure_county_writer(principal, region_id)
    repo = RecordRepository(session)
    if await repo.get(region_id, record_id) is None:
        raise NotFound("No such recorded figure")
    content_type = storage.check_upload(data, storage.DOCUMENT_TYPES)
    stored = storage.save(f"insights/{region_id}", data, content_type)
    evidence = Evidence(
        record_id=record_id,
        region_id=region_id,
        filename=filename[:200] or "evidence",
        key=stored.key,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
    )
    repo.add(evidence)
    await session.flush()
    return evidence


async def evidence_file(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, evidence_id: uuid.UUID
) -> tuple[Evidence, bytes]:
    ensure_county_reader(principal, region_id)
    evidence = await RecordRepository(session).evidence(region_id, evidence_id)
    if evidence is None:
        raise NotFound("No such evidence file")
    return evidence, storage.load(evidence.key)


def settings_view(region_id: uuid.UUID, settings: RegionSettings | None) -> dict[str, Any]:
    bp = settings.national_rural_growth_bp if settings else None
    return {
        "region_id": region_id,
        "national_rural_growth_percent": bp / 100 if bp is not None else None,
        "targets": dict(settings.targets) if settings and settings.targets else {},
    }


async def get_settings(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> dict[str, Any]:
    ensure_county_reader(principal, region_id)
    return settings_view(region_id, await RecordRepository(session).settings(region_id))


async def update_settings(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, data: SettingsUpdate
) -> dict[str, Any]:
    ensure_county_writer(principal, region_id)
    unknown = sorted(set(data.targets or {}) - set(TARGETS))
    if unknown:
        raise RuleViolation(
            "Unknown figures: " + ", ".join(unknown),
            errors=[FieldError("targets", "unknown figure")],
        )
    repo = RecordRepository(session)
    settings = await repo.settings(region_id)
    if settings is None:
        settings = RegionSettings(region_id=region_id, targets={})
        repo.add(settings)
    fields = data.model_fields_set
    if "national_rural_growth_percent" in fields:
        pct = data.national_rural_growth_percent
        settings.national_rural_growth_bp = round(pct * 100) if pct is not None else None
    if "targets" in fields and data.targets is not None:
        settings.targets = {**(settings.targets or {}), **data.targets}
    settings.updated_by = principal.user_id
    settings.updated_at = utcnow()
    await session.flush()
    return settings_view(region_id, settings)
