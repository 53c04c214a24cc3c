"""What catalog knows of supplier organisations (from identity and suppliers events)."""

from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.catalog.db import Base
from shared.db import TimestampedMixin


class CatalogSupplier(TimestampedMixin, Base):
    """Read model: a supplier may sell while identity and suppliers both let it."""

    __tablename__ = "suppliers"

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    display_name: Mapped[str | None] = mapped_column(String(200))
    township: Mapped[str | None] = mapped_column(String(100))
    # identity.organisation.*: approved / suspended ...
    organisation_status: Mapped[str] = mapped_column(String(20), default="active")
    # suppliers.supplier.*: approved / suspended / reinstated -> "active" or "suspended"
    supplier_status: Mapped[str] = mapped_column(String(20), default="active")
    suspension_reason: Mapped[str | None] = mapped_column(String(500))

    @property
    def sellable(self) -> bool:
        return self.organisation_status == "active" and self.supplier_status != "suspended"

    @property
    def public_name(self) -> str:
        return self.display_name or self.name
