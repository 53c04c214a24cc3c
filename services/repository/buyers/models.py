"""Buyer accounts: how a station or rural shop buys from the repository."""

from __future__ import annotations

import uuid
from datetime import date
from typing import NamedTuple

from sqlalchemy import ARRAY, BigInteger, CheckConstraint, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.repository.db import Base
from shared.db import TimestampedMixin, new_id

PAYMENT_METHODS = ("card", "bank_transfer", "cod", "credit")
BUYER_KINDS = ("station", "retailer")
DEFAULT_PAYMENT_METHODS = ("bank_transfer", "card")


class BuyerTerms(NamedTuple):
    """What placing an order reads of a buyer account, as a plain row (no ORM object)."""

    org_id: uuid.UUID
    region_id: uuid.UUID
    kind: str
    status: str
    stop_id: uuid.UUID | None
    station_org_id: uuid.UUID | None
    payment_methods: list[str]
    credit_limit_fen: int


class BuyerAccount(TimestampedMixin, Base):
    __tablename__ = "buyer_accounts"
    __table_args__ = (
        CheckConstraint("credit_limit_fen >= 0", name="credit_limit"),
        CheckConstraint("terms_days >= 0", name="terms_days"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))  # station | retailer
    name: Mapped[str] = mapped_column(String(200), default="")
    # The delivery stop the buyer is served at (a village station's own stop, or the
    # station a shop collects from); its route's weekdays give delivery dates.
    stop_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    station_org_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    payment_methods: Mapped[list[str]] = mapped_column(
        ARRAY(String(20)), default=lambda: list(DEFAULT_PAYMENT_METHODS)
    )
    credit_limit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    terms_days: Mapped[int] = mapped_column(Integer, default=0)  # 账期
    # active | suspended (identity suspended the organisation): a copy of identity's status,
    # set from its events by directory/service.py. No machine here: identity's records the
    # change (who, when, why), and a copy must follow its owner whatever it says.
    status: Mapped[str] = mapped_column(String(20), default="active")


class PastPurchase(TimestampedMixin, Base):
    """What a buyer bought before it ordered here (the station's ledger, the previous
    system), recorded by the region's operator so that reorder suggestions and "buy
    again" know its habits from the first day. One row per offer and day."""

    __tablename__ = "buyer_past_purchases"
    __table_args__ = (
        UniqueConstraint("buyer_org_id", "offer_id", "ordered_on", name="uq_past_purchase_day"),
        CheckConstraint("cases > 0", name="cases"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    offer_id: Mapped[uuid.UUID] = mapped_column()
    ordered_on: Mapped[date] = mapped_column(Date)
    cases: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))
    recorded_by_user_id: Mapped[uuid.UUID | None] = mapped_column()
