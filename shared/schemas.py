"""One type each for ids, money and times; base classes for read and write schemas."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

Id = uuid.UUID
Fen = Annotated[
    int, Field(ge=0, le=10**13, description="Money in fen (CNY minor units)", examples=[12800])
]
SignedFen = Annotated[int, Field(ge=-(10**13), le=10**13, description="Signed money in fen")]
Timestamp = AwareDatetime

# 账期: a buyer's credit terms in calendar days, the one rule wherever terms are set (the
# repository's buyer account, payments' credit line, the event between them). 0 = due at once.
TERMS_DAYS_MAX = 180

# a calendar month of this century or the next ("2026-11"); anything else is 422 (one rule
# for every service: payments' statements and bank batches, livestream's statements)
MONTH_PATTERN = r"^2[01]\d{2}-(0[1-9]|1[0-2])$"
MONTH_DOC = "A calendar month, YYYY-MM (2000-01 to 2199-12), in the region's calendar"
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

FREE_FORM_MAX_DEPTH = 8
FREE_FORM_MAX_BYTES = 16_384


def _depth(value: Any, limit: int, level: int = 1) -> bool:
    """Whether `value` nests deeper than `limit` (iterative: safe for any input)."""
    stack = [(value, level)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _bounded(value: dict[str, Any]) -> dict[str, Any]:
    if _depth(value, FREE_FORM_MAX_DEPTH):
        raise ValueError(f"may nest at most {FREE_FORM_MAX_DEPTH} levels")
    if len(json.dumps(value, ensure_ascii=False).encode()) > FREE_FORM_MAX_BYTES:
        raise ValueError(f"may be at most {FREE_FORM_MAX_BYTES} bytes of JSON")
    return value


# A free-form JSON object in a write schema (attributes, details): bounded in depth and
# size, so a client cannot store a structure other services then choke on.
FreeForm = Annotated[
    dict[str, Any],
    AfterValidator(_bounded),
    Field(
        description=f"A JSON object, at most {FREE_FORM_MAX_DEPTH} levels deep and "
        f"{FREE_FORM_MAX_BYTES} bytes"
    ),
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last page"
    )


def as_utc_iso(value: datetime) -> str:
    return value.isoformat()
