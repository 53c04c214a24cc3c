"""Which session and streamer an order line belongs to (pure; the service loads candidates).

1. The platform author id names the streamer (one of its platform accounts); then the
   streamer's session whose window holds the paid time.
2. Else the product and the time window: a session live (or planned) at the paid time whose
   lineup holds the product.
Overlaps follow one rule: **the session that started last before the payment wins** (the
viewer was most recently sent there); equal starts go to the smaller session id. A line
that matches nothing waits in the operator's unmatched queue.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    session_id: uuid.UUID
    streamer_id: uuid.UUID
    start: datetime
    end: datetime
    pool_entry_ids: frozenset[uuid.UUID]


def pick(candidates: Iterable[Candidate], paid_at: datetime) -> Candidate | None:
    holding = [c for c in candidates if c.start <= paid_at <= c.end]
    return min(holding, key=lambda c: (-c.start.timestamp(), c.session_id), default=None)


def attribute(
    candidates: list[Candidate],
    paid_at: datetime,
    *,
    streamer_id: uuid.UUID | None,
    pool_entry_id: uuid.UUID | None,
) -> tuple[Candidate | None, str]:
    if streamer_id is not None:
        found = pick((c for c in candidates if c.streamer_id == streamer_id), paid_at)
        if found is not None:
            return found, "author"
    if pool_entry_id is not None:
        found = pick((c for c in candidates if pool_entry_id in c.pool_entry_ids), paid_at)
        if found is not None:
            return found, "window"
    return None, "unmatched"
