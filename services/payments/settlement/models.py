"""Refunds, bank receipts, cash on delivery and credit lines."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String, UniqueConstraint, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from services.payments.db import Base
from shared.db import new_id


class Refund(Base):
    """Money given back for a cause (one row per cause, so a redelivered event refunds once)."""

    __tablename__ = "refunds"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    cause: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # stripe_refund | credit_note
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    # pending: reserved (counted in the order's refunded_fen) but Stripe was unreachable;
    # the retry job completes it and only then journals it
    status: Mapped[str] = mapped_column(String(20), default="done", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BankReceipt(Base):
    """Money the region's bank account received for an order. The bank's reference is
    unique per receiving account (one per region): keyed again it is a replay, never money."""

    __tablename__ = "bank_receipts"
    __table_args__ = (UniqueConstraint("region_id", "bank_reference"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    bank_reference: Mapped[str] = mapped_column(String(100))
    recorded_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CodCollection(Base):
    __tablename__ = "cod_collections"

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    driver_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    collected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CodHandIn(Base):
    __tablename__ = "cod_hand_ins"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    recorded_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CreditLine(Base):
    __tablename__ = "credit_lines"

    buyer_org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    limit_fen: Mapped[int] = mapped_column(BigInteger)
    terms_days: Mapped[int] = mapped_column(BigInteger, default=30)
    # when these terms were set (by the operator here, or on the buyer account in the
    # repository): a setting older than this one arriving late is ignored
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
