"""Reading operator form fields: local date-times, whole numbers, opening-hour spans.

Every parser raises ``RuleViolation`` with a gettext msgid, so a page shows the
message next to the form and nothing is written.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from booking.errors import RuleViolation
from calendars.zones import as_instant

_SPAN = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})$")


def parse_local_datetime(text: str | None, zone: ZoneInfo, field: str) -> datetime:
    """``2026-11-27T09:00`` (what ``<input type=datetime-local>`` sends) as wall-clock
    time in ``zone`` (the resource's), as an aware UTC instant."""
    value = (text or "").strip().replace(" ", "T")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RuleViolation("invalid_datetime", "Enter a valid date and time for %(field)s.",
                            params={"field": field}) from None
    return as_instant(moment, zone)


def parse_day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return default


def parse_whole(text: str | None, field: str, *, optional: bool = False,
                minimum: int = 0, maximum: int = 10_000_000) -> int | None:
    value = (text or "").strip()
    if not value:
        if optional:
            return None
        raise RuleViolation("value_required", "Enter a value for %(field)s.",
                            params={"field": field})
    if not value.isdigit() or not minimum <= int(value) <= maximum:
        raise RuleViolation("invalid_whole_number",
                            "%(field)s must be a whole number from %(minimum)s to %(maximum)s.",
                            params={"field": field, "minimum": minimum, "maximum": maximum})
    return int(value)


def _wall(hour: str, minute: str) -> time | None:
    h, m = int(hour), int(minute)
    if h == 24 and m == 0:
        return time(0)
    if 0 <= h <= 23 and 0 <= m <= 59:
        return time(h, m)
    return None


def parse_spans(text: str | None) -> list[tuple[time, time]]:
    """``08:30-12:00, 13:00-21:00`` → two spans; empty means closed that day.
    ``24:00`` (or ``00:00`` as a closing time) means midnight at the end of the day."""
    spans: list[tuple[time, time]] = []
    for piece in re.split(r"[,，;；\s]+(?=\d)", (text or "").strip()):
        piece = piece.strip().strip(",，;；")
        if not piece:
            continue
        match = _SPAN.match(piece)
        opens = _wall(match[1], match[2]) if match else None
        closes = _wall(match[3], match[4]) if match else None
        if not match or opens is None or closes is None or (closes != time(0) and closes <= opens):
            raise RuleViolation(
                "invalid_hours_text",
                "Write opening hours as 08:30-12:00, 13:00-21:00; "
                "each span must close after it opens.")
        spans.append((opens, closes))
    spans.sort()
    for (_, closes), (opens, _) in zip(spans, spans[1:], strict=False):
        if closes == time(0) or opens < closes:
            raise RuleViolation("overlapping_hours", "Opening spans of one day must not overlap.")
    return spans


def format_spans(spans: list[tuple[time, time]]) -> str:
    def wall(t: time, closing: bool) -> str:
        return "24:00" if closing and t == time(0) else t.strftime("%H:%M")

    return ", ".join(f"{wall(o, False)}-{wall(c, True)}" for o, c in spans)
