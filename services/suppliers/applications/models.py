from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.suppliers.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class Supplier(TimestampedMixin, Base):
    """A supplier organisation's onboarding application and, once approved, its record.

    The id is the organisation's id in identity (one application per organisation).
    """

    __tablename__ = "suppliers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    supplier_kind: Mapped[str] = mapped_column(String(24), index=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(100))
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    # An individual farmer's identity card number: sealed (crypto.seal), shown masked.
    id_number_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    contacts: Mapped[list[Any]] = mapped_column(default=list)
    address: Mapped[str | None] = mapped_column(String(300))
    township: Mapped[str | None] = mapped_column(String(100), index=True)
    village: Mapped[str | None] = mapped_column(String(100))
    products: Mapped[list[Any]] = mapped_column(default=list)
    capacity: Mapped[list[Any]] = mapped_column(default=list)
    makes_processed_food: Mapped[bool] = mapped_column(default=False)
    household_relation: Mapped[str] = mapped_column(String(24), default="none")
    description: Mapped[str | None] = mapped_column(Text)

    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    review_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewer_user_id: Mapped[uuid.UUID | None]
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_reason: Mapped[str | None] = mapped_column(Text)

    households: Mapped[list[HouseholdLink]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="HouseholdLink.created_at"
    )

    @property
    def current_households(self) -> list[HouseholdLink]:
        return [h for h in self.households if h.ended_on is None]

    @property
    def supports_households(self) -> bool:
        return self.household_relation != "none"

    @property
    def can_sell(self) -> bool:
        return self.status == "approved"


class HouseholdLink(TimestampedMixin, Base):
    """A poverty-alleviated or monitored household the supplier is, or buys from.

    `household_ref` is the county's own reference; only the region's operator sees it.
    """

    __tablename__ = "household_links"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("suppliers.id"), index=True)
    household_kind: Mapped[str] = mapped_column(String(24))
    household_ref: Mapped[str] = mapped_column(String(64))
    head_name: Mapped[str | None] = mapped_column(String(100))
    village: Mapped[str | None] = mapped_column(String(100))
    # A link lives from `started_on` until `ended_on` (local dates); ended links stay as history.
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, index=True)
    ended_reason: Mapped[str | None] = mapped_column(Text)
    added_by: Mapped[uuid.UUID | None]
    ended_by: Mapped[uuid.UUID | None]

    @property
    def current(self) -> bool:
        return self.ended_on is None


class SupplierTransition(Base):
    """Who moved an application from one status to another, when and why."""

    __tablename__ = "supplier_transitions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("suppliers.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(24))
    actor_user_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(16), comment="supplier, operator or system")
    reason: Mapped[str | None] = mapped_column(Text)
    document_reasons: Mapped[list[Any]] = mapped_column(default=list)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
