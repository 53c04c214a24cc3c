"""The document expiry check and the notifications it writes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.schemas import Id, Schema, Timestamp, WriteSchema


class ExpiryCheckRun(WriteSchema):
    region_id: Id = Field(examples=["0b8e6c1e-3f4a-4f0e-9a51-2d7c1c9b8a10"])


class ExpiryCheckResult(Schema):
    region_id: Id
    as_of: date = Field(description="The region's local date the check ran for")
    warnings: int = Field(description="Notifications written by this run (a re-run adds none)")
    suspended: list[Id] = Field(description="Suppliers suspended for a lapsed required document")


class ExpiryNotification(Schema):
    """A warning to a supplier about a document expiring in 30 or 7 days, or expired."""

    id: Id
    supplier_id: Id
    document_id: Id
    kind: str
    due_date: date
    message: str
    created_at: Timestamp
    read_at: Timestamp | None
