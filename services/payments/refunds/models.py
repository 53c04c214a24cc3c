"""Bank refunds of a buyer's credit, the buyer's bank account on file, and refund batches."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from services.payments.db import Base
from shared.db import TimestampedMixin, new_id


class BuyerBankAccount(Base):
    """The account the region's operator recorded for refunds to a buyer (one per buyer)."""

    __tablename__ = "buyer_bank_accounts"

    buyer_org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    account_name: Mapped[str] = mapped_column(String(100))
    bank_name: Mapped[str] = mapped_column(String(100))
    account_number: Mapped[str] = mapped_column(String(34))
    set_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BankRefundBatch(Base):
    """One bank batch-transfer file: the refunds it pays are in it and in no other."""

    __tablename__ = "bank_refund_batches"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    refund_count: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BankRefund(TimestampedMixin, Base):
    """Buyer credit paid back to a bank account (not an order's card refund: see Refund).

    The account is copied at request time: a later change on file does not redirect a
    refund already asked for or already in a bank file."""

    __tablename__ = "bank_refunds"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # the order whose money goes back, when the refund is for one order's credit
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    account_name: Mapped[str] = mapped_column(String(100))
    bank_name: Mapped[str] = mapped_column(String(100))
    account_number: Mapped[str] = mapped_column(String(34))
    reason: Mapped[str | None] = mapped_column(String(500))
    requested_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("bank_refund_batches.id"), index=True
    )
    bank_reference: Mapped[str | None] = mapped_column(String(100))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BankRefundHistory(Base):
    """Every transition of a bank refund: who, when, why."""

    __tablename__ = "bank_refund_history"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    bank_refund_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bank_refunds.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
