"""Weekly opening hours expanded into concrete UTC windows.

Opening hours are wall-clock times of the resource's zone, so they are
expanded per local date in that zone (a Monday 07:00 Asia/Shanghai window is
Sunday 23:00 UTC) and only then converted to UTC. This keeps them right across
DST changes in zones that have them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from calendars.intervals import Interval, merge

MIDNIGHT = time(0, 0)


@dataclass(frozen=True)
class WeeklyHours:
    """One opening span on one weekday; `closes == time(0)` means 24:00."""

    weekday: int  # 0 = Monday, as date.weekday()
    opens: time
    closes: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("opening hours are wall-clock times without tzinfo")
        # Overnight spans are expressed as two entries (until 24:00, from 00:00);
        # accepting closes < opens would silently hide typing mistakes.
        if self.closes != MIDNIGHT and self.closes <= self.opens:
            raise ValueError(f"closes {self.closes} must be after opens {self.opens}")


def first_clash(hours: Sequence[WeeklyHours]) -> tuple[WeeklyHours, WeeklyHours] | None:
    """Two spans of one weekday that share a minute (an identical pair included), or
    None. Spans are half-open, so 08:00-12:00 and 12:00-14:00 do not clash."""
    def minutes(moment: time, *, closing: bool = False) -> int:
        return 24 * 60 if closing and moment == MIDNIGHT else moment.hour * 60 + moment.minute

    ordered = sorted(hours, key=lambda h: (h.weekday, minutes(h.opens)))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.weekday == after.weekday and \
                minutes(after.opens) < minutes(before.closes, closing=True):
            return before, after
    return None


def local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date.

    fold=0 is used throughout: an ambiguous time takes its first occurrence and
    a time inside a spring-forward gap is read with the pre-gap offset (so 02:30
    in a skipped hour becomes 03:30 summer time).
    """
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def _window_for(day: date, entry: WeeklyHours, zone: ZoneInfo) -> Interval | None:
    start = local_instant(day, entry.opens, zone)
    if entry.closes == MIDNIGHT:
        end = local_instant(day + timedelta(days=1), MIDNIGHT, zone)
    else:
        end = local_instant(day, entry.closes, zone)
    # A span lying entirely inside a DST gap collapses to nothing.
    return Interval(start, end) if start < end else None


def open_windows(
    hours: Sequence[WeeklyHours], start: datetime, end: datetime, zone: ZoneInfo
) -> list[Interval]:
    """Opening windows inside [start, end) as merged UTC intervals."""
    span = Interval(start, end)
    by_weekday: dict[int, list[WeeklyHours]] = {}
    for entry in hours:
        by_weekday.setdefault(entry.weekday, []).append(entry)

    windows: list[Interval] = []
    day = span.start.astimezone(zone).date()
    last_day = span.end.astimezone(zone).date()
    while day <= last_day:
        for entry in by_weekday.get(day.weekday(), ()):
            window = _window_for(day, entry, zone)
            if window is None or not window.overlaps(span):
                continue
            windows.append(Interval(max(window.start, span.start), min(window.end, span.end)))
        day += timedelta(days=1)
    return merge(windows)


def is_within(interval: Interval, windows: list[Interval]) -> bool:
    """Whether `interval` lies completely inside a single (merged) window."""
    return any(window.contains(interval) for window in merge(windows))
