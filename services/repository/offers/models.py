"""Wholesale offers: how a catalog variant is sold by the case to stations and shops."""

from __future__ import annotations

import uuid

from sqlalchemy import ARRAY, CheckConstraint, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.repository.db import Base
from shared.db import TimestampedMixin, new_id

DIRECTIONS = ("upstream", "downstream")  # 上行 farm goods to market, 下行 goods to villages
FULFILMENT_MODES = ("stocked", "to_order")
BUYER_KINDS = ("station", "retailer")


class Offer(TimestampedMixin, Base):
    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("region_id", "variant_id", name="uq_offer_region_variant"),
        CheckConstraint("case_pack > 0", name="case_pack"),
        CheckConstraint("min_order_cases > 0", name="moq"),
        CheckConstraint("multiple_cases > 0", name="multiple"),
        CheckConstraint("lead_time_days >= 0", name="lead_time"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    variant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    direction: Mapped[str] = mapped_column(String(12))
    # The sellable unit (e.g. 罐 250 g) and how many of them make one case.
    unit_name: Mapped[str] = mapped_column(String(40))
    case_pack: Mapped[int] = mapped_column(Integer)
    min_order_cases: Mapped[int] = mapped_column(Integer, default=1)
    multiple_cases: Mapped[int] = mapped_column(Integer, default=1)
    # [{"min_cases": 1, "price_fen": 12000}, {"min_cases": 10, "price_fen": 11000}] per case
    price_tiers: Mapped[list[dict]] = mapped_column(JSONB)
    # Further regions it is open to, beyond its own; empty means only its own region.
    open_regions: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    buyer_kinds: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    fulfilment: Mapped[str] = mapped_column(String(12))
    lead_time_days: Mapped[int] = mapped_column(Integer, default=1)
    # active | paused (by the supplier) | withdrawn
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
