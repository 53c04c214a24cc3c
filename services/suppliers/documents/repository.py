from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.documents.models import QualificationDocument
from shared.auth import Principal
from shared.auth.scope import scope_to_caller

CURRENT = ("pending", "accepted", "changes_requested")


class DocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, document: QualificationDocument) -> None:
        self.session.add(document)

    async def delete(self, document: QualificationDocument) -> None:
        await self.session.delete(document)

    def visible_to(self, principal: Principal) -> Select[QualificationDocument]:
        """Documents of the caller's own supplier organisations, or of an operator's region."""
        return scope_to_caller(
            select(QualificationDocument),
            principal,
            QualificationDocument.supplier_id,
            region_column=QualificationDocument.region_id,
            kinds=["supplier"],
        )

    async def get_visible(
        self, principal: Principal, supplier_id: uuid.UUID, document_id: uuid.UUID
    ) -> QualificationDocument | None:
        stmt = self.visible_to(principal).where(
            QualificationDocument.id == document_id,
            QualificationDocument.supplier_id == supplier_id,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_for_supplier(
        self, supplier_id: uuid.UUID, document_id: uuid.UUID
    ) -> QualificationDocument | None:
        stmt = select(QualificationDocument).where(
            QualificationDocument.id == document_id,
            QualificationDocument.supplier_id == supplier_id,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def of_supplier(
        self, supplier_id: uuid.UUID, *, include_superseded: bool = False
    ) -> list[QualificationDocument]:
        stmt = select(QualificationDocument).where(QualificationDocument.supplier_id == supplier_id)
        if not include_superseded:
            stmt = stmt.where(QualificationDocument.review_status.in_(CURRENT))
        stmt = stmt.order_by(QualificationDocument.kind, QualificationDocument.created_at)
        return list((await self.session.execute(stmt)).scalars())

    async def of_suppliers(self, supplier_ids: Iterable[uuid.UUID]) -> list[QualificationDocument]:
        ids = list(supplier_ids)
        if not ids:
            return []
        stmt = select(QualificationDocument).where(
            QualificationDocument.supplier_id.in_(ids),
            QualificationDocument.review_status.in_(CURRENT),
        )
        return list((await self.session.execute(stmt)).scalars())

    async def count_needing_changes(
        self, supplier_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, int]:
        ids = list(supplier_ids)
        if not ids:
            return {}
        stmt = (
            select(QualificationDocument.supplier_id, func.count())
            .where(
                QualificationDocument.supplier_id.in_(ids),
                QualificationDocument.review_status == "changes_requested",
            )
            .group_by(QualificationDocument.supplier_id)
        )
        return {row[0]: row[1] for row in (await self.session.execute(stmt)).all()}

    async def pending_of(self, supplier_id: uuid.UUID) -> list[QualificationDocument]:
        stmt = select(QualificationDocument).where(
            QualificationDocument.supplier_id == supplier_id,
            QualificationDocument.review_status == "pending",
        )
        return list((await self.session.execute(stmt.order_by(QualificationDocument.id))).scalars())

    async def expiring(
        self, since: date, until: date, region_id: uuid.UUID | None = None
    ) -> list[QualificationDocument]:
        """Current documents whose validity ends between `since` and `until` (inclusive)."""
        stmt = select(QualificationDocument).where(
            QualificationDocument.valid_until >= since,
            QualificationDocument.valid_until <= until,
            QualificationDocument.review_status.in_(("pending", "accepted")),
        )
        if region_id is not None:
            stmt = stmt.where(QualificationDocument.region_id == region_id)
        return list((await self.session.execute(stmt.order_by(QualificationDocument.id))).scalars())
