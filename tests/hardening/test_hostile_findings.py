"""What a hostile client found on the landed code (issue 16), kept as regressions."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from calendars.ics_import import IcsImportError, parse_blocks
from calendars.recurrence import RecurrenceError, expand_series
from tests.support.resources import SHANGHAI, at, iso, local_day, make_resource

# Not a speed test: before the fix these took seconds to minutes of a blocked loop.
STALL = 2.0


def ics(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def event(*lines: str) -> bytes:
    return ics("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", "BEGIN:VEVENT", "UID:u",
               *lines, "END:VEVENT", "END:VCALENDAR")


WINDOW = dict(window_start=datetime(2025, 3, 1, tzinfo=UTC),
              window_end=datetime(2026, 4, 1, tzinfo=UTC), default_zone=SHANGHAI)


@pytest.mark.parametrize(("rule", "code"), [
    ("FREQ=DAILY;COUNT=2;BYMONTH=2;BYMONTHDAY=30", "series_empty"),
    ("FREQ=WEEKLY;COUNT=2;BYMONTH=2;BYMONTHDAY=30", "series_empty"),
    ("FREQ=DAILY;COUNT=3;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "series_empty"),
    ("FREQ=DAILY;COUNT=3;BYMONTH=2;BYMONTHDAY=29", "series_beyond_horizon"),
    ("FREQ=DAILY;COUNT=2;INTERVAL=0", "invalid_interval"),
    ("FREQ=DAILY;COUNT=2;INTERVAL=100000000000000000000", "invalid_interval"),
    ("FREQ=DAILY;COUNT=2;INTERVAL=100000", "invalid_interval"),
    ("FREQ=WEEKLY;COUNT=2;INTERVAL=54", "invalid_interval"),
    ("FREQ=WEEKLY;COUNT=200;INTERVAL=2", "series_beyond_horizon"),
    ("FREQ=WEEKLY;INTERVAL=4;UNTIL=20991231", "series_beyond_horizon"),
    ("FREQ=DAILY;COUNT=2;BYHOUR=0,1,2", "unsupported_rrule_part"),
    ("FREQ=DAILY;COUNT=2;BYMINUTE=0,30", "unsupported_rrule_part"),
    ("FREQ=DAILY;COUNT=2;BYMONTHDAY=32", "invalid_rrule"),
])
def test_impossible_dense_or_far_rules_are_refused_at_once(rule, code):
    start = datetime(2025, 3, 3, 7, tzinfo=SHANGHAI)
    began = time.monotonic()
    with pytest.raises(RecurrenceError) as raised:
        expand_series(rule, start, start + timedelta(hours=1), SHANGHAI, max_count=200)
    assert raised.value.code == code
    assert time.monotonic() - began < STALL


def test_filters_keep_their_meaning():
    start = datetime(2025, 3, 3, 7, tzinfo=SHANGHAI)  # a Monday
    days = [o.start.astimezone(SHANGHAI).date().isoformat() for o in expand_series(
        "FREQ=DAILY;COUNT=3;BYMONTHDAY=3,-1", start, start + timedelta(hours=1), SHANGHAI)]
    assert days == ["2025-03-03", "2025-03-31", "2025-04-03"]
    weekly = expand_series("FREQ=WEEKLY;COUNT=3;BYDAY=MO,FR;BYMONTH=3,4", start,
                           start + timedelta(hours=1), SHANGHAI)
    assert [o.start.astimezone(SHANGHAI).day for o in weekly] == [3, 7, 10]


@pytest.mark.parametrize("rule", [
    "FREQ=DAILY;COUNT=2;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;COUNT=2;INTERVAL=0",
    "FREQ=DAILY;COUNT=2;INTERVAL=100000000000000000000",
])
async def test_series_api_answers_422_quickly(client, people, rule):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    began = time.monotonic()
    response = await client.post("/api/series", headers=engineer.headers, json={
        "resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10)),
        "rrule": rule})
    assert response.status_code == 422, response.text
    assert response.json()["code"] in {"series_empty", "invalid_interval"}
    assert time.monotonic() - began < STALL
    assert (await client.get("/api/bookings", headers=engineer.headers)).json() == []


async def test_operator_series_cannot_reach_centuries_ahead(client, people):
    operator = await people.operator("mems")
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    response = await client.post("/api/series", headers=operator.headers, json={
        "resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10)),
        "rrule": "FREQ=DAILY;COUNT=2;INTERVAL=100000", "account_id": engineer.id})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_interval"


def test_ics_with_minute_lists_is_refused_before_expansion():
    data = event("DTSTART:20250301T000000Z", "DURATION:PT1M",
                 "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24)))
                 + ";BYMINUTE=" + ",".join(map(str, range(60))))
    began = time.monotonic()
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert raised.value.code == "ics_unsupported"
    assert raised.value.line == 8
    assert time.monotonic() - began < STALL


def test_ics_hour_lists_stay_hourly_and_are_bounded():
    data = event("DTSTART:20250301T000000Z", "DURATION:PT30M",
                 "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))))
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW, max_events=100)
    assert raised.value.code == "ics_too_many_events"


def test_ics_dtend_before_dtstart_is_refused_with_its_line():
    data = event("DTSTART:20250310T000000Z", "DTEND:20250301T000000Z", "SUMMARY:typo")
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert raised.value.code == "ics_malformed"
    assert raised.value.line == 7
    all_day = event("DTSTART;VALUE=DATE:20250310", "DTEND;VALUE=DATE:20250309")
    with pytest.raises(IcsImportError):
        parse_blocks(all_day, **WINDOW)
