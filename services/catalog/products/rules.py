"""Products: the review machine and when a product is on sale (pure, unit-tested)."""

from __future__ import annotations

from shared.state_machine import machine

CHANNELS = ("wholesale", "livestream", "retail")
# The documented sort fields of product lists (the repository maps them to columns).
SORT_FIELDS = ("listed_at", "updated_at", "created_at", "name", "retail_price_fen")
STORAGE = ("ambient", "chilled", "frozen")

REVIEW_MACHINE = machine(
    "product",
    [
        ("draft", "submit", "submitted"),
        ("changes_requested", "submit", "submitted"),
        ("submitted", "approve", "approved"),
        ("submitted", "reject", "rejected"),
        ("submitted", "request_changes", "changes_requested"),
        ("submitted", "withdraw", "draft"),
        ("rejected", "revise", "draft"),
        ("approved", "revise", "draft"),
        ("approved", "withdraw", "withdrawn"),
        ("withdrawn", "revise", "draft"),
    ],
)

SUPPLIER_ACTIONS = frozenset({"submit", "withdraw", "revise"})
OPERATOR_ACTIONS = frozenset({"approve", "reject", "request_changes"})
NEEDS_REASONS = frozenset({"reject", "request_changes"})
# Editing is allowed in these states; editing an approved product sends it back to draft.
EDITABLE = frozenset({"draft", "changes_requested", "rejected", "approved", "withdrawn"})


def on_sale(status: str, supplier_sellable: bool, certificate_hold: bool) -> bool:
    """Public and purchasable: approved, supplier may sell, no required certificate lapsed."""
    return status == "approved" and supplier_sellable and not certificate_hold


def missing_for_review(variant_count: int, image_count: int, channels: list[str]) -> list[str]:
    missing = []
    if variant_count == 0:
        missing.append("variants")
    if image_count == 0:
        missing.append("images")
    if not channels:
        missing.append("channels")
    return missing


def diff(before: dict, after: dict) -> dict[str, list]:
    """Field -> [old, new] for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
