from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calendars.intervals import Interval
from calendars.occupancy import (
    earliest_fit,
    free_intervals,
    free_units_profile,
    is_aligned,
    next_aligned,
    peak_units,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, 3, hour, minute, tzinfo=SHANGHAI)


def iv(a: int, b: int) -> Interval:
    return Interval(at(a), at(b))


DAY = iv(0, 23)


def test_peak_is_simultaneous_quantity_not_overlap_count():
    # A-B overlap and B-C overlap, but A and C never meet: at most 2 at once.
    bookings = [(iv(8, 10), 1), (iv(9, 12), 1), (iv(11, 13), 1)]
    assert peak_units(bookings, DAY) == 2


def test_peak_sums_quantities_and_is_half_open():
    assert peak_units([(iv(8, 10), 3), (iv(10, 12), 4)], DAY) == 4
    assert peak_units([(iv(8, 11), 3), (iv(10, 12), 4)], DAY) == 7


def test_peak_only_counts_inside_within():
    bookings = [(iv(8, 10), 3), (iv(9, 12), 4)]
    assert peak_units(bookings, iv(10, 12)) == 4
    assert peak_units(bookings, iv(12, 14)) == 0


def test_free_units_profile_merges_equal_neighbours_and_keeps_full():
    windows = [iv(8, 12)]
    bookings = [(iv(9, 10), 2), (iv(10, 11), 2), (iv(11, 12), 1)]
    assert free_units_profile(bookings, 2, windows) == [
        (iv(8, 9), 2),
        (iv(9, 11), 0),
        (iv(11, 12), 1),
    ]


def test_free_units_profile_over_several_windows():
    windows = [iv(8, 10), iv(13, 15)]
    profile = free_units_profile([(iv(9, 14), 1)], 3, windows)
    assert profile == [(iv(8, 9), 3), (iv(9, 10), 2), (iv(13, 14), 2), (iv(14, 15), 3)]


def test_free_intervals_with_buffer():
    windows = [iv(8, 18)]
    busy = [iv(10, 11)]
    assert free_intervals(busy, windows) == [iv(8, 10), iv(11, 18)]
    buffered = free_intervals(busy, windows, timedelta(minutes=30))
    assert buffered == [Interval(at(8), at(9, 30)), Interval(at(11, 30), at(18))]


def test_is_aligned_counts_from_local_midnight():
    quarter = timedelta(minutes=15)
    assert is_aligned(at(7, 45), quarter, SHANGHAI)
    assert not is_aligned(at(7, 50), quarter, SHANGHAI)
    # 90 minutes: 07:30 local is on the grid (5 x 90 min); 07:30 UTC is not.
    assert is_aligned(at(7, 30), timedelta(minutes=90), SHANGHAI)
    assert not is_aligned(datetime(2025, 3, 3, 7, 30, tzinfo=UTC), timedelta(minutes=90), SHANGHAI)


def test_earliest_fit_rounds_up_to_the_local_grid():
    free = [Interval(at(8, 10), at(9, 40)), iv(10, 12)]
    fit = earliest_fit(free, timedelta(hours=1), at(8), timedelta(minutes=30), SHANGHAI)
    # 08:30-09:30 fits in the first free interval after rounding 08:10 up.
    assert fit == Interval(at(8, 30), at(9, 30))
    later = earliest_fit(free, timedelta(hours=1), at(8, 45), timedelta(minutes=30), SHANGHAI)
    assert later == iv(10, 11)
    assert earliest_fit(free, timedelta(hours=3), at(8), timedelta(minutes=30), SHANGHAI) is None


def test_earliest_fit_does_not_straddle_free_intervals():
    free = [iv(8, 9), iv(9, 10)]  # touching: one free span once merged
    assert earliest_fit(free, timedelta(hours=2), at(8), timedelta(hours=1), SHANGHAI) == iv(8, 10)
    gap = [iv(8, 9), iv(10, 11)]
    assert earliest_fit(gap, timedelta(hours=2), at(8), timedelta(hours=1), SHANGHAI) is None


def test_grid_skips_the_spring_forward_gap():
    # 2025-03-30 02:00-03:00 does not exist in Berlin.
    moment = datetime(2025, 3, 30, 1, 50, tzinfo=BERLIN)
    nxt = next_aligned(moment, timedelta(minutes=30), BERLIN)
    assert nxt.astimezone(BERLIN).replace(tzinfo=None) == datetime(2025, 3, 30, 3, 0)


def test_grid_visits_both_passes_of_the_fall_back_hour():
    # 2025-10-26 02:00-03:00 happens twice in Berlin (CEST, then CET).
    first_pass_0240 = datetime(2025, 10, 26, 0, 40, tzinfo=UTC)
    nxt = next_aligned(first_pass_0240, timedelta(hours=1), BERLIN)
    # 02:00 second pass (01:00 UTC) comes before 03:00 CET (02:00 UTC).
    assert nxt == datetime(2025, 10, 26, 1, 0, tzinfo=UTC)
    assert is_aligned(nxt, timedelta(hours=1), BERLIN)


def test_grid_restarts_at_next_local_midnight():
    # A 7-minute grid's last point is 23:55; it does not run on to 00:02.
    moment = datetime(2025, 3, 3, 23, 56, tzinfo=SHANGHAI)
    nxt = next_aligned(moment, timedelta(minutes=7), SHANGHAI)
    assert nxt == datetime(2025, 3, 4, 0, 0, tzinfo=SHANGHAI)


def test_invalid_arguments():
    with pytest.raises(ValueError):
        free_intervals([], [DAY], timedelta(minutes=-5))
    with pytest.raises(ValueError):
        earliest_fit([DAY], timedelta(0), at(8), timedelta(minutes=15), SHANGHAI)
    with pytest.raises(ValueError):
        is_aligned(at(8), timedelta(0), SHANGHAI)
