from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.samples.models import SampleParcel


class SampleParcelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, values: dict[str, Any]) -> uuid.UUID | None:
        """Insert the sample's parcel unless one exists for its reference; the new id or None."""
        statement = (
            insert(SampleParcel)
            .values(**values)
            .on_conflict_do_nothing(constraint="uq_sample_parcels_reference")
            .returning(SampleParcel.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get(self, parcel_id: uuid.UUID, *, lock: bool = False) -> SampleParcel | None:
        statement = select(SampleParcel).where(SampleParcel.id == parcel_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_reference(self, source: str, reference_id: uuid.UUID) -> SampleParcel | None:
        return (
            await self.session.execute(
                select(SampleParcel).where(
                    SampleParcel.source == source, SampleParcel.reference_id == reference_id
                )
            )
        ).scalar_one_or_none()
