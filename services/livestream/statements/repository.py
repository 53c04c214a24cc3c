"""All SQL of commission statements and the entries they carry."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.settlement.models import CommissionEntry, SaleLine
from services.livestream.statements.models import Statement
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

# the list's documented sort keys and their columns (the id breaks ties)
SORTS = {"period": Statement.period, "total_fen": Statement.total_fen}


class StatementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get(self, statement_id: uuid.UUID, *, lock: bool = False) -> Statement | None:
        return await self.session.get(Statement, statement_id, with_for_update=lock or None)

    async def of_period(self, region_id: uuid.UUID, period: str) -> list[Statement]:
        return list(
            await self.session.scalars(
                select(Statement)
                .where(Statement.region_id == region_id, Statement.period == period)
                .with_for_update()
            )
        )

    async def payees_with_open_entries(
        self, region_id: uuid.UUID, before: datetime
    ) -> list[tuple[uuid.UUID, str]]:
        rows = await self.session.execute(
            select(CommissionEntry.payee_org_id, CommissionEntry.payee_kind)
            .where(
                CommissionEntry.region_id == region_id,
                CommissionEntry.statement_id.is_(None),
                CommissionEntry.occurred_at < before,
            )
            .distinct()
        )
        return [(r[0], r[1]) for r in rows.all()]

    async def detach(self, statement_id: uuid.UUID) -> None:
        await self.session.execute(
            update(CommissionEntry)
            .where(CommissionEntry.statement_id == statement_id)
            .values(statement_id=None)
        )

    async def attach(
        self,
        statement_id: uuid.UUID,
        region_id: uuid.UUID,
        payee_org_id: uuid.UUID,
        payee_kind: str,
        before: datetime,
    ) -> None:
        await self.session.execute(
            update(CommissionEntry)
            .where(
                CommissionEntry.region_id == region_id,
                CommissionEntry.payee_org_id == payee_org_id,
                CommissionEntry.payee_kind == payee_kind,
                CommissionEntry.statement_id.is_(None),
                CommissionEntry.occurred_at < before,
            )
            .values(statement_id=statement_id)
        )

    async def carry_into(self, statement: Statement) -> int:
        """Take every settled (<= 0) statement of the payee from an earlier month not carried
        yet into this one; returns their sum (the opening line, <= 0). A draft rebuilt
        first lets go of what it took (`release_carry`)."""
        taken = await self.session.scalars(
            update(Statement)
            .where(
                Statement.payee_org_id == statement.payee_org_id,
                Statement.payee_kind == statement.payee_kind,
                Statement.status == "settled",
                Statement.carried_into_id.is_(None),
                Statement.period < statement.period,
            )
            .values(carried_into_id=statement.id)
            .returning(Statement.total_fen)
        )
        return sum(int(t) for t in taken)

    async def release_carry(self, statement_id: uuid.UUID) -> None:
        await self.session.execute(
            update(Statement)
            .where(Statement.carried_into_id == statement_id)
            .values(carried_into_id=None)
        )

    async def totals(self, statement_id: uuid.UUID) -> tuple[int, int, int]:
        """(commission, clawback, entry count) of the statement's entries."""
        positive = func.coalesce(
            func.sum(CommissionEntry.amount_fen).filter(CommissionEntry.amount_fen > 0), 0
        )
        negative = func.coalesce(
            func.sum(CommissionEntry.amount_fen).filter(CommissionEntry.amount_fen < 0), 0
        )
        row = (
            await self.session.execute(
                select(positive, negative, func.count()).where(
                    CommissionEntry.statement_id == statement_id
                )
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2])

    async def entries(self, statement_id: uuid.UUID) -> list[tuple[CommissionEntry, SaleLine]]:
        rows = await self.session.execute(
            select(CommissionEntry, SaleLine)
            .join(SaleLine, SaleLine.id == CommissionEntry.line_id)
            .where(CommissionEntry.statement_id == statement_id)
            .order_by(CommissionEntry.occurred_at, SaleLine.platform_order_id)
        )
        return [(e, line) for e, line in rows.tuples().all()]

    def readable(self, principal: Principal) -> Select[Any]:
        table = Statement.__table__
        return select(Statement).where(
            readable_clause(principal, table.c.payee_org_id, region_column=table.c.region_id)
        )

    async def page(
        self,
        stmt: Select[Any],
        query: ListQuery,
        *,
        period: str | None = None,
        status: str | None = None,
    ) -> tuple[list[Statement], str | None]:
        if period:
            stmt = stmt.where(Statement.period == period)
        if status:
            stmt = stmt.where(Statement.status == status)
        return await paginate_list(
            self.session, stmt, query, sort_columns=SORTS, id_column=Statement.id
        )
