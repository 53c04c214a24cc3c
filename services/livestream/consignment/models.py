"""Consignment (寄售) stock at the base: per supplier and product what was received, sold,
returned, damaged and what is on hand, and the ledger of movements it is derived from.

The goods stay the supplier's until sold. Counters change only by conditional UPDATEs
that append a movement (`repository.py`), and the CHECKs are the last line: a count can
never go below zero, and on hand always equals the sum of the other counters."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import new_id, utcnow


class ConsignmentStock(Base):
    """One supplier's product at the base (the base is one consignment location per region)."""

    __tablename__ = "consignment_stock"
    __table_args__ = (
        CheckConstraint("received >= 0", name="received"),
        CheckConstraint("sold >= 0", name="sold"),
        CheckConstraint("returned >= 0", name="returned"),
        CheckConstraint("damaged >= 0", name="damaged"),
        CheckConstraint("on_hand >= 0", name="on_hand"),
        CheckConstraint(
            "on_hand = received - sold - returned - damaged + adjusted", name="balanced"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    sold: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    damaged: Mapped[int] = mapped_column(Integer, default=0)
    # the net of stocktake variances (signed)
    adjusted: Mapped[int] = mapped_column(Integer, default=0)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsignmentMovement(Base):
    """Immutable: one row per change of a stock row, with what caused it.

    kind: receipt (a repository transfer), sale, sale_reversal (refunded before
    settlement), return (to the supplier or a warehouse), damage, stocktake. `quantity` is
    the signed change of on hand. A sale carries the supply price at that moment and the
    payable (quantity × price); `source_id` (transfer, sale line, …) makes receipts and
    sales idempotent."""

    __tablename__ = "consignment_movements"
    __table_args__ = (UniqueConstraint("kind", "source_id", "source_version", name="once"),)

    seq: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True, default=new_id)
    stock_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consignment_stock.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    product_id: Mapped[uuid.UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    on_hand_after: Mapped[int] = mapped_column(Integer)
    # stocktake: what was counted and what the ledger expected
    counted: Mapped[int | None] = mapped_column(Integer)
    expected: Mapped[int | None] = mapped_column(Integer)
    # sale / sale_reversal: the supply price at that moment and the supplier's payable
    supply_price_fen: Mapped[int | None] = mapped_column(BigInteger)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    # return: where the goods went
    destination: Mapped[str | None] = mapped_column(String(20))
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column()
    source_id: Mapped[str | None] = mapped_column(String(64))
    source_version: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class ConsignedSale(Base):
    """What the base counted for one platform sale line (its latest version): the quantity
    taken from on hand, and what could not be (sold beyond the goods at the base)."""

    __tablename__ = "consigned_sales"

    line_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    stock_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consignment_stock.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    unconsigned: Mapped[int] = mapped_column(Integer, default=0)
    supply_price_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    sold_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
