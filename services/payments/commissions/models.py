"""Livestream commission owed to streamers and agencies, and the bank batches paying it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.payments.db import Base
from shared.db import TimestampedMixin, new_id


class CommissionPayee(TimestampedMixin, Base):
    """A streamer or agency payments has booked commission for, with the clawback it
    carries forward (never positive: a positive net is paid, a negative one waits for the
    next statement)."""

    __tablename__ = "commission_payees"

    payee_org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    payee_kind: Mapped[str] = mapped_column(String(20))
    carried_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class CommissionPayoutBatch(TimestampedMixin, Base):
    """One bank batch-transfer file of commission payouts; each payout is in one only."""

    __tablename__ = "commission_payout_batches"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    payout_count: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    bank_reference: Mapped[str | None] = mapped_column(String(100))
    paid_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CommissionPayout(TimestampedMixin, Base):
    """One approved livestream commission statement as payments books and pays it
    (unique per statement: a replayed approval books nothing twice)."""

    __tablename__ = "commission_payouts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    statement_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    payee_org_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    payee_kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(7))
    total_fen: Mapped[int] = mapped_column(BigInteger)
    line_count: Mapped[int] = mapped_column(Integer)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the payee's carried-forward clawback netted into this statement (<= 0), what it pays
    # (>= 0) and what it carries on to the next one (<= 0)
    carried_in_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    carried_out_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), index=True)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("commission_payout_batches.id"), index=True
    )
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
