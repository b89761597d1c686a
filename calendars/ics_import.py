"""Import of external .ics files (maintenance plans, holidays) as busy blocks.

Input is untrusted: anything wrong with it ends as an `IcsImportError` with a
stable code and, when it can be located, the physical line number, so an
operator can fix the file. icalendar itself is lenient (it records broken
lines instead of failing and reports no line numbers), so the content lines
are checked here first.
"""

from __future__ import annotations

import hashlib
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar, Component
from icalendar.parser import Contentline

# Properties whose damage changes when something is busy; damage elsewhere
# (a broken GEO or ATTENDEE in a third-party feed) is tolerated.
_TIME_PROPERTIES = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
)
# Expanding these from an old DTSTART to the window would take minutes. Several
# minutes or seconds in one rule are sub-hourly too, whatever its FREQ
# (FREQ=DAILY;BYHOUR=0,…,23;BYMINUTE=0,…,59 is 1,440 a day).
_SUB_HOURLY = re.compile(
    r"FREQ=(SECONDLY|MINUTELY)|BY(MINUTE|SECOND)=[^;]*,", re.IGNORECASE
)


@dataclass(frozen=True)
class ImportedBlock:
    uid: str
    start: datetime  # UTC
    end: datetime  # UTC
    summary: str


class IcsImportError(Exception):
    """Bad input; `code` is one of ics_malformed, ics_no_events,
    ics_too_many_events, ics_unsupported."""

    def __init__(self, code: str, detail: str, line: int | None = None) -> None:
        where = f" (line {line})" if line is not None else ""
        super().__init__(f"{code}{where}: {detail}")
        self.code = code
        self.line = line
        self.detail = detail


@dataclass(frozen=True)
class _LogicalLine:
    number: int  # physical line where the (possibly folded) content line starts
    text: str


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise IcsImportError("ics_malformed", "the file is not UTF-8", line) from error


def _unfold(text: str) -> list[_LogicalLine]:
    """Content lines with the physical line each one starts on (RFC 5545 3.1)."""
    lines: list[_LogicalLine] = []
    for number, physical in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if physical[:1] in (" ", "\t") and lines:
            last = lines[-1]
            lines[-1] = _LogicalLine(last.number, last.text + physical[1:])
        elif physical.strip():
            lines.append(_LogicalLine(number, physical))
    return lines


@dataclass
class _Scan:
    """Where each component begins, in document order, for error reporting."""

    begins: dict[str, list[int]]
    lines: list[_LogicalLine]


def _scan(lines: list[_LogicalLine]) -> _Scan:
    if not lines or lines[0].text.strip().upper() != "BEGIN:VCALENDAR":
        first = lines[0].number if lines else 1
        raise IcsImportError("ics_malformed", "not an iCalendar file", first)
    stack: list[tuple[str, int]] = []
    begins: dict[str, list[int]] = {}
    for line in lines:
        try:
            name, _, value = Contentline(line.text).parts()
        except ValueError as error:
            raise IcsImportError(
                "ics_malformed", f"not a NAME[;params]:value line: {line.text[:80]!r}", line.number
            ) from error
        keyword = name.upper()
        if keyword == "BEGIN":
            stack.append((value.upper(), line.number))
            begins.setdefault(value.upper(), []).append(line.number)
        elif keyword == "END":
            if not stack or stack[-1][0] != value.upper():
                raise IcsImportError("ics_malformed", f"unexpected END:{value}", line.number)
            stack.pop()
        elif not stack and keyword != "X-COMMENT":
            # icalendar, too, tolerates a trailing X-COMMENT after END:VCALENDAR.
            raise IcsImportError("ics_malformed", f"{name} outside a component", line.number)
    if stack:
        component, number = stack[-1]
        raise IcsImportError("ics_malformed", f"BEGIN:{component} is never closed", number)
    return _Scan(begins, lines)


