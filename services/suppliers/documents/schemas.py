from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from shared.schemas import Id, Schema, Timestamp, WriteSchema

DocumentKind = Literal[
    "business_licence",
    "food_production_licence",
    "inspection_report",
    "compliance_certificate",
    "organic_certificate",
    "green_food_certificate",
    "geographical_indication",
    "other",
]


class DocumentCreate(WriteSchema):
    """The form fields sent with the file (multipart/form-data)."""

    kind: DocumentKind
    number: str = Field(min_length=1, max_length=100, examples=["SC11641072700123"])
    issuer: str = Field(min_length=1, max_length=200, examples=["封丘县市场监督管理局"])
    valid_from: date | None = None
    valid_until: date | None = Field(default=None, description="Leave empty for no expiry (长期)")
    replaces_document_id: Id | None = Field(
        default=None, description="The document this one replaces (e.g. a renewed licence)"
    )

    @model_validator(mode="after")
    def validity_in_order(self) -> DocumentCreate:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class Document(Schema):
    id: Id
    supplier_id: Id
    kind: str
    number: str
    issuer: str
    valid_from: date | None
    valid_until: date | None
    review_status: Literal["pending", "accepted", "changes_requested", "superseded"]
    review_reason: str | None
    replaces_id: Id | None
    content_type: str
    size_bytes: int
    sha256: str
    filename: str | None
    created_at: Timestamp


class DocumentList(Schema):
    items: list[Document]
