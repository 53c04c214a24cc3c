"""Commission payout SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.commissions.models import (
    CommissionPayee,
    CommissionPayout,
    CommissionPayoutBatch,
)
from shared.auth import Principal, scope_to_caller

PAYOUT_SORT_COLUMNS = {
    "approved_at": CommissionPayout.approved_at,
    "period": CommissionPayout.period,
    "updated_at": CommissionPayout.updated_at,
}
BATCH_SORT_COLUMNS = {"created_at": CommissionPayoutBatch.created_at}


class CommissionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------------ payees

    async def payee_for_update(
        self, payee_org_id: uuid.UUID, region_id: uuid.UUID, payee_kind: str
    ) -> CommissionPayee:
        """The payee's row, made on its first statement and locked: one statement of a
        payee is netted at a time, so two at once cannot both use the same carry."""
        await self.session.execute(
            insert(CommissionPayee)
            .values(
                payee_org_id=payee_org_id, region_id=region_id, payee_kind=payee_kind, carried_fen=0
            )
            .on_conflict_do_nothing(index_elements=[CommissionPayee.payee_org_id])
        )
        payee = await self.session.scalar(
            select(CommissionPayee)
            .where(CommissionPayee.payee_org_id == payee_org_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert payee is not None
        return payee

    async def payee(self, payee_org_id: uuid.UUID) -> CommissionPayee | None:
        return await self.session.get(CommissionPayee, payee_org_id)

    async def payee_sums(self, payee_org_id: uuid.UUID) -> dict[str, int]:
        """What the payee's payouts amount to, per status."""
        rows = await self.session.execute(
            select(CommissionPayout.status, func.sum(CommissionPayout.amount_fen))
            .where(CommissionPayout.payee_org_id == payee_org_id)
            .group_by(CommissionPayout.status)
        )
        return {status: int(total or 0) for status, total in rows}

    # ------------------------------------------------------------------ payouts

    async def payout_of_statement(self, statement_id: uuid.UUID) -> CommissionPayout | None:
        return await self.session.scalar(
            select(CommissionPayout).where(CommissionPayout.statement_id == statement_id)
        )

    async def add(self, row: object) -> None:
        self.session.add(row)
        await self.session.flush()

    async def payable_in_region(self, region_id: uuid.UUID) -> list[CommissionPayout]:
        """Payouts waiting for a bank file, locked (each goes into one file only)."""
        rows = await self.session.scalars(
            select(CommissionPayout)
            .where(CommissionPayout.region_id == region_id, CommissionPayout.status == "payable")
            .order_by(CommissionPayout.approved_at, CommissionPayout.id)
            .with_for_update()
        )
        return list(rows)

    async def in_batch(self, batch_id: uuid.UUID, *, lock: bool = False) -> list[CommissionPayout]:
        stmt = (
            select(CommissionPayout)
            .where(CommissionPayout.batch_id == batch_id)
            .order_by(CommissionPayout.approved_at, CommissionPayout.id)
        )
        if lock:
            stmt = stmt.with_for_update()
        return list(await self.session.scalars(stmt))

    def readable_payouts(self, principal: Principal) -> Select:
        """Payouts the caller may see: its own as payee, its region's as operator."""
        return scope_to_caller(
            select(CommissionPayout),
            principal,
            CommissionPayout.payee_org_id,  # type: ignore[arg-type]
            region_column=CommissionPayout.region_id,  # type: ignore[arg-type]
        )

    def payout_listing(
        self,
        principal: Principal,
        *,
        region_id: uuid.UUID | None,
        payee_org_id: uuid.UUID | None,
        period: str | None,
        status: str | None,
        batch_id: uuid.UUID | None,
    ) -> Select:
        stmt = self.readable_payouts(principal)
        if region_id is not None:
            stmt = stmt.where(CommissionPayout.region_id == region_id)
        if payee_org_id is not None:
            stmt = stmt.where(CommissionPayout.payee_org_id == payee_org_id)
        if period is not None:
            stmt = stmt.where(CommissionPayout.period == period)
        if status is not None:
            stmt = stmt.where(CommissionPayout.status == status)
        if batch_id is not None:
            stmt = stmt.where(CommissionPayout.batch_id == batch_id)
        return stmt

    # ------------------------------------------------------------------ batches

    async def batch(
        self, batch_id: uuid.UUID, *, lock: bool = False
    ) -> CommissionPayoutBatch | None:
        stmt = select(CommissionPayoutBatch).where(CommissionPayoutBatch.id == batch_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    def batch_listing(self, region_id: uuid.UUID, status: str | None) -> Select:
        stmt = select(CommissionPayoutBatch).where(CommissionPayoutBatch.region_id == region_id)
        if status is not None:
            stmt = stmt.where(CommissionPayoutBatch.status == status)
        return stmt
