"""Pure planning rules: loading parcels onto runs, loading order, pickup codes."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

PICKUP_CODE_ALPHABET = "0123456789"
PICKUP_CODE_LENGTH = 6


@dataclass(frozen=True)
class PlannedParcel:
    parcel_id: uuid.UUID
    stop_sequence: int
    weight_g: int
    volume_cm3: int
    chilled: bool


@dataclass(frozen=True)
class VehicleCapacity:
    vehicle_id: uuid.UUID | None
    max_weight_g: int
    max_volume_cm3: int
    cold_chain: bool


@dataclass
class PlannedRun:
    """One vehicle's load: its parcels, totals, and whether it still exceeds capacity."""

    vehicle: VehicleCapacity
    parcels: list[PlannedParcel] = field(default_factory=list)
    weight_g: int = 0
    volume_cm3: int = 0
    overloaded: bool = False

    def fits(self, parcel: PlannedParcel) -> bool:
        return (
            self.weight_g + parcel.weight_g <= self.vehicle.max_weight_g
            and self.volume_cm3 + parcel.volume_cm3 <= self.vehicle.max_volume_cm3
        )

    def add(self, parcel: PlannedParcel) -> None:
        self.parcels.append(parcel)
        self.weight_g += parcel.weight_g
        self.volume_cm3 += parcel.volume_cm3


@dataclass
class RoutePlan:
    runs: list[PlannedRun]
    unplaced_chilled: list[PlannedParcel]


def plan_route(
    parcels: Iterable[PlannedParcel],
    vehicle: VehicleCapacity,
    spare: VehicleCapacity | None = None,
) -> RoutePlan:
    """Load a route's parcels in stop order onto its vehicle, overflow onto a second run.

    Chilled parcels go only on a cold-chain vehicle; without one they are left unplaced.
    The second run uses `spare` (default: the same vehicle again, a second trip); whatever
    still does not fit stays on the last run, which is flagged overloaded.
    """
    ordered = sorted(parcels, key=lambda p: (p.stop_sequence, str(p.parcel_id)))
    unplaced = [p for p in ordered if p.chilled and not vehicle.cold_chain]
    loadable = [p for p in ordered if not (p.chilled and not vehicle.cold_chain)]
    runs = [PlannedRun(vehicle)]
    for parcel in loadable:
        current = runs[-1]
        if current.fits(parcel) or not current.parcels:
            current.add(parcel)
            continue
        if len(runs) == 1:
            second = spare or vehicle
            if parcel.chilled and not second.cold_chain:
                second = vehicle
            runs.append(PlannedRun(second))
            runs[-1].add(parcel)
            continue
        current.add(parcel)
    for run in runs:
        run.overloaded = (
            run.weight_g > run.vehicle.max_weight_g or run.volume_cm3 > run.vehicle.max_volume_cm3
        )
    return RoutePlan(runs=runs, unplaced_chilled=unplaced)


def loading_order(parcels: Sequence[PlannedParcel]) -> list[PlannedParcel]:
    """Pick list: the last stop's parcels are loaded first (they come off last)."""
    return sorted(parcels, key=lambda p: (-p.stop_sequence, str(p.parcel_id)))


def new_pickup_code(taken: set[str]) -> str:
    """A random 6-digit 取件码, unique among `taken` (the station's codes that day)."""
    while True:
        code = "".join(secrets.choice(PICKUP_CODE_ALPHABET) for _ in range(PICKUP_CODE_LENGTH))
        if code not in taken:
            return code


def new_tracking_number() -> str:
    return "FQ" + secrets.token_hex(6).upper()
