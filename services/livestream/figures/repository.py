"""All SQL of the base's figures: GMV of sale lines, samples' conversion, sessions live."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.samples.models import SampleRequest
from services.livestream.sessions.models import LiveSession
from services.livestream.settlement.models import SaleLine
from shared.auth import readable_clause
from shared.auth.principal import Principal


class FiguresRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def gmv(
        self,
        principal: Principal,
        region_id: uuid.UUID,
        by: str,
        timezone: str,
        start: datetime | None,
        end: datetime | None,
    ) -> list[tuple[Any, int, int, int, int]]:
        """(key, lines, quantity, paid, gmv = paid − refunded) per key, biggest GMV first."""
        table = SaleLine.__table__
        keys = {
            "session": SaleLine.session_id,
            "streamer": SaleLine.streamer_id,
            "product": SaleLine.pool_entry_id,
            "day": cast(func.timezone(timezone, SaleLine.paid_at), Date),
        }
        key = keys[by]
        gmv = func.sum(SaleLine.paid_fen - SaleLine.refunded_fen)
        stmt = select(
            key,
            func.count(),
            func.sum(SaleLine.quantity),
            func.sum(SaleLine.paid_fen),
            gmv,
        ).where(
            SaleLine.region_id == region_id,
            readable_clause(principal, table.c.streamer_id, region_column=table.c.region_id)
            | readable_clause(principal, table.c.agency_id, operator_roles=None),
        )
        if start is not None:
            stmt = stmt.where(SaleLine.paid_at >= start)
        if end is not None:
            stmt = stmt.where(SaleLine.paid_at < end)
        stmt = stmt.group_by(key).order_by(key if by == "day" else gmv.desc()).limit(1000)
        rows = (await self.session.execute(stmt)).all()
        return [(r[0], int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows]

    async def sample_conversion(
        self, principal: Principal, region_id: uuid.UUID
    ) -> list[tuple[uuid.UUID, int, int]]:
        """(streamer, samples received, of them featured in a session) per streamer."""
        table = SampleRequest.__table__
        stmt = (
            select(
                SampleRequest.streamer_id,
                func.count(),
                func.count().filter(SampleRequest.featured_session_id.is_not(None)),
            )
            .where(
                SampleRequest.region_id == region_id,
                SampleRequest.received_at.is_not(None),
                readable_clause(principal, table.c.streamer_id, region_column=table.c.region_id),
            )
            .group_by(SampleRequest.streamer_id)
        )
        return [(r[0], int(r[1]), int(r[2])) for r in (await self.session.execute(stmt)).all()]

    async def live_windows(
        self, principal: Principal, region_id: uuid.UUID, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime | None]]:
        """(started, ended or None while live) of the sessions live at some time in [start, end)."""
        table = LiveSession.__table__
        stmt = select(LiveSession.started_at, LiveSession.ended_at).where(
            LiveSession.region_id == region_id,
            LiveSession.started_at.is_not(None),
            LiveSession.started_at < end,
            (LiveSession.ended_at.is_(None)) | (LiveSession.ended_at > start),
            readable_clause(principal, table.c.streamer_id, region_column=table.c.region_id),
        )
        rows = (await self.session.execute(stmt)).all()
        return [(r[0], r[1]) for r in rows if r[0] is not None]
