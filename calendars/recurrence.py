"""Expansion of booking series (RFC 5545 RRULE) in the resource's local time.

A weekly Monday 07:00 Asia/Shanghai series is a Sunday 23:00 series in UTC, so
rules are expanded with python-dateutil on naive local wall-clock times and
each occurrence is localised afterwards. Only bounded DAILY and WEEKLY rules
are accepted: a booking series must be finite and small enough to check.

dateutil applies BYMONTH and BYMONTHDAY as filters and, when no day ever
passes them (30 February), walks day by day to the year 9999 before giving up.
So dateutil only generates the unfiltered days up to a horizon, and the
filters are applied here: the work is bounded by the horizon, whatever the rule.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from calendars.intervals import Interval

if TYPE_CHECKING:
    from collections.abc import Callable

ALLOWED_FREQUENCIES = frozenset({"DAILY", "WEEKLY"})
# Parts that only filter or space out days. BYHOUR/BYMINUTE/BYSETPOS and friends
# would put several occurrences on one day, which a booking series cannot mean.
ALLOWED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST", "BYMONTH", "BYMONTHDAY"}
)
_WEEKDAY = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)$")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Above these a rule is a typo or an attack, not a plan: every 100,000 days is
# one booking per 274 years, and INTERVAL=0 would repeat one slot forever.
MAX_INTERVAL = {"DAILY": 366, "WEEKLY": 53}
# How far after the first occurrence a series may reach, operators included.
DEFAULT_MAX_SPAN = timedelta(days=5 * 366)
# Seven days a week for a little over the span: more generated days than a
# horizon of DEFAULT_MAX_SPAN can hold.
_MAX_GENERATED = 7 * 53 * 6
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
    if "INTERVAL" in parts:
        interval = parts["INTERVAL"]
        if not interval.isdigit() or not 1 <= int(interval) <= MAX_INTERVAL[parts["FREQ"]]:
            raise RecurrenceError(
                "invalid_rrule_interval",
                f"INTERVAL={interval[:20]} is not 1 to {MAX_INTERVAL[parts['FREQ']]}",
            )
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


def _int_list(parts: dict[str, str], key: str, valid: range) -> list[int]:
    values: list[int] = []
    for text in parts.get(key, "").split(",") if key in parts else []:
        try:
            value = int(text)
        except ValueError as error:
            raise RecurrenceError("invalid_rrule", f"{key} value {text[:20]!r}") from error
        if value == 0 or abs(value) not in valid:
            raise RecurrenceError("invalid_rrule", f"{key} value {text[:20]!r}")
        values.append(value)
    return values


def _day_filter(parts: dict[str, str]) -> Callable[[datetime], bool]:
    """The rule's filtering parts as a predicate on one generated day."""
    months = set(_int_list(parts, "BYMONTH", range(1, 13)))
    monthdays = _int_list(parts, "BYMONTHDAY", range(1, 32))
    # In a WEEKLY rule BYDAY chooses the days of each week (dateutil generates
    # them); in a DAILY rule it filters.
    weekdays = (
        {_WEEKDAYS.index(day) for day in parts["BYDAY"].split(",")}
        if parts["FREQ"] == "DAILY" and "BYDAY" in parts
        else set()
    )

    def keep(day: datetime) -> bool:
        if months and day.month not in months:
            return False
        if weekdays and day.weekday() not in weekdays:
            return False
        if monthdays:
            last = calendar.monthrange(day.year, day.month)[1]
            if day.day not in {d if d > 0 else last + 1 + d for d in monthdays}:
                return False
        return True

    return keep


def _generator(parts: dict[str, str], dtstart: datetime, until: datetime) -> rrule:
    """The rule without its filters, COUNT and UNTIL, ending at `until`."""
    dropped = {"BYMONTH", "BYMONTHDAY", "COUNT", "UNTIL"}
    if parts["FREQ"] == "DAILY":
        dropped.add("BYDAY")
    text = ";".join(f"{k}={v}" for k, v in parts.items() if k not in dropped)
    try:
        rule = rrulestr(text, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise RecurrenceError("invalid_rrule", str(error)) from error
    if not isinstance(rule, rrule):
        raise RecurrenceError("invalid_rrule", "expected a single RRULE")
    return rule.replace(until=until)


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
    max_span: timedelta = DEFAULT_MAX_SPAN,
) -> list[Interval]:
    """UTC intervals of every occurrence, the first one being [first_start, first_end).

    Each occurrence keeps the first one's wall-clock start and wall-clock
    duration. `first_start` must itself match the rule (RFC 5545 counts DTSTART
    as an occurrence while dateutil drops a non-matching one, so accepting it
    would make our series differ from what calendar clients show).
    `until_limit` rejects (code "series_beyond_limit") a series whose last
    occurrence ends after it, e.g. beyond the booking horizon; it is not
    silently truncated so the user never books fewer dates than asked.
    A series reaching more than `max_span` after its first start is refused
    ("series_beyond_horizon") for the same reason.
    """
    first = Interval(first_start, first_end)
    parts = _parse_parts(rrule)
    _validate_parts(parts, max_count)

    local_start = first.start.astimezone(zone).replace(tzinfo=None)
    wall_duration = first.end.astimezone(zone).replace(tzinfo=None) - local_start
    if wall_duration <= timedelta(0):
        raise RecurrenceError("invalid_rrule", "first occurrence has no wall-clock length")
    try:
        horizon = local_start + max_span
    except OverflowError as error:
        raise RecurrenceError("invalid_rrule", "the series starts too late") from error
    until = _local_until(parts["UNTIL"], zone) if "UNTIL" in parts else None
    wanted = min(int(parts["COUNT"]), max_count + 1) if "COUNT" in parts else max_count + 1
    keep = _day_filter(parts)
    generated = _generator(parts, local_start, min(until, horizon) if until else horizon)
    try:
        # The generator yields at least one day per INTERVAL, so the horizon
        # bounds the days looked at; islice is the backstop.
        walls = list(islice(
            (wall for wall in islice(iter(generated), _MAX_GENERATED) if keep(wall)), wanted
        ))
    except (ValueError, OverflowError) as error:
        raise RecurrenceError("invalid_rrule", str(error)) from error

    if len(walls) > max_count:
        raise RecurrenceError("series_too_long", f"more than {max_count} occurrences")
    if not walls:
        raise RecurrenceError("series_empty", "the rule yields no occurrence before the horizon")
    if ("COUNT" in parts and len(walls) < wanted) or (until is not None and until > horizon):
        raise RecurrenceError(
            "series_beyond_horizon", f"the series reaches beyond {max_span.days} days"
        )
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
