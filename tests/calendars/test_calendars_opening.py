from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from calendars.intervals import Interval
from calendars.opening import WeeklyHours, is_within, open_windows

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_monday_morning_in_shanghai_is_sunday_in_utc():
    hours = [WeeklyHours(0, time(7), time(12))]
    windows = open_windows(hours, utc(2025, 3, 2), utc(2025, 3, 4), SHANGHAI)
    assert windows == [Interval(utc(2025, 3, 2, 23), utc(2025, 3, 3, 4))]


def test_windows_are_clipped_to_the_requested_span():
    hours = [WeeklyHours(0, time(8), time(18))]
    start = datetime(2025, 3, 3, 10, tzinfo=SHANGHAI)
    end = datetime(2025, 3, 3, 12, tzinfo=SHANGHAI)
    assert open_windows(hours, start, end, SHANGHAI) == [Interval(start, end)]


def test_midnight_close_means_end_of_day_and_days_merge():
    hours = [WeeklyHours(0, time(20), time(0)), WeeklyHours(1, time(0), time(6))]
    monday = datetime(2025, 3, 3, tzinfo=SHANGHAI)
    windows = open_windows(hours, monday, monday + timedelta(days=2), SHANGHAI)
    assert windows == [Interval(monday.replace(hour=20), monday.replace(day=4, hour=6))]


def test_rejects_closing_before_opening():
    with pytest.raises(ValueError):
        WeeklyHours(0, time(18), time(8))
    with pytest.raises(ValueError):
        WeeklyHours(7, time(8), time(9))


def test_wall_clock_hours_survive_dst_in_berlin():
    hours = [WeeklyHours(day, time(8), time(17)) for day in range(7)]
    # 2025-03-30 and 2025-10-26 are the DST switch Sundays in Berlin.
    windows = open_windows(hours, utc(2025, 3, 29), utc(2025, 3, 31), BERLIN)
    assert windows == [
        Interval(utc(2025, 3, 29, 7), utc(2025, 3, 29, 16)),  # CET, UTC+1
        Interval(utc(2025, 3, 30, 6), utc(2025, 3, 30, 15)),  # CEST, UTC+2
    ]
    autumn = open_windows(hours, utc(2025, 10, 25), utc(2025, 10, 27), BERLIN)
    assert [w.start.astimezone(BERLIN).hour for w in autumn] == [8, 8]
    assert all(w.duration == timedelta(hours=9) for w in autumn)


def test_full_day_across_dst_lasts_23_and_25_hours():
    hours = [WeeklyHours(6, time(0), time(0))]  # Sundays, 00:00-24:00
    spring = open_windows(hours, utc(2025, 3, 29), utc(2025, 4, 1), BERLIN)
    autumn = open_windows(hours, utc(2025, 10, 25), utc(2025, 10, 28), BERLIN)
    assert [w.duration for w in spring] == [timedelta(hours=23)]
    assert [w.duration for w in autumn] == [timedelta(hours=25)]


def test_is_within_requires_a_single_window():
    hours = [WeeklyHours(0, time(8), time(12)), WeeklyHours(0, time(13), time(17))]
    day = datetime(2025, 3, 3, tzinfo=SHANGHAI)
    windows = open_windows(hours, day, day + timedelta(days=1), SHANGHAI)
    assert is_within(Interval(day.replace(hour=9), day.replace(hour=12)), windows)
    assert not is_within(Interval(day.replace(hour=11), day.replace(hour=14)), windows)
    assert not is_within(Interval(day.replace(hour=7), day.replace(hour=9)), windows)
    # Two touching windows form one merged window.
    touching = [
        Interval(day.replace(hour=8), day.replace(hour=10)),
        Interval(day.replace(hour=10), day.replace(hour=12)),
    ]
    assert is_within(Interval(day.replace(hour=9), day.replace(hour=11)), touching)
