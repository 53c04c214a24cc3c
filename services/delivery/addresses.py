"""Matching a carrier's free-text address to a village station (pure, unit-testable)."""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

FUZZY_CUTOFF = 0.75
SUFFIXES = ("村委会", "服务站", "村站", "站", "村", "镇", "乡")


@dataclass(frozen=True)
class StationPlace:
    stop_id: uuid.UUID
    township: str
    village: str
    aliases: tuple[str, ...] = ()


def normalise(name: str | None) -> str:
    text = "".join((name or "").split())
    for suffix in SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def match_station(
    places: Sequence[StationPlace], township: str | None, village: str | None, address: str | None
) -> StationPlace | None:
    """Township + village names (or an alias), then a fuzzy village name, then the address text.

    Only an unambiguous answer counts: two equally good stations mean "ask a person".
    """
    in_township = [
        p for p in places if not township or normalise(p.township) == normalise(township)
    ]
    wanted = normalise(village)
    if wanted:
        exact = [
            p
            for p in in_township
            if wanted == normalise(p.village) or wanted in {normalise(a) for a in p.aliases}
        ]
        if len(exact) == 1:
            return exact[0]
        if not exact:
            names = {normalise(p.village): p for p in in_township}
            close = difflib.get_close_matches(wanted, list(names), n=2, cutoff=FUZZY_CUTOFF)
            if len(close) == 1:
                return names[close[0]]
    text = "".join((address or "").split())
    if text:
        found = [
            p
            for p in in_township
            if any(n and n in text for n in (normalise(p.village), *map(normalise, p.aliases)))
        ]
        if len(found) == 1:
            return found[0]
    return None
