"""A livestream sample's parcel: on its way with the supplier's carrier until delivered to
the streamer at the base, or returned to the supplier."""

from __future__ import annotations

from shared.state_machine import machine

SAMPLE_PARCEL = machine(
    "sample_parcel",
    [
        ("in_transit", "deliver", "delivered"),
        ("in_transit", "return", "returned"),
    ],
)
