"""Expansion of booking series (RFC 5545 RRULE) in the resource's local time.

A weekly Monday 07:00 Asia/Shanghai series is a Sunday 23:00 series in UTC, so
rules are expanded with python-dateutil on naive local wall-clock times and
each occurrence is localised afterwards. Only bounded DAILY and WEEKLY rules
are accepted: a booking series must be finite and small enough to check.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from calendars.intervals import Interval

ALLOWED_FREQUENCIES = frozenset({"DAILY", "WEEKLY"})
# Parts that only filter or space out days. BYHOUR/BYMINUTE/BYSETPOS and friends
# would put several occurrences on one day, which a booking series cannot mean.
ALLOWED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST", "BYMONTH", "BYMONTHDAY"}
)
_WEEKDAY = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL_DATE = re.compile(r"^\d{8}$")
_UNTIL_DATETIME = re.compile(r"^(\d{8}T\d{6})(Z?)$")


class RecurrenceError(ValueError):
    """A series rule that cannot be booked; `code` is stable, `detail` is for logs."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def _parse_parts(value: str) -> dict[str, str]:
    text = value.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text:
        raise RecurrenceError("invalid_rrule", "empty rule")
    parts: dict[str, str] = {}
    for chunk in text.split(";"):
        key, sep, part_value = chunk.partition("=")
        key = key.strip().upper()
        if not sep or not key or not part_value.strip():
            raise RecurrenceError("invalid_rrule", f"malformed rule part {chunk!r}")
        if key in parts:
            raise RecurrenceError("invalid_rrule", f"rule part {key} given twice")
        parts[key] = part_value.strip().upper()
    return parts


def _validate_parts(parts: dict[str, str], max_count: int) -> None:
    if "FREQ" not in parts:
        raise RecurrenceError("invalid_rrule", "FREQ is required")
    if parts["FREQ"] not in ALLOWED_FREQUENCIES:
        raise RecurrenceError("unsupported_frequency", f"FREQ={parts['FREQ']}")
    unknown = set(parts) - ALLOWED_PARTS
    if unknown:
        raise RecurrenceError("unsupported_rrule_part", ", ".join(sorted(unknown)))
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError("invalid_rrule", "COUNT and UNTIL must not both be set")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise RecurrenceError("series_unbounded", "a series needs COUNT or UNTIL")
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit() or int(parts["COUNT"]) < 1:
            raise RecurrenceError("invalid_rrule", f"COUNT={parts['COUNT']}")
        if int(parts["COUNT"]) > max_count:
            raise RecurrenceError("series_too_long", f"COUNT={parts['COUNT']} exceeds {max_count}")
    if "BYDAY" in parts:
        # Ordinal weekdays (1MO, -1FR) are only meaningful for MONTHLY/YEARLY.
        for day in parts["BYDAY"].split(","):
            if not _WEEKDAY.match(day):
                raise RecurrenceError("invalid_rrule", f"BYDAY value {day!r}")


def _local_until(value: str, zone: ZoneInfo) -> datetime:
    """UNTIL as a naive local wall time, the form dateutil needs here."""
    if _UNTIL_DATE.match(value):
        # A date UNTIL is inclusive of the whole local day.
        day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        return datetime.combine(day, time.max)
    match = _UNTIL_DATETIME.match(value)
    if not match:
        raise RecurrenceError("invalid_rrule", f"UNTIL={value}")
    try:
        parsed = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S")
    except ValueError as error:
        raise RecurrenceError("invalid_rrule", f"UNTIL={value}") from error
    if match.group(2):
        return parsed.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    return parsed


def _build_rule(parts: dict[str, str], dtstart: datetime, zone: ZoneInfo) -> rrule:
    until = _local_until(parts["UNTIL"], zone) if "UNTIL" in parts else None
    without_until = ";".join(f"{k}={v}" for k, v in parts.items() if k != "UNTIL")
    try:
        rule = rrulestr(without_until, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise RecurrenceError("invalid_rrule", str(error)) from error
    if not isinstance(rule, rrule):
        raise RecurrenceError("invalid_rrule", "expected a single RRULE")
    return rule.replace(until=until) if until is not None else rule


def _localise(wall: datetime, zone: ZoneInfo) -> datetime:
    # fold=0: first pass of an ambiguous time; a time in a spring-forward gap
    # is read with the pre-gap offset, i.e. it moves one hour later.
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _occurrence(wall_start: datetime, wall_duration: timedelta, zone: ZoneInfo) -> Interval:
    start = _localise(wall_start, zone)
    end = _localise(wall_start + wall_duration, zone)
    if end <= start:
        # The whole occurrence fell into a spring-forward gap; keep its length.
        end = start + wall_duration
    return Interval(start, end)


def expand_series(
    rrule: str,
    first_start: datetime,
    first_end: datetime,
    zone: ZoneInfo,
    *,
    max_count: int = 366,
    until_limit: datetime | None = None,
) -> list[Interval]:
    """UTC intervals of every occurrence, the first one being [first_start, first_end).

    Each occurrence keeps the first one's wall-clock start and wall-clock
    duration. `first_start` must itself match the rule (RFC 5545 counts DTSTART
    as an occurrence while dateutil drops a non-matching one, so accepting it
    would make our series differ from what calendar clients show).
    `until_limit` rejects (code "series_beyond_limit") a series whose last
    occurrence ends after it, e.g. beyond the booking horizon; it is not
    silently truncated so the user never books fewer dates than asked.
    """
    first = Interval(first_start, first_end)
    parts = _parse_parts(rrule)
    _validate_parts(parts, max_count)

    local_start = first.start.astimezone(zone).replace(tzinfo=None)
    wall_duration = first.end.astimezone(zone).replace(tzinfo=None) - local_start
    if wall_duration <= timedelta(0):
        raise RecurrenceError("invalid_rrule", "first occurrence has no wall-clock length")
    rule = _build_rule(parts, local_start, zone)
    try:
        walls = list(islice(iter(rule), max_count + 1))
    except (ValueError, OverflowError) as error:
        raise RecurrenceError("invalid_rrule", str(error)) from error

    if not walls:
        raise RecurrenceError("series_empty", "the rule yields no occurrence")
    if len(walls) > max_count:
        raise RecurrenceError("series_too_long", f"more than {max_count} occurrences")
    if walls[0] != local_start:
        raise RecurrenceError(
            "start_not_in_rule", f"first occurrence {local_start} does not match the rule"
        )

    occurrences = [_occurrence(wall, wall_duration, zone) for wall in walls]
    if until_limit is not None and occurrences[-1].end > until_limit:
        raise RecurrenceError(
            "series_beyond_limit", f"last occurrence ends after {until_limit.isoformat()}"
        )
    return occurrences
