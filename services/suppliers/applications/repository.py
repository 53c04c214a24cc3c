from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.suppliers.applications.models import HouseholdLink, Supplier, SupplierTransition
from shared.auth import Principal
from shared.auth.scope import scope_to_caller


class SupplierRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: Supplier | SupplierTransition | HouseholdLink) -> None:
        self.session.add(obj)

    def _select(self) -> Select[Supplier]:
        return select(Supplier).options(selectinload(Supplier.households))

    async def get(self, supplier_id: uuid.UUID, *, for_update: bool = False) -> Supplier | None:
        stmt = self._select().where(Supplier.id == supplier_id)
        if for_update:
            stmt = stmt.with_for_update(of=Supplier).execution_options(populate_existing=True)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def visible_to(self, principal: Principal) -> Select[Supplier]:
        """The caller's own supplier organisations, and every supplier of an operator's region."""
        return scope_to_caller(
            self._select(),
            principal,
            Supplier.id,
            region_column=Supplier.region_id,
            kinds=["supplier"],
        )

    async def exists(self, supplier_id: uuid.UUID) -> bool:
        stmt = select(Supplier.id).where(Supplier.id == supplier_id)
        return (await self.session.execute(stmt)).first() is not None

    async def credit_code_taken(self, credit_code: str, excluding: uuid.UUID) -> bool:
        stmt = select(Supplier.id).where(
            Supplier.credit_code == credit_code, Supplier.id != excluding
        )
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def get_listed(self, supplier_id: uuid.UUID, statuses: Iterable[str]) -> Supplier | None:
        stmt = self._select().where(Supplier.id == supplier_id, Supplier.status.in_(list(statuses)))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def listed_in(self, region_id: uuid.UUID, statuses: Iterable[str]) -> Select[Supplier]:
        return self._select().where(
            Supplier.region_id == region_id, Supplier.status.in_(list(statuses))
        )

    async def in_statuses(
        self, statuses: Iterable[str], region_id: uuid.UUID | None = None
    ) -> list[Supplier]:
        stmt = self._select().where(Supplier.status.in_(list(statuses)))
        if region_id is not None:
            stmt = stmt.where(Supplier.region_id == region_id)
        return list((await self.session.execute(stmt.order_by(Supplier.id))).scalars())

    async def all_in_region(self, region_id: uuid.UUID) -> list[Supplier]:
        stmt = self._select().where(Supplier.region_id == region_id).order_by(Supplier.legal_name)
        return list((await self.session.execute(stmt)).scalars())

    async def transitions(self, supplier_id: uuid.UUID) -> list[SupplierTransition]:
        stmt = (
            select(SupplierTransition)
            .where(SupplierTransition.supplier_id == supplier_id)
            .order_by(SupplierTransition.at, SupplierTransition.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    @staticmethod
    def filtered(stmt: Select[Any], **filters: Any) -> Select[Any]:
        for name, value in filters.items():
            if value is None:
                continue
            column = getattr(Supplier, name)
            stmt = stmt.where(
                column.in_(value) if isinstance(value, list | tuple) else column == value
            )
        return stmt

    @staticmethod
    def supporting_households(stmt: Select[Any], supports: bool | None) -> Select[Any]:
        if supports is None:
            return stmt
        if supports:
            return stmt.where(Supplier.household_relation != "none")
        return stmt.where(Supplier.household_relation == "none")

    @staticmethod
    def name_contains(stmt: Select[Any], q: str | None) -> Select[Any]:
        if not q:
            return stmt
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return stmt.where(Supplier.legal_name.ilike(pattern) | Supplier.display_name.ilike(pattern))
