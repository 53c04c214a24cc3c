"""The order read model, payments (one per order and provider), their history, Stripe inbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from services.payments.db import Base
from shared.db import TimestampedMixin, new_id


class OrderAccount(TimestampedMixin, Base):
    """What payments knows of an order (from repository.order.* events)."""

    __tablename__ = "orders"

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    payment_method: Mapped[str] = mapped_column(String(20))
    # when the repository placed the order (not when payments heard of it): the statement
    # month and the credit terms count from here, in the region's calendar
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(20), default="placed")
    lines: Mapped[list] = mapped_column(JSON, default=list)
    # running money of the order (fen): what was removed (shortages, cancellation), paid in,
    # and given back (refunds and credit notes); owed = total - removed - paid + refunded
    removed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    shortened: Mapped[dict] = mapped_column(JSON, default=dict)
    reference_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    # when the goods reached the buyer (its latest parcel; delivery.parcel.delivered) and
    # when the repository closed the order (repository.order.closed). Kept apart from
    # `status`, which is the money state (a closed credit order may still be owed).
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Payment(TimestampedMixin, Base):
    """One pay-in attempt per order: recorded BEFORE the provider is called."""

    __tablename__ = "payments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.order_id"), unique=True, index=True
    )
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    provider: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="cny")
    status: Mapped[str] = mapped_column(String(30), default="requires_payment")
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    client_secret: Mapped[str | None] = mapped_column(String(200))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(String(500))
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class PaymentHistory(Base):
    """Card payment transitions before the shared `status_changes` table (kept for those
    rows; every transition since is recorded by `PAYMENT.apply`)."""

    __tablename__ = "payment_history"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StripeEvent(Base):
    """Webhook inbox: each Stripe event id is handled once."""

    __tablename__ = "stripe_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
