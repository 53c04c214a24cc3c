from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin, new_id


class PoolEntry(TimestampedMixin, Base):
    """A catalog product opened to the selection pool (选品池) with its prices and sample rule.

    Kept `active` only while catalog has the product on sale with a valid brand licence and
    valid certificates and the supplier is in standing; otherwise `lapsed` (lifecycle.POOL_ENTRY).
    """

    __tablename__ = "pool_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
    pinyin: Mapped[str] = mapped_column(String(800), default="")
    brand: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100))
    supply_price_fen: Mapped[int] = mapped_column(BigInteger)
    suggested_retail_fen: Mapped[int] = mapped_column(BigInteger)
    floor_price_fen: Mapped[int] = mapped_column(BigInteger)
    stock_at_base: Mapped[int] = mapped_column(Integer, default=0)
    sales_count: Mapped[int] = mapped_column(Integer, default=0)
    # the current open (通用) plan's rate, for sorting the pool by commission
    open_rate_bps: Mapped[int] = mapped_column(Integer, default=0)
    # sample rule (申样门槛): thresholds for automatic approval, return or keep
    sample_min_followers: Mapped[int] = mapped_column(BigInteger, default=0)
    sample_min_gmv_30d_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    sample_min_level: Mapped[int] = mapped_column(Integer, default=0)
    sample_return_required: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="active")
    status_reason: Mapped[str | None] = mapped_column(String(200))
