from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.organisations.models import Organisation, OrganisationStatusChange
from shared.auth import Principal
from shared.auth.scope import scope_to_caller


class OrganisationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: Organisation | OrganisationStatusChange) -> None:
        self.session.add(obj)

    async def get(self, org_id: uuid.UUID, *, for_update: bool = False) -> Organisation | None:
        stmt = select(Organisation).where(Organisation.id == org_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def visible_to(self, principal: Principal) -> Select[Organisation]:
        return scope_to_caller(
            select(Organisation),
            principal,
            Organisation.id,
            region_column=Organisation.region_id,
        )

    async def get_visible(self, principal: Principal, org_id: uuid.UUID) -> Organisation | None:
        stmt = self.visible_to(principal).where(Organisation.id == org_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def history(self, org_id: uuid.UUID) -> list[OrganisationStatusChange]:
        stmt = (
            select(OrganisationStatusChange)
            .where(OrganisationStatusChange.organisation_id == org_id)
            .order_by(OrganisationStatusChange.at)
        )
        return list((await self.session.execute(stmt)).scalars())
