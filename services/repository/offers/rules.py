"""Offer rules (pure): quantity price tiers, who an offer is open to, whether it sells."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from shared.errors import FieldError
from shared.state_machine import machine

OFFER = machine(
    "offer",
    [
        ("active", "pause", "paused"),
        ("paused", "resume", "active"),
        ("active", "withdraw", "withdrawn"),
        ("paused", "withdraw", "withdrawn"),
        # an edit of its terms keeps the status; recorded like a step (who, when, what)
        ("active", "update", "active"),
        ("paused", "update", "paused"),
    ],
)


def tier_problems(tiers: Sequence[dict], min_order_cases: int) -> list[FieldError]:
    """Tiers start at or below the minimum order, rise in quantity and never cost more
    per case for buying more."""
    problems: list[FieldError] = []
    if not tiers:
        return [FieldError("price_tiers", "at least one price tier is required", "required")]
    if tiers[0]["min_cases"] > min_order_cases:
        problems.append(
            FieldError(
                "price_tiers.0.min_cases",
                "the first tier must start at or below the minimum order quantity",
                "tier_gap",
            )
        )
    for index, (lower, upper) in enumerate(zip(tiers, tiers[1:], strict=False), start=1):
        if upper["min_cases"] <= lower["min_cases"]:
            problems.append(
                FieldError(
                    f"price_tiers.{index}.min_cases",
                    "tiers must be in rising order of quantity",
                    "tier_order",
                )
            )
        if upper["price_fen"] > lower["price_fen"]:
            problems.append(
                FieldError(
                    f"price_tiers.{index}.price_fen",
                    "a larger quantity must not cost more per case",
                    "tier_price",
                )
            )
    return problems


def price_for(tiers: Sequence[dict], cases: int) -> int:
    """Price per case of the highest tier the quantity reaches."""
    price = tiers[0]["price_fen"]
    for tier in tiers:
        if cases >= tier["min_cases"]:
            price = tier["price_fen"]
    return int(price)


def open_to(
    offer_region_id: uuid.UUID,
    open_regions: Sequence[uuid.UUID],
    buyer_kinds: Sequence[str],
    buyer_region_id: uuid.UUID,
    buyer_kind: str,
) -> bool:
    in_region = buyer_region_id == offer_region_id or buyer_region_id in set(open_regions)
    return in_region and buyer_kind in buyer_kinds


def selling(
    offer_status: str, variant_listed: bool, channels: Sequence[str], supplier_sellable: bool
) -> bool:
    """An offer sells only while it is active, its product is listed for wholesale and its
    supplier may sell (a suspension or delisting stops it at once)."""
    return (
        offer_status == "active"
        and variant_listed
        and "wholesale" in channels
        and supplier_sellable
    )
