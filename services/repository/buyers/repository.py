"""All SQL for buyer accounts and what they bought before."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.buyers.models import (
    DEFAULT_PAYMENT_METHODS,
    BuyerAccount,
    BuyerTerms,
    PastPurchase,
)
from services.repository.orders.models import Order, OrderLine
from shared.db import DriverSQL, new_id, utcnow
from shared.pagination import ListQuery, paginate_list

OPEN_CREDIT_STATUSES = (
    "placed",
    "confirmed",
    "consolidated",
    "purchased",
    "received",
    "ready_for_delivery",
    "delivered",
)


accounts: Table = BuyerAccount.__table__  # type: ignore[assignment]
# every placement reads the buyer's terms: ready SQL on the driver connection
BUYER_TERMS = f"SELECT {', '.join(BuyerTerms._fields)} FROM {accounts.fullname} WHERE org_id = $1"
BUYER_TERMS_LOCKED = BUYER_TERMS + " FOR UPDATE"

PAST_PURCHASE_TIME = time(4, 0, tzinfo=UTC)
# the documented sort keys of the region's buyer list (the organisation id breaks ties)
ACCOUNT_SORTS: dict[str, Any] = {"name": BuyerAccount.name, "created_at": BuyerAccount.created_at}


class BuyerRepository:
    """Buyer accounts, their credit in use and what they bought before. Built from a session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, org_id: uuid.UUID, *, lock: bool = False) -> BuyerAccount | None:
        return await self.session.get(BuyerAccount, org_id, with_for_update=lock or None)

    async def terms_of(self, org_id: uuid.UUID, *, lock: bool = False) -> BuyerTerms | None:
        row = await DriverSQL(self.session).fetchrow(
            BUYER_TERMS_LOCKED if lock else BUYER_TERMS, org_id
        )
        return BuyerTerms(*row) if row is not None else None

    def add(self, account: BuyerAccount) -> None:
        self.session.add(account)

    async def ensure(
        self,
        org_id: uuid.UUID,
        region_id: uuid.UUID,
        kind: str,
        *,
        lock: bool = False,
    ) -> BuyerAccount:
        """The buyer's account, opened with default terms if missing. A first request and
        identity's approval event may race to open it: ON CONFLICT lets both through."""
        await self.session.execute(
            insert(BuyerAccount)
            .values(
                org_id=org_id,
                region_id=region_id,
                kind=kind,
                name="",
                payment_methods=list(DEFAULT_PAYMENT_METHODS),
                credit_limit_fen=0,
                terms_days=0,
                status="active",
            )
            .on_conflict_do_nothing(index_elements=[BuyerAccount.org_id])
        )
        account = await self.session.get(
            BuyerAccount, org_id, populate_existing=True, with_for_update=lock or None
        )
        assert account is not None
        return account

    async def accounts_page(
        self, region_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[BuyerAccount], str | None]:
        return await paginate_list(
            self.session,
            select(BuyerAccount).where(BuyerAccount.region_id == region_id),
            query,
            sort_columns=ACCOUNT_SORTS,
            id_column=BuyerAccount.org_id,
        )

    async def open_credit_fen(self, org_id: uuid.UUID) -> int:
        """Value of the buyer's credit orders not yet closed or cancelled."""
        return (await self.open_credit_by_buyer([org_id])).get(org_id, 0)

    async def open_credit_by_buyer(self, org_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        """`open_credit_fen` of many buyers in one statement (a page of the region's list)."""
        if not org_ids:
            return {}
        rows = await self.session.execute(
            select(
                Order.buyer_org_id,
                func.coalesce(func.sum(Order.placed_total_fen - Order.shortened_fen), 0),
            )
            .where(
                Order.buyer_org_id.in_(org_ids),
                Order.payment_method == "credit",
                Order.status.in_(OPEN_CREDIT_STATUSES),
            )
            .group_by(Order.buyer_org_id)
        )
        return {org_id: int(total or 0) for org_id, total in rows.all()}

    async def purchase_history(
        self, org_id: uuid.UUID, since: datetime
    ) -> list[tuple[uuid.UUID, datetime, int]]:
        """(offer_id, placed_at, cases) of every line the buyer ordered since `since`."""
        rows = await self.session.execute(
            select(OrderLine.offer_id, Order.placed_at, OrderLine.cases)
            .join(Order, Order.id == OrderLine.order_id)
            .where(
                Order.buyer_org_id == org_id,
                Order.placed_at >= since,
                Order.status != "cancelled",
            )
            .order_by(Order.placed_at)
        )
        found = [(r[0], r[1], int(r[2])) for r in rows]
        past = await self.session.execute(
            select(PastPurchase.offer_id, PastPurchase.ordered_on, PastPurchase.cases).where(
                PastPurchase.buyer_org_id == org_id, PastPurchase.ordered_on >= since.date()
            )
        )
        # a recorded day counts as bought at local midday (04:00 UTC in China)
        found += [(r[0], datetime.combine(r[1], PAST_PURCHASE_TIME), int(r[2])) for r in past]
        return sorted(found, key=lambda row: row[1])

    async def record_past_purchases(
        self,
        org_id: uuid.UUID,
        rows: list[tuple[uuid.UUID, date, int]],
        source: str,
        user_id: uuid.UUID | None,
    ) -> int:
        """Insert the days, or replace the cases of a day recorded before."""
        if not rows:
            return 0
        stmt = insert(PastPurchase).values(
            [
                {
                    "id": new_id(),
                    "buyer_org_id": org_id,
                    "offer_id": offer_id,
                    "ordered_on": ordered_on,
                    "cases": cases,
                    "source": source,
                    "recorded_by_user_id": user_id,
                }
                for offer_id, ordered_on, cases in rows
            ]
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[
                    PastPurchase.buyer_org_id,
                    PastPurchase.offer_id,
                    PastPurchase.ordered_on,
                ],
                set_={
                    "cases": stmt.excluded.cases,
                    "source": stmt.excluded.source,
                    "recorded_by_user_id": stmt.excluded.recorded_by_user_id,
                    "updated_at": utcnow(),
                },
            )
        )
        return len(rows)
