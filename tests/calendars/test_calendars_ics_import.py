from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from calendars.ics_import import IcsImportError, ImportedBlock, parse_blocks

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = dict(
    window_start=datetime(2025, 3, 1, tzinfo=UTC),
    window_end=datetime(2025, 4, 1, tzinfo=UTC),
    default_zone=SHANGHAI,
)
SHIPPED_ICS = sorted(
    path
    for package in (icalendar, recurring_ical_events)
    for path in Path(package.__file__).parent.rglob("*.ics")
)


def ics(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def test_shipped_files_were_found():
    assert len(SHIPPED_ICS) > 100


# icalendar warns when it guesses a vendor-prefixed TZID; expected for these fixtures.
@pytest.mark.filterwarnings("ignore:Timezone .* is a globally unique TZID")
@pytest.mark.parametrize("path", SHIPPED_ICS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_file_gives_blocks_or_import_error(path: Path):
    try:
        blocks = parse_blocks(
            path.read_bytes(),
            window_start=datetime(1990, 1, 1, tzinfo=UTC),
            window_end=datetime(2030, 1, 1, tzinfo=UTC),
            default_zone=SHANGHAI,
        )
    except IcsImportError as error:
        code = error.code
    else:
        code = None
        assert all(isinstance(block, ImportedBlock) for block in blocks)
        assert all(block.start < block.end and block.start.tzinfo is not None for block in blocks)
    assert code in {
        None,
        "ics_malformed",
        "ics_no_events",
        "ics_too_many_events",
        "ics_unsupported",
    }


MAINTENANCE = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Vendor//Maintenance//EN",
    "BEGIN:VEVENT",
    "UID:pm-stepper@vendor.example",
    "DTSTAMP:20250101T000000Z",
    "DTSTART;TZID=Asia/Shanghai:20250303T070000",
    "DTEND;TZID=Asia/Shanghai:20250303T090000",
    "RRULE:FREQ=WEEKLY;BYDAY=MO",
    "EXDATE;TZID=Asia/Shanghai:20250317T070000",
    "SUMMARY:Preventive maintenance\\, stepper",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:cancelled@vendor.example",
    "DTSTAMP:20250101T000000Z",
    "DTSTART:20250305T020000Z",
    "DTEND:20250305T030000Z",
    "STATUS:CANCELLED",
    "SUMMARY:Cancelled visit",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:fyi@vendor.example",
    "DTSTAMP:20250101T000000Z",
    "DTSTART:20250306T020000Z",
    "DTEND:20250306T030000Z",
    "TRANSP:TRANSPARENT",
    "SUMMARY:For information",
    "END:VEVENT",
    "END:VCALENDAR",
)


def test_weekly_maintenance_with_exdate_in_local_time():
    blocks = parse_blocks(MAINTENANCE, **WINDOW)
    local_days = [block.start.astimezone(SHANGHAI).day for block in blocks]
    assert local_days == [3, 10, 24, 31]  # the 17th is excluded
    first = blocks[0]
    assert first.start == datetime(2025, 3, 2, 23, tzinfo=UTC)
    assert first.end == datetime(2025, 3, 3, 1, tzinfo=UTC)
    assert first.summary == "Preventive maintenance, stepper"
    assert first.uid == "pm-stepper@vendor.example@2025-03-02T23:00:00+00:00"
    assert len({block.uid for block in blocks}) == len(blocks)


def test_window_clips_by_overlap_and_is_half_open():
    blocks = parse_blocks(
        MAINTENANCE,
        window_start=datetime(2025, 3, 3, 1, tzinfo=UTC),  # the first one ends exactly here
        window_end=datetime(2025, 3, 9, 23, tzinfo=UTC),  # the second one starts exactly here
        default_zone=SHANGHAI,
    )
    assert blocks == []


def test_all_day_holiday_is_local_midnight_to_midnight():
    data = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Park//Holidays//EN",
        "BEGIN:VEVENT",
        "UID:qingming-2025",
        "DTSTAMP:20250101T000000Z",
        "DTSTART;VALUE=DATE:20250404",
        "DTEND;VALUE=DATE:20250407",
        "SUMMARY:清明节",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    window = dict(WINDOW, window_end=datetime(2025, 5, 1, tzinfo=UTC))
    (block,) = parse_blocks(data, **window)
    assert block.start == datetime(2025, 4, 4, tzinfo=SHANGHAI)
    assert block.end == datetime(2025, 4, 7, tzinfo=SHANGHAI)
    assert block.start.tzinfo is UTC or block.start.utcoffset() == timedelta(0)
    assert block.summary == "清明节"


def test_floating_time_is_read_in_the_default_zone():
    data = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:x",
        "BEGIN:VEVENT",
        "UID:floating",
        "DTSTAMP:20250101T000000Z",
        "DTSTART:20250310T090000",
        "DURATION:PT1H",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    (block,) = parse_blocks(data, **WINDOW)
    assert block.start == datetime(2025, 3, 10, 1, tzinfo=UTC)
    assert block.end == datetime(2025, 3, 10, 2, tzinfo=UTC)


def test_malformed_line_reports_its_line_number():
    data = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:x",
        "BEGIN:VEVENT",
        "UID:a",
        "DTSTART:20250310T090000Z",
        "this line is not a property",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert (raised.value.code, raised.value.line) == ("ics_malformed", 7)


def test_line_number_counts_physical_lines_of_folded_content():
    data = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:x",
        "BEGIN:VEVENT",
        "UID:a",
        "DESCRIPTION:a long description that was",
        "  folded onto a second physical line",
        "DTSTART:2025-03-10 nine o'clock",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert (raised.value.code, raised.value.line) == ("ics_malformed", 8)


def test_unclosed_component_reports_where_it_began():
    data = ics("BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:a", "END:VCALENDAR")
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert (raised.value.code, raised.value.line) == ("ics_malformed", 5)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "ics_malformed"),
        (b"<html><body>Not found</body></html>", "ics_malformed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "ics_malformed"),
        ("BEGIN:VCALENDAR\r\nX-NAME:日历\r\nEND:VCALENDAR\r\n".encode("gbk"), "ics_malformed"),
        (ics("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", "END:VCALENDAR"), "ics_no_events"),
        (
            ics(
                "BEGIN:VCALENDAR",
                "BEGIN:VEVENT",
                "UID:dense",
                "DTSTART:20250301T000000Z",
                "RRULE:FREQ=MINUTELY",
                "END:VEVENT",
                "END:VCALENDAR",
            ),
            "ics_unsupported",
        ),
    ],
)
def test_bad_input_codes(data: bytes, code: str):
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert raised.value.code == code


def test_too_many_events():
    hourly = ics(
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "UID:hourly",
        "DTSTART:20250301T000000Z",
        "DURATION:PT30M",
        "RRULE:FREQ=HOURLY",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(hourly, **WINDOW, max_events=100)
    assert raised.value.code == "ics_too_many_events"
    assert len(parse_blocks(hourly, **WINDOW)) == 31 * 24
