"""Pure planning rules: capacity split, cold chain, loading order, pickup codes."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from services.delivery.planning import (
    PlannedParcel,
    VehicleCapacity,
    loading_order,
    new_pickup_code,
    plan_route,
)

VAN = VehicleCapacity(uuid.uuid4(), max_weight_g=10_000, max_volume_cm3=1_000_000, cold_chain=False)
COLD_VAN = VehicleCapacity(uuid.uuid4(), 10_000, 1_000_000, cold_chain=True)


def parcel(seq: int, weight: int, chilled: bool = False) -> PlannedParcel:
    return PlannedParcel(uuid.uuid4(), seq, weight, 1_000, chilled)


parcels_strategy = st.lists(
    st.builds(parcel, st.integers(1, 20), st.integers(1, 6_000), st.booleans()), max_size=40
)


@given(parcels_strategy)
def test_every_parcel_is_loaded_once_or_left_unplaced_for_lack_of_cold_chain(parcels):
    plan = plan_route(parcels, VAN)
    loaded = [p.parcel_id for run in plan.runs for p in run.parcels]
    assert sorted(loaded + [p.parcel_id for p in plan.unplaced_chilled], key=str) == sorted(
        (p.parcel_id for p in parcels), key=str
    )
    assert all(p.chilled for p in plan.unplaced_chilled)
    assert not any(p.chilled for run in plan.runs for p in run.parcels)


@given(parcels_strategy)
def test_a_run_over_capacity_is_flagged_and_there_are_at_most_two(parcels):
    plan = plan_route(parcels, COLD_VAN)
    assert len(plan.runs) <= 2
    for run in plan.runs:
        assert run.weight_g == sum(p.weight_g for p in run.parcels)
        assert run.overloaded == (run.weight_g > COLD_VAN.max_weight_g)
    assert not plan.runs[0].overloaded or len(plan.runs[0].parcels) == 1


def test_overload_spills_onto_a_second_run():
    plan = plan_route([parcel(1, 6_000), parcel(2, 6_000)], VAN)
    assert [run.weight_g for run in plan.runs] == [6_000, 6_000]


def test_the_last_stop_is_loaded_first():
    parcels = [parcel(1, 10), parcel(3, 10), parcel(2, 10)]
    assert [p.stop_sequence for p in loading_order(parcels)] == [3, 2, 1]


def test_pickup_codes_are_six_digits_and_avoid_the_days_codes():
    taken: set[str] = set()
    for _ in range(500):
        code = new_pickup_code(taken)
        assert len(code) == 6 and code.isdigit() and code not in taken
        taken.add(code)
