"""Payments SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.models import OrderAccount, Payment, StripeEvent

SORT_COLUMNS = {"created_at": Payment.created_at, "updated_at": Payment.updated_at}


class PaymentRepository:
    """Orders as payments knows them, card payments and the Stripe event inbox."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_order(self, order_id: uuid.UUID) -> OrderAccount | None:
        return await self.session.get(OrderAccount, order_id)

    async def fresh_order(self, order_id: uuid.UUID) -> OrderAccount | None:
        """The order as committed now (each statement sees the latest commits), not a cached
        object: the caller polls for an order whose event is still on its way."""
        return await self.session.scalar(
            select(OrderAccount)
            .where(OrderAccount.order_id == order_id)
            .execution_options(populate_existing=True)
        )

    async def add_order(self, order: OrderAccount) -> None:
        self.session.add(order)
        await self.session.flush()

    async def payment_for_order(self, order_id: uuid.UUID, *, lock: bool = False) -> Payment | None:
        stmt = select(Payment).where(Payment.order_id == order_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def payment_by_ref(self, ref: str) -> Payment | None:
        return await self.session.scalar(
            select(Payment).where(Payment.provider_ref == ref).with_for_update()
        )

    async def insert_payment_once(self, values: dict) -> None:
        """Insert the attempt row unless the order already has one (concurrent callers race here)."""
        await self.session.execute(
            insert(Payment).values(**values).on_conflict_do_nothing(index_elements=["order_id"])
        )

    async def pending_without_ref(self, limit: int = 50) -> list[Payment]:
        rows = await self.session.scalars(
            select(Payment)
            .where(Payment.provider_ref.is_(None), Payment.status == "requires_payment")
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def with_ref(self, *, region_id: uuid.UUID | None = None) -> list[Payment]:
        stmt = select(Payment).where(Payment.provider_ref.is_not(None))
        if region_id is not None:
            stmt = stmt.where(Payment.region_id == region_id)
        return list(await self.session.scalars(stmt))

    async def claim_stripe_event(self, event_id: str, event_type: str) -> bool:
        """True the first time an event id is seen."""
        result = await self.session.execute(
            insert(StripeEvent)
            .values(event_id=event_id, event_type=event_type)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(StripeEvent.event_id)
        )
        return result.scalar() is not None

    def listing(
        self,
        *,
        region_id: uuid.UUID | None,
        buyer_org_id: uuid.UUID | None,
        order_id: uuid.UUID | None,
        status: str | None,
    ) -> Select:
        stmt = select(Payment)
        if region_id is not None:
            stmt = stmt.where(Payment.region_id == region_id)
        if buyer_org_id is not None:
            stmt = stmt.where(Payment.buyer_org_id == buyer_org_id)
        if order_id is not None:
            stmt = stmt.where(Payment.order_id == order_id)
        if status is not None:
            stmt = stmt.where(Payment.status == status)
        return stmt
