"""Goods the repository sent to the livestream base on consignment (寄售), and the
returns that came back. The base is a consignment location: the goods stay the
supplier's; the warehouse's own stock moves through the inventory ledger."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.repository.db import Base
from shared.db import new_id, utcnow


class ConsignmentTransfer(Base):
    """Cases out of a warehouse to the base (a `transfer_out` in the inventory ledger);
    the base counts them in units (`quantity` = cases × the offer's case pack)."""

    __tablename__ = "consignment_transfers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"), index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    offer_id: Mapped[uuid.UUID] = mapped_column()
    variant_id: Mapped[uuid.UUID] = mapped_column()
    product_id: Mapped[uuid.UUID] = mapped_column(index=True)
    cases: Mapped[int] = mapped_column(Integer)
    case_pack: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsignmentReturn(Base):
    """A `livestream.consignment.returned` the repository handled: to a warehouse, its
    units join the warehouse's loose units of the variant and every whole case they make
    goes back into stock (a `transfer_in`); to the supplier, noted only."""

    __tablename__ = "consignment_returns"

    return_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    product_id: Mapped[uuid.UUID] = mapped_column()
    destination: Mapped[str] = mapped_column(String(20))
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column()
    variant_id: Mapped[uuid.UUID | None] = mapped_column()
    quantity: Mapped[int] = mapped_column(Integer)
    cases: Mapped[int] = mapped_column(Integer, default=0)  # put back on the shelf
    loose_units: Mapped[int] = mapped_column(Integer, default=0)  # the warehouse holds after
    # restocked, to_supplier, unknown_transfer (no transfer of the product came from it)
    outcome: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsignmentLooseUnits(Base):
    """Units returned from the base short of a whole case, held at the warehouse per variant
    and case pack until later returns make up a case (then a `transfer_in` of the case)."""

    __tablename__ = "consignment_loose_units"

    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    variant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_pack: Mapped[int] = mapped_column(Integer, primary_key=True)
    units: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
