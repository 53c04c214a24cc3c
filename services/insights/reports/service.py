"""The county's report: the dashboard, the operator's records and their evidence files."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.figures import service as figures
from services.insights.figures.repository import Filters
from services.insights.readmodel.models import Region
from services.insights.records import service as records
from services.insights.reports import documents
from services.insights.snapshots import service as snapshots
from shared import storage
from shared.auth.principal import Principal
from shared.db import utcnow


async def _report(
    session: AsyncSession, principal: Principal, f: Filters, snapshot_id: uuid.UUID | None
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The live figures, or those a snapshot froze (its year, the whole county) with the
    records and evidence files as they stood when it was taken: the report submitted then."""
    snapshot = None
    if snapshot_id is not None:
        snapshot = await snapshots.get(session, principal, f.region_id, snapshot_id)
        frozen = snapshot.figures
        board = {
            "region_id": str(f.region_id),
            "year": frozen["year"],
            "months": [1, 12],
            "township": None,
            "supplier_id": None,
            "product_id": None,
            "figures": frozen["figures"],
        }
    else:
        board = await figures.dashboard(session, principal, f)
    region = await session.get(Region, f.region_id)
    entries = await records.records(session, principal, f.region_id, board["year"])
    if snapshot is not None:
        taken = snapshot.taken_at
        entries = [
            (r, [e for e in evidence if e.uploaded_at <= taken])
            for r, evidence in entries
            if r.recorded_at <= taken
        ]
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
        "snapshot": (
            {
                "label": snapshot.label,
                "taken_at": snapshot.taken_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            }
            if snapshot is not None
            else None
        ),
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


async def workbook(
    session: AsyncSession,
    principal: Principal,
    f: Filters,
    snapshot_id: uuid.UUID | None = None,
) -> bytes:
    report, _ = await _report(session, principal, f, snapshot_id)
    return documents.workbook(report)


async def pdf(
    session: AsyncSession,
    principal: Principal,
    f: Filters,
    snapshot_id: uuid.UUID | None = None,
) -> bytes:
    report, images = await _report(session, principal, f, snapshot_id)
    return documents.pdf(report, images)