def _line_of_property(scan: _Scan, begin_line: int, name: str | None) -> int:
    """The first line of property `name` after `begin_line`, else `begin_line`."""
    if name:
        prefix = re.compile(rf"^{re.escape(name)}[;:]", re.IGNORECASE)
        for line in scan.lines:
            if line.number > begin_line and prefix.match(line.text):
                return line.number
    return begin_line


def _check_events(
    calendar: Component, scan: _Scan, first_index: int, zone: ZoneInfo
) -> list[Component]:
    """Reject damaged timing data and dense rules; return the VEVENTs."""
    events = calendar.walk("VEVENT")
    event_lines = scan.begins.get("VEVENT", [])
    for index, event in enumerate(events, start=first_index):
        begin_line = event_lines[index] if index < len(event_lines) else None
        for name in ("DTSTART", "DTEND", "DURATION"):
            if isinstance(event.get(name), list):
                line = _line_of_property(scan, begin_line, name) if begin_line else None
                raise IcsImportError("ics_malformed", f"{name} given more than once", line)
        for name, message in event.errors:
            if name is None or name.upper() in _TIME_PROPERTIES:
                line = _line_of_property(scan, begin_line, name) if begin_line else None
                raise IcsImportError("ics_malformed", f"{name or 'line'}: {message}", line)
        rules = event.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules]:
            text = rule.to_ical().decode() if rule is not None else ""
            if rule is not None and _SUB_HOURLY.search(text):
                line = _line_of_property(scan, begin_line, "RRULE") if begin_line else None
                raise IcsImportError("ics_unsupported", "sub-hourly recurrence", line)
            if rule is not None and _never_occurs(text):
                line = _line_of_property(scan, begin_line, "RRULE") if begin_line else None
                raise IcsImportError("ics_unsupported", "a recurrence on a date that never exists",
                                     line)
        if _ends_before_start(event, zone):
            # Some readers swap the two, which turns a typo into months of closure.
            line = _line_of_property(scan, begin_line, "DTEND") if begin_line else None
            raise IcsImportError("ics_malformed", "DTEND is before DTSTART", line)
    return events


