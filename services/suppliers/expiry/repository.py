from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.expiry.models import SupplierNotification
from shared.db import new_id


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, **values: Any) -> bool:
        """Insert unless this (document, kind) was already notified; True when inserted."""
        stmt = (
            insert(SupplierNotification)
            .values(id=new_id(), **values)
            .on_conflict_do_nothing(index_elements=["document_id", "kind"])
            .returning(SupplierNotification.id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def get(
        self, supplier_id: uuid.UUID, notification_id: uuid.UUID
    ) -> SupplierNotification | None:
        stmt = select(SupplierNotification).where(
            SupplierNotification.id == notification_id,
            SupplierNotification.supplier_id == supplier_id,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def of_supplier(
        self, supplier_id: uuid.UUID, *, unread: bool | None = None
    ) -> Select[SupplierNotification]:
        stmt = select(SupplierNotification).where(SupplierNotification.supplier_id == supplier_id)
        if unread is True:
            stmt = stmt.where(SupplierNotification.read_at.is_(None))
        elif unread is False:
            stmt = stmt.where(SupplierNotification.read_at.is_not(None))
        return stmt
