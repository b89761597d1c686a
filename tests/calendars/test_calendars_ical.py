from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import vobject
from icalendar import Calendar

from calendars.ical import EventData, build_calendar, event_for_busy_block

SHANGHAI = ZoneInfo("Asia/Shanghai")
DTSTAMP = datetime(2025, 2, 1, 8, tzinfo=UTC)
TRICKY = 'Room 3, bay; "A": C:\\temp\\x\nsecond line, 第二行; end\\'
LONG_CHINESE = "微纳机电制造中试平台光刻机预约说明：请提前十五分钟到达洁净室更衣。" * 8


def booking(**overrides) -> EventData:
    values = dict(
        uid="booking-42@parkbench.test",
        sequence=2,
        start=datetime(2025, 3, 3, 7, tzinfo=SHANGHAI),  # Monday
        end=datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI),
        summary="光刻机 EVG610",
        description=LONG_CHINESE,
        location=TRICKY,
        url="https://parkbench.test/bookings/42",
        organizer_email="ops@mems.parkbench.test",
        organizer_name="MEMS 平台运营",
        attendee_email="zhang.san@example.com",
        attendee_name="张三",
        last_modified=datetime(2025, 1, 31, 12, tzinfo=UTC),
        categories=["MEMS", "光刻"],
    )
    values.update(overrides)
    return EventData(**values)


def build(events, method="REQUEST", **kwargs) -> bytes:
    return build_calendar(events, method=method, zone=SHANGHAI, dtstamp=DTSTAMP, **kwargs)


def parse_both(data: bytes) -> Calendar:
    """Parse with icalendar and validate with vobject, the second opinion."""
    calendar = Calendar.from_ical(data)
    component = vobject.readOne(data.decode("utf-8"))
    component.validate()
    return calendar


def test_request_round_trips_through_both_parsers():
    data = build([booking()])
    calendar = parse_both(data)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["PRODID"] == "-//Parkbench//Parkbench//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == "booking-42@parkbench.test"
    assert event["SEQUENCE"] == 2
    assert event["DTSTAMP"].dt == DTSTAMP
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTSTART"].dt == datetime(2025, 3, 3, 7, tzinfo=SHANGHAI)
    assert event["DTEND"].dt == datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
    assert event["DESCRIPTION"] == LONG_CHINESE
    assert event["STATUS"] == "CONFIRMED"
    assert event["TRANSP"] == "OPAQUE"
    assert event["LAST-MODIFIED"].dt == datetime(2025, 1, 31, 12, tzinfo=UTC)
    assert event["CATEGORIES"].cats == ["MEMS", "光刻"]
    assert event["URL"] == "https://parkbench.test/bookings/42"


def test_people_parameters_for_request_and_publish():
    request = Calendar.from_ical(build([booking()])).walk("VEVENT")[0]
    organizer, attendee = request["ORGANIZER"], request["ATTENDEE"]
    assert organizer == "mailto:ops@mems.parkbench.test"
    assert organizer.params["CN"] == "MEMS 平台运营"
    assert attendee == "mailto:zhang.san@example.com"
    assert attendee.params["CN"] == "张三"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "FALSE"
    publish = Calendar.from_ical(build([booking()], method="PUBLISH")).walk("VEVENT")[0]
    assert publish["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"


def test_lines_are_crlf_and_folded_at_75_octets_without_breaking_utf8():
    data = build([booking()])
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(not line.endswith(b"\r") and b"\n" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # a split multi-byte character would fail here


def test_text_escaping_round_trips():
    data = build([booking(summary=TRICKY, description=TRICKY)])
    assert b"Room 3\\, bay\\; " in data
    event = parse_both(data).walk("VEVENT")[0]
    assert event["SUMMARY"] == TRICKY
    assert event["DESCRIPTION"] == TRICKY
    assert event["LOCATION"] == TRICKY
    vevent = vobject.readOne(data.decode()).vevent
    assert vevent.summary.value == TRICKY
    assert vevent.location.value == TRICKY


def test_cancel_forces_cancelled_status_and_drops_the_alarm():
    calendar = parse_both(build([booking(status="CONFIRMED", sequence=3)], method="CANCEL"))
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 3
    assert not event.walk("VALARM")


def test_request_needs_an_organizer():
    with pytest.raises(ValueError):
        build([booking(organizer_email=None)])


def test_alarm_follows_event_properties():
    data = build([booking(alarm_minutes_before=15)])
    text = data.decode()
    event_text = text[text.index("BEGIN:VEVENT") : text.index("END:VEVENT")]
    assert event_text.index("BEGIN:VALARM") > event_text.index("UID:")
    tail = event_text[event_text.index("END:VALARM") :].strip().splitlines()
    assert tail == ["END:VALARM"]  # nothing of the event after the alarm
    alarm = Calendar.from_ical(data).walk("VALARM")[0]
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["DESCRIPTION"] == "光刻机 EVG610"
    assert alarm["TRIGGER"].dt == timedelta(minutes=-15)
    assert "TRIGGER:-PT15M\r\n" in text


def test_vtimezone_for_shanghai_and_dtstamp_always_present():
    block = event_for_busy_block("b1", booking().start, booking().end, DTSTAMP, "Busy")
    data = build([block], method="PUBLISH")
    calendar = parse_both(data)
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Asia/Shanghai"
    assert timezone.to_tz().utcoffset(datetime(2025, 3, 3)) == timedelta(hours=8)
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTAMP"].dt == DTSTAMP
    assert "ATTENDEE" not in event and not event.walk("VALARM")
    assert event["TRANSP"] == "OPAQUE"


def test_feed_properties():
    data = build(
        [booking(transparent=True)],
        method="PUBLISH",
        calendar_name="MEMS 中试平台",
        refresh_interval=timedelta(hours=1),
        language="zh-CN",
    )
    calendar = parse_both(data)
    assert calendar["NAME"] == "MEMS 中试平台"
    assert calendar["X-WR-CALNAME"] == "MEMS 中试平台"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in data
    assert calendar.walk("VEVENT")[0]["TRANSP"] == "TRANSPARENT"
    assert calendar.walk("VEVENT")[0]["SUMMARY"].params["LANGUAGE"] == "zh-CN"


def test_weekly_series_lands_on_local_mondays_with_exdate():
    skipped = datetime(2025, 3, 10, 7, tzinfo=SHANGHAI)
    data = build(
        [booking(rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=4", exdates=[skipped])], method="PUBLISH"
    )
    assert b"EXDATE;TZID=Asia/Shanghai:20250310T070000\r\n" in data
    calendar = parse_both(data)
    occurrences = recurring_ical_events.of(calendar).between(
        datetime(2025, 3, 1, tzinfo=SHANGHAI), datetime(2025, 4, 30, tzinfo=SHANGHAI)
    )
    starts = sorted(o["DTSTART"].dt.astimezone(SHANGHAI) for o in occurrences)
    assert [s.date().isoformat() for s in starts] == ["2025-03-03", "2025-03-17", "2025-03-24"]
    assert all((s.weekday(), s.hour, s.minute) == (0, 7, 0) for s in starts)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        build([booking(start=datetime(2025, 3, 3, 7))])
