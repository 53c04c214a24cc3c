"""The county's report: the dashboard, the operator's records and their evidence files."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.figures import service as figures
from services.insights.figures.repository import Filters
from services.insights.readmodel.models import Region
from services.insights.records import service as records
from services.insights.reports import documents
from shared import storage
from shared.auth.principal import Principal
from shared.db import utcnow


async def _report(
    session: AsyncSession, principal: Principal, f: Filters
) -> tuple[dict[str, Any], dict[str, bytes]]:
    board = await figures.dashboard(session, principal, f)
    region = await session.get(Region, f.region_id)
    entries = await records.records(session, principal, f.region_id, f.period.year)
    images = {
        str(e.id): storage.load(e.key)
        for _, evidence in entries
        for e in evidence
        if e.content_type in ("image/png", "image/jpeg")
    }
    tz = ZoneInfo(region.timezone if region else "Asia/Shanghai")
    report = {
        **board,
        "region_name": (region.name if region and region.name else "本县"),
        "generated_at": utcnow().astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        "records": [
            {
                "kind": r.kind,
                "on_date": r.on_date.isoformat(),
                "title": r.title,
                "value": r.value,
                "evidence": [
                    {"id": str(e.id), "filename": e.filename, "sha256": e.sha256} for e in evidence
                ],
            }
            for r, evidence in entries
        ],
    }
    return report, images


async def workbook(session: AsyncSession, principal: Principal, f: Filters) -> bytes:
    report, _ = await _report(session, principal, f)
    return documents.workbook(report)


async def pdf(session: AsyncSession, principal: Principal, f: Filters) -> bytes:
    report, images = await _report(session, principal, f)
    return documents.pdf(report, images)
