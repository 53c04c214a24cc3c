"""The run's and the parcel's lives: explicit transition tables and the pure rules around them."""

from __future__ import annotations

from collections.abc import Iterable

from shared.state_machine import machine

# A run is planned (by the dispatcher's plan, an ad-hoc plan or a collection), leaves the
# warehouse (`start`: its parcels are loaded) and ends when the driver finishes it. Only a
# run that has not left can be reassigned or cancelled: once parcels are in the van, the
# driver has to bring each of them to an end instead.
RUN = machine(
    "run",
    [
        ("planned", "assign", "planned"),
        ("planned", "start", "in_transit"),
        ("planned", "cancel", "cancelled"),
        ("in_transit", "finish", "completed"),
    ],
)
RUN_UNDER_WAY = ("planned", "in_transit")

PARCEL = machine(
    "parcel",
    [
        ("registered", "load", "in_transit"),
        ("in_transit", "receive", "at_station"),
        ("at_station", "hand_over", "delivered"),
        ("in_transit", "deliver", "delivered"),
        ("in_transit", "redeliver", "registered"),
        ("in_transit", "return", "returned"),
        ("at_station", "return", "returned"),
    ],
)

# Statuses of a parcel still in the van: the run cannot finish while one is aboard. A parcel
# received by its station (at_station) has left the van even if its villager has not come
# for it yet; an absent recipient's parcel leaves the run altogether (redelivered next day).
ABOARD = ("registered", "in_transit")

# Who moves a run: the driver it is assigned to, or the region's dispatcher (any action).
DRIVER, DISPATCHER = "driver", "dispatcher"
ACTIONS_BY_ROLE = {
    DRIVER: ("start", "finish"),
    DISPATCHER: ("assign", "start", "cancel", "finish"),
}


def still_aboard(parcel_statuses: Iterable[tuple[str, str]]) -> list[str]:
    """Tracking numbers of the (tracking number, status) pairs still in the van."""
    return sorted(number for number, status in parcel_statuses if status in ABOARD)


def allowed_actions(status: str, role: str) -> list[str]:
    """What this caller may still do to a run in this status."""
    return [a for a in RUN.allowed_actions(status) if a in ACTIONS_BY_ROLE.get(role, ())]
