from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from services.repository.orders.cutoff import window_closing_after, window_key

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
FOUR_PM = time(16, 0)


def test_order_before_cutoff_joins_todays_window_in_shanghai():
    placed = datetime(2026, 11, 28, 7, 59, tzinfo=UTC)  # 15:59 local
    assert window_key(placed, FOUR_PM, SHANGHAI) == date(2026, 11, 28)


def test_order_at_cutoff_joins_tomorrows_window():
    placed = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # 16:00 local
    assert window_key(placed, FOUR_PM, SHANGHAI) == date(2026, 11, 29)


def test_order_after_local_midnight_belongs_to_the_new_local_day():
    placed = datetime(2026, 11, 28, 16, 30, tzinfo=UTC)  # 00:30 on the 29th local
    assert window_key(placed, FOUR_PM, SHANGHAI) == date(2026, 11, 29)


def test_berlin_cutoff_keeps_wall_clock_across_spring_forward():
    closing = window_closing_after(datetime(2026, 3, 29, 10, tzinfo=UTC), FOUR_PM, BERLIN)
    assert closing == datetime(2026, 3, 29, 14, 0, tzinfo=UTC)  # 16:00 CEST


def test_berlin_cutoff_keeps_wall_clock_across_fall_back():
    closing = window_closing_after(datetime(2026, 10, 25, 10, tzinfo=UTC), FOUR_PM, BERLIN)
    assert closing == datetime(2026, 10, 25, 15, 0, tzinfo=UTC)  # 16:00 CET


def test_cutoff_in_a_dst_gap_moves_forward_by_the_gap():
    closing = window_closing_after(datetime(2026, 3, 29, 0, tzinfo=UTC), time(2, 30), BERLIN)
    assert closing == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