def _never_occurs(rule: str) -> bool:
    """BYMONTH and BYMONTHDAY naming no real date (30 February): dateutil would look
    for one day by day until the year 9999."""
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";"))
    try:
        months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else []
        days = [int(d) for d in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
    except ValueError:
        return False
    if not days:
        return False
    longest = {month: 29 if month == 2 else monthrange(2001, month)[1]
               for month in (months or range(1, 13)) if 1 <= month <= 12}
    return not any(abs(day) <= length for day in days if day for length in longest.values())


def _ends_before_start(event: Component, zone: ZoneInfo) -> bool:
    start, end = event.get("DTSTART"), event.get("DTEND")
    if start is None or end is None:
        return False
    if not isinstance(start.dt, date) or not isinstance(end.dt, date):
        return False
    return _as_utc(end.dt, zone) < _as_utc(start.dt, zone)


def _drop_undated(calendar: Component) -> int:
    """Remove VEVENTs without DTSTART (they occupy no time); return those left."""
    # RFC 5545 allows them when a METHOD is present; recurring_ical_events
    # cannot expand them.
    calendar.subcomponents = [
        child for child in calendar.subcomponents if child.name != "VEVENT" or "DTSTART" in child
    ]
    return sum(1 for child in calendar.subcomponents if child.name == "VEVENT")


def _as_utc(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        # Floating times mean "wall clock wherever you are": the park's zone.
        aware = value if value.tzinfo is not None else value.replace(tzinfo=zone)
        return aware.astimezone(UTC)
    # All-day values run from local midnight to local midnight.
    return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)


def _occurrence_span(event: Component, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    dtstart = event.get("DTSTART")
    if dtstart is None:
        return None
    start_value = dtstart.dt
    if "DTEND" in event:
        end_value = event["DTEND"].dt
    elif "DURATION" in event:
        end_value = start_value + event["DURATION"].dt
    elif isinstance(start_value, datetime):
        end_value = start_value  # RFC 5545: an instant, occupies no time
    else:
        end_value = start_value + timedelta(days=1)  # RFC 5545: one day
    if not isinstance(start_value, date) or not isinstance(end_value, date):
        return None
    return _as_utc(start_value, zone), _as_utc(end_value, zone)


def _master_uid(event: Component) -> str:
    uid = event.get("UID")
    if uid:
        return str(uid)
    # Files without UIDs exist; derive one that stays the same on re-import.
    seed = f"{event.get('DTSTART').to_ical()!r}|{event.get('SUMMARY', '')}"
    return "nouid-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def _is_skipped(event: Component) -> bool:
    status = str(event.get("STATUS", "")).upper()
    transparency = str(event.get("TRANSP", "")).upper()
    return status == "CANCELLED" or transparency == "TRANSPARENT"


def parse_blocks(
    data: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    default_zone: ZoneInfo,
    max_events: int = 5000,
) -> list[ImportedBlock]:
    """Busy blocks of the file overlapping [window_start, window_end), sorted.

    Recurring events are expanded, all-day events become local midnight to
    midnight in `default_zone`, cancelled and transparent events are left out.
    Each occurrence gets the UID "<event UID>@<UTC start ISO>".
    """
    if window_start.tzinfo is None or window_end.tzinfo is None:
        raise ValueError("the import window must be timezone-aware")
    try:
        return _parse(data, window_start, window_end, default_zone, max_events)
    except IcsImportError:
        raise
    except Exception as error:  # noqa: BLE001 - the contract: bad input never escapes otherwise
        raise IcsImportError("ics_malformed", f"{type(error).__name__}: {error}"[:200]) from error


def _parse(
    data: bytes,
    window_start: datetime,
    window_end: datetime,
    zone: ZoneInfo,
    max_events: int,
) -> list[ImportedBlock]:
    text = _decode(data)
    scan = _scan(_unfold(text))
    calendars = Calendar.from_ical(text, multiple=True)

    checked = 0
    for calendar in calendars:
        checked += len(_check_events(calendar, scan, checked, zone))
    event_count = sum(_drop_undated(calendar) for calendar in calendars)
    if event_count == 0:
        raise IcsImportError("ics_no_events", "the file contains no dated VEVENT")
    if event_count > max_events:
        raise IcsImportError("ics_too_many_events", f"{event_count} events > {max_events}")

    # All-day and floating events are compared by recurring_ical_events in the
    # zone of the query bounds; query a day wider and clip exactly below.
    query_start = window_start.astimezone(zone) - timedelta(days=1)
    query_end = window_end.astimezone(zone) + timedelta(days=1)
    blocks: list[ImportedBlock] = []
    for calendar in calendars:
        occurrences = recurring_ical_events.of(calendar).between(query_start, query_end)
        for occurrence in occurrences:
            block = _block(occurrence, zone, window_start, window_end)
            if block is not None:
                blocks.append(block)
        if len(blocks) > max_events:
            raise IcsImportError(
                "ics_too_many_events", f"more than {max_events} occurrences in the window"
            )
    blocks.sort(key=lambda b: (b.start, b.end, b.uid))
    return blocks


def _block(
    occurrence: Component, zone: ZoneInfo, window_start: datetime, window_end: datetime
) -> ImportedBlock | None:
    if _is_skipped(occurrence):
        return None
    span = _occurrence_span(occurrence, zone)
    if span is None:
        return None
    start, end = span
    if end <= start or end <= window_start or start >= window_end:
        return None
    uid = f"{_master_uid(occurrence)}@{start.isoformat()}"
    return ImportedBlock(uid=uid, start=start, end=end, summary=str(occurrence.get("SUMMARY", "")))
