from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.brands.models import BrandLicence, LicenceTransition, PublicBrand
from shared.auth.access import scope_to_caller
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

BRAND_SORTS = {"name": PublicBrand.name, "created_at": PublicBrand.created_at}
LICENCE_SORTS = {
    "created_at": BrandLicence.created_at,
    "valid_until": BrandLicence.valid_until,
    "number": BrandLicence.number,
}


class BrandRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    async def flush(self) -> None:
        await self.session.flush()

    async def get_brand(self, brand_id: uuid.UUID) -> PublicBrand | None:
        return await self.session.get(PublicBrand, brand_id)

    async def brand_named(self, region_id: uuid.UUID, name: str) -> PublicBrand | None:
        stmt = select(PublicBrand).where(
            PublicBrand.region_id == region_id, PublicBrand.name == name
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def brands_page(
        self, region_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[PublicBrand], str | None]:
        stmt = select(PublicBrand).where(PublicBrand.region_id == region_id)
        return await paginate_list(
            self.session, stmt, query, sort_columns=BRAND_SORTS, id_column=PublicBrand.id
        )

    async def get_licence(
        self, licence_id: uuid.UUID, *, lock: bool = False
    ) -> BrandLicence | None:
        stmt = select(BrandLicence).where(BrandLicence.id == licence_id)
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalars().first()

    async def get_licence_for_caller(
        self, principal: Principal, licence_id: uuid.UUID
    ) -> BrandLicence | None:
        stmt = scope_to_caller(
            select(BrandLicence).where(BrandLicence.id == licence_id),
            principal,
            BrandLicence.supplier_id,
            region_column=BrandLicence.region_id,
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def licences_page(
        self,
        principal: Principal,
        brand_id: uuid.UUID | None,
        supplier_id: uuid.UUID | None,
        query: ListQuery,
    ) -> tuple[list[BrandLicence], str | None]:
        stmt = select(BrandLicence)
        if brand_id:
            stmt = stmt.where(BrandLicence.brand_id == brand_id)
        if supplier_id:
            stmt = stmt.where(BrandLicence.supplier_id == supplier_id)
        stmt = scope_to_caller(
            stmt, principal, BrandLicence.supplier_id, region_column=BrandLicence.region_id
        )
        return await paginate_list(
            self.session, stmt, query, sort_columns=LICENCE_SORTS, id_column=BrandLicence.id
        )

    async def licences_of_supplier(self, supplier_id: uuid.UUID) -> list[BrandLicence]:
        stmt = select(BrandLicence).where(BrandLicence.supplier_id == supplier_id)
        return list((await self.session.execute(stmt)).scalars().all())

    async def lapsing(self, today: date, region_id: uuid.UUID | None) -> list[BrandLicence]:
        stmt = select(BrandLicence).where(
            BrandLicence.status.in_(("active", "suspended")), BrandLicence.valid_until < today
        )
        if region_id:
            stmt = stmt.where(BrandLicence.region_id == region_id)
        return list((await self.session.execute(stmt.with_for_update())).scalars().all())

    async def transitions(self, licence_id: uuid.UUID) -> list[LicenceTransition]:
        stmt = (
            select(LicenceTransition)
            .where(LicenceTransition.licence_id == licence_id)
            .order_by(LicenceTransition.at, LicenceTransition.id)
        )
        return list((await self.session.execute(stmt)).scalars().all())

    async def licences_for_brand(self, brand_id: uuid.UUID) -> list[BrandLicence]:
        stmt = select(BrandLicence).where(BrandLicence.brand_id == brand_id)
        return list((await self.session.execute(stmt)).scalars().all())
