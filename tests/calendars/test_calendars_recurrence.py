from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calendars.recurrence import RecurrenceError, expand_series

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def first(zone: ZoneInfo = SHANGHAI, hour: int = 7, day: int = 3) -> tuple[datetime, datetime]:
    start = datetime(2025, 3, day, hour, tzinfo=zone)  # 2025-03-03 is a Monday
    return start, start + timedelta(hours=2)


def test_weekly_monday_0700_shanghai_stays_monday_local_sunday_utc():
    start, end = first()
    series = expand_series("FREQ=WEEKLY;BYDAY=MO;COUNT=4", start, end, SHANGHAI)
    assert len(series) == 4
    for occurrence in series:
        local = occurrence.start.astimezone(SHANGHAI)
        assert (local.weekday(), local.hour) == (0, 7)
        assert occurrence.start.weekday() == 6  # Sunday 23:00 UTC
        assert occurrence.duration == timedelta(hours=2)


def test_two_weekdays_with_until_in_utc():
    start, end = first()
    # UNTIL 2025-03-12 23:00 UTC is Thursday 07:00 local; the Wednesday 12th is in.
    series = expand_series("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20250312T230000Z", start, end, SHANGHAI)
    assert [o.start.astimezone(SHANGHAI).day for o in series] == [3, 5, 10, 12]


def test_until_as_date_includes_that_local_day():
    start, end = first()
    series = expand_series("RRULE:FREQ=DAILY;UNTIL=20250305", start, end, SHANGHAI)
    assert [o.start.astimezone(SHANGHAI).day for o in series] == [3, 4, 5]


def test_wall_clock_kept_across_dst_in_berlin():
    start = datetime(2025, 3, 28, 9, tzinfo=BERLIN)
    series = expand_series("FREQ=DAILY;COUNT=4", start, start + timedelta(hours=1), BERLIN)
    assert [o.start.astimezone(BERLIN).hour for o in series] == [9, 9, 9, 9]
    assert [o.start.hour for o in series] == [8, 8, 7, 7]  # UTC shifts on 30 March


def test_occurrence_inside_the_spring_gap_keeps_its_length():
    start = datetime(2025, 3, 29, 2, 15, tzinfo=BERLIN)
    series = expand_series("FREQ=DAILY;COUNT=2", start, start + timedelta(minutes=30), BERLIN)
    assert all(o.duration == timedelta(minutes=30) for o in series)


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("FREQ=WEEKLY;BYDAY=MO", "series_unbounded"),
        ("FREQ=MONTHLY;COUNT=3", "unsupported_frequency"),
        ("FREQ=HOURLY;COUNT=3", "unsupported_frequency"),
        ("FREQ=WEEKLY;COUNT=400", "series_too_long"),
        ("FREQ=DAILY;UNTIL=20300101T000000Z", "series_too_long"),
        ("FREQ=WEEKLY;COUNT=abc", "invalid_rrule"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20250401T000000Z", "invalid_rrule"),
        ("FREQ=WEEKLY;BYDAY=1MO;COUNT=2", "invalid_rrule"),
        ("FREQ=WEEKLY;BYDAY=XX;COUNT=2", "invalid_rrule"),
        ("FREQ=DAILY;COUNT=2;BYHOUR=7,9", "unsupported_rrule_part"),
        ("COUNT=2", "invalid_rrule"),
        ("garbage", "invalid_rrule"),
        ("", "invalid_rrule"),
        ("FREQ=DAILY;UNTIL=2025", "invalid_rrule"),
        ("FREQ=DAILY;UNTIL=20250101T000000Z", "series_empty"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=2", "start_not_in_rule"),
    ],
)
def test_rejected_rules(rule: str, code: str):
    start, end = first()
    with pytest.raises(RecurrenceError) as raised:
        expand_series(rule, start, end, SHANGHAI)
    assert raised.value.code == code


def test_max_count_is_inclusive():
    start, end = first()
    assert len(expand_series("FREQ=DAILY;COUNT=5", start, end, SHANGHAI, max_count=5)) == 5
    with pytest.raises(RecurrenceError) as raised:
        expand_series("FREQ=DAILY;COUNT=6", start, end, SHANGHAI, max_count=5)
    assert raised.value.code == "series_too_long"


def test_until_limit_rejects_series_beyond_horizon():
    start, end = first()
    horizon = datetime(2025, 3, 20, tzinfo=UTC)
    assert len(expand_series("FREQ=WEEKLY;COUNT=3", start, end, SHANGHAI, until_limit=horizon)) == 3
    with pytest.raises(RecurrenceError) as raised:
        expand_series("FREQ=WEEKLY;COUNT=4", start, end, SHANGHAI, until_limit=horizon)
    assert raised.value.code == "series_beyond_limit"
