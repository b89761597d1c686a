from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calendars.intervals import Interval, intersect, merge, subtract


def at(hour: int, minute: int = 0, day: int = 3) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


def iv(a: int, b: int) -> Interval:
    return Interval(at(a), at(b))


def test_rejects_naive_and_empty_or_reversed():
    with pytest.raises(ValueError):
        Interval(datetime(2025, 3, 3, 8), at(9))
    with pytest.raises(ValueError):
        Interval(at(9), at(9))
    with pytest.raises(ValueError):
        Interval(at(10), at(9))


def test_same_instant_in_other_zone_is_equal_and_stored_in_utc():
    shanghai = Interval(
        datetime(2025, 3, 3, 16, tzinfo=ZoneInfo("Asia/Shanghai")),
        datetime(2025, 3, 3, 17, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    assert shanghai == iv(8, 9)
    assert shanghai.start.tzinfo is UTC
    assert shanghai.duration == timedelta(hours=1)


def test_half_open_touching_intervals_do_not_overlap():
    assert not iv(8, 10).overlaps(iv(10, 12))
    assert iv(8, 10).overlaps(iv(9, 12))
    assert iv(8, 12).contains(iv(8, 12))
    assert not iv(8, 12).contains(iv(7, 9))


def test_merge_sorts_and_fuses_touching_and_overlapping():
    assert merge([iv(14, 15), iv(8, 10), iv(10, 11), iv(9, 9 + 1)]) == [iv(8, 11), iv(14, 15)]
    assert merge([iv(8, 12), iv(9, 10)]) == [iv(8, 12)]
    assert merge([]) == []


def test_subtract_cuts_holes_and_edges():
    assert subtract([iv(8, 18)], [iv(10, 11), iv(12, 13)]) == [iv(8, 10), iv(11, 12), iv(13, 18)]
    assert subtract([iv(8, 12)], [iv(7, 9), iv(11, 13)]) == [iv(9, 11)]
    assert subtract([iv(8, 12)], [iv(6, 14)]) == []
    assert subtract([iv(8, 10)], [iv(10, 11)]) == [iv(8, 10)]


def test_subtract_cut_spanning_several_pieces():
    assert subtract([iv(8, 10), iv(11, 13), iv(14, 16)], [iv(9, 15)]) == [iv(8, 9), iv(15, 16)]


def test_intersect():
    assert intersect([iv(8, 12), iv(14, 18)], [iv(10, 15), iv(17, 20)]) == [
        iv(10, 12),
        iv(14, 15),
        iv(17, 18),
    ]
    assert intersect([iv(8, 10)], [iv(10, 12)]) == []
