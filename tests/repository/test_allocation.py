from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.repository.purchasing.allocation import WaitingLine, allocate_shortage

START = datetime(2026, 11, 28, tzinfo=UTC)

lines_strategy = st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=30).map(
    lambda sizes: [
        WaitingLine(f"line-{i:03d}", size, START + timedelta(minutes=i))
        for i, size in enumerate(sizes)
    ]
)


@given(lines=lines_strategy, received=st.integers(min_value=0, max_value=20_000))
def test_allocation_never_exceeds_received_or_ordered(lines, received):
    allocated = allocate_shortage(received, lines)
    total_ordered = sum(line.ordered_cases for line in lines)
    assert sum(allocated.values()) == min(received, total_ordered)
    for line in lines:
        assert 0 <= allocated[line.line_id] <= line.ordered_cases


def test_leftover_case_goes_to_the_earlier_order_on_a_tie():
    first = WaitingLine("b", 5, START)
    second = WaitingLine("a", 5, START + timedelta(minutes=1))
    assert allocate_shortage(5, [second, first]) == {"b": 3, "a": 2}


def test_shares_are_proportional_to_ordered_cases():
    lines = [WaitingLine("big", 30, START), WaitingLine("small", 10, START)]
    assert allocate_shortage(20, lines) == {"big": 15, "small": 5}
