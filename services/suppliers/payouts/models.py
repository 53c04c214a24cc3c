from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from services.suppliers.db import Base
from services.suppliers.identifiers import mask_account
from shared.db import TimestampedMixin


class PayoutAccount(TimestampedMixin, Base):
    """The bank account settlements are paid to; the number is sealed (AES-GCM) at rest."""

    __tablename__ = "payout_accounts"

    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("suppliers.id"), primary_key=True)
    account_name: Mapped[str] = mapped_column(String(200))
    bank_name: Mapped[str] = mapped_column(String(200))
    branch_name: Mapped[str | None] = mapped_column(String(200))
    account_number_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    account_last4: Mapped[str] = mapped_column(String(4))
    updated_by: Mapped[uuid.UUID]

    @property
    def account_number_masked(self) -> str:
        """What anyone is ever shown of the number: ****1234."""
        return mask_account(self.account_last4)
