"""All SQL for live sessions and lineups."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.sessions.models import LineupItem, LiveSession
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

# the list's documented sort keys and their columns (the id breaks ties)
SORTS = {"planned_start": LiveSession.planned_start, "created_at": LiveSession.created_at}


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Any]:
        return select(LiveSession).where(
            readable_clause(
                principal,
                LiveSession.__table__.c.streamer_id,
                region_column=LiveSession.__table__.c.region_id,
            )
        )

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get(self, session_id: uuid.UUID, *, lock: bool = False) -> LiveSession | None:
        return await self.session.get(LiveSession, session_id, with_for_update=lock or None)

    async def page(
        self, stmt: Select[Any], query: ListQuery, *, status: str | None = None
    ) -> tuple[list[LiveSession], str | None]:
        if status:
            stmt = stmt.where(LiveSession.status == status)
        return await paginate_list(
            self.session, stmt, query, sort_columns=SORTS, id_column=LiveSession.id
        )

    async def lineup(self, session_id: uuid.UUID) -> list[LineupItem]:
        return list(
            await self.session.scalars(
                select(LineupItem)
                .where(LineupItem.session_id == session_id)
                .order_by(LineupItem.position)
            )
        )

    async def clear_lineup(self, session_id: uuid.UUID) -> None:
        await self.session.execute(delete(LineupItem).where(LineupItem.session_id == session_id))

    async def lineup_item(self, item_id: uuid.UUID) -> LineupItem | None:
        return await self.session.get(LineupItem, item_id, with_for_update=True)

    async def live_count(self, region_id: uuid.UUID) -> int:
        return int(
            await self.session.scalar(
                select(func.count()).where(
                    LiveSession.region_id == region_id, LiveSession.status == "live"
                )
            )
            or 0
        )
