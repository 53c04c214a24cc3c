"""All SQL for streamers and agencies."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.streamers.models import Agency, Streamer
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

# the list's documented sort keys and their columns (the id breaks ties)
SORTS = {"display_name": Streamer.display_name, "created_at": Streamer.created_at}


class StreamerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Any]:
        """Streamers the caller may see: itself, its agency's members, the region's operator."""
        agency_ids = principal.org_ids(["livestream_agency"])
        clause = readable_clause(
            principal, Streamer.__table__.c.id, region_column=Streamer.__table__.c.region_id
        )
        if agency_ids:
            clause = clause | Streamer.agency_id.in_(agency_ids)
        return select(Streamer).where(clause)

    async def get(self, streamer_id: uuid.UUID, *, lock: bool = False) -> Streamer | None:
        return await self.session.get(Streamer, streamer_id, with_for_update=lock or None)

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def page(self, stmt: Select[Any], query: ListQuery) -> tuple[list[Streamer], str | None]:
        return await paginate_list(
            self.session, stmt, query, sort_columns=SORTS, id_column=Streamer.id
        )

    async def get_agency(self, agency_id: uuid.UUID) -> Agency | None:
        return await self.session.get(Agency, agency_id)
