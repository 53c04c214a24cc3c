from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.certificates.models import CatalogNotification, Certificate
from shared.auth.access import scope_to_caller
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

CERTIFICATE_SORTS = {"created_at": Certificate.created_at}
NOTIFICATION_SORTS = {"created_at": CatalogNotification.created_at}


class CertificateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    async def flush(self) -> None:
        await self.session.flush()

    async def of_product(self, product_id: uuid.UUID) -> list[Certificate]:
        stmt = select(Certificate).where(Certificate.product_id == product_id)
        return list((await self.session.execute(stmt.order_by(Certificate.created_at))).scalars())

    async def page_of_product(
        self, product_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[Certificate], str | None]:
        stmt = select(Certificate).where(Certificate.product_id == product_id)
        return await paginate_list(
            self.session, stmt, query, sort_columns=CERTIFICATE_SORTS, id_column=Certificate.id
        )

    async def of_lot(self, lot_id: uuid.UUID) -> list[Certificate]:
        stmt = select(Certificate).where(Certificate.lot_id == lot_id)
        return list((await self.session.execute(stmt.order_by(Certificate.created_at))).scalars())

    async def get_for_caller(
        self, principal: Principal, certificate_id: uuid.UUID
    ) -> Certificate | None:
        stmt = scope_to_caller(
            select(Certificate).where(Certificate.id == certificate_id),
            principal,
            Certificate.supplier_id,
            region_column=Certificate.region_id,
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def product_ids_with_required(self, region_id: uuid.UUID | None) -> list[uuid.UUID]:
        stmt = (
            select(Certificate.product_id)
            .where(Certificate.required, Certificate.lot_id.is_(None))
            .distinct()
        )
        if region_id:
            stmt = stmt.where(Certificate.region_id == region_id)
        return list((await self.session.execute(stmt)).scalars().all())

    async def expiring(
        self, today: date, until: date, region_id: uuid.UUID | None
    ) -> list[Certificate]:
        stmt = select(Certificate).where(
            Certificate.valid_until >= today, Certificate.valid_until <= until
        )
        if region_id:
            stmt = stmt.where(Certificate.region_id == region_id)
        return list((await self.session.execute(stmt)).scalars().all())

    async def notification_kinds(self, certificate_ids: list[uuid.UUID]) -> set[tuple]:
        if not certificate_ids:
            return set()
        stmt = select(CatalogNotification.certificate_id, CatalogNotification.kind).where(
            CatalogNotification.certificate_id.in_(certificate_ids)
        )
        return {(r[0], r[1]) for r in (await self.session.execute(stmt)).all()}

    async def notifications_page(
        self, supplier_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[CatalogNotification], str | None]:
        stmt = select(CatalogNotification).where(CatalogNotification.supplier_id == supplier_id)
        return await paginate_list(
            self.session,
            stmt,
            query,
            sort_columns=NOTIFICATION_SORTS,
            id_column=CatalogNotification.id,
        )

    async def notification(
        self, supplier_id: uuid.UUID, notification_id: uuid.UUID
    ) -> CatalogNotification | None:
        stmt = select(CatalogNotification).where(
            CatalogNotification.id == notification_id,
            CatalogNotification.supplier_id == supplier_id,
        )
        return (await self.session.execute(stmt)).scalars().first()
