from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.payouts.models import PayoutAccount


class PayoutRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, supplier_id: uuid.UUID, *, for_update: bool = False
    ) -> PayoutAccount | None:
        stmt = select(PayoutAccount).where(PayoutAccount.supplier_id == supplier_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def add(self, account: PayoutAccount) -> None:
        self.session.add(account)
