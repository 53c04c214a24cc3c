"""One type each for ids, money and times; base classes for read and write schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Id = uuid.UUID
Fen = Annotated[
    int, Field(ge=0, le=10**13, description="Money in fen (CNY minor units)", examples=[12800])
]
SignedFen = Annotated[int, Field(ge=-(10**13), le=10**13, description="Signed money in fen")]
Timestamp = AwareDatetime

# 账期: a buyer's credit terms in calendar days, the one rule wherever terms are set (the
# repository's buyer account, payments' credit line, the event between them). 0 = due at once.
TERMS_DAYS_MAX = 180
TermsDays = Annotated[
    int,
    Field(
        ge=0,
        le=TERMS_DAYS_MAX,
        description="Credit terms (账期) in calendar days, 0 (due at once) to 180",
        examples=[30],
    ),
]


def terms_days_allowed(days: int) -> bool:
    """The `TermsDays` rule for values that do not arrive through a schema (events)."""
    return 0 <= days <= TERMS_DAYS_MAX


class Schema(BaseModel):
    """Read schema."""

    model_config = ConfigDict(from_attributes=True)


class WriteSchema(BaseModel):
    """Write schema: unknown fields are rejected, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last page"
    )


def as_utc_iso(value: datetime) -> str:
    return value.isoformat()
