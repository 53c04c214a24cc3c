"""A carrier parcel's address review: a person names the station, or it goes back."""

from __future__ import annotations

from shared.state_machine import machine

REVIEW = machine(
    "address_review",
    [
        ("open", "assign", "assigned"),
        ("open", "return", "returned"),
    ],
)
