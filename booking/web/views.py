"""Pure view-model helpers for the engineer pages: no database, no HTTP.

The week grid is built from what ``booking.reservations.availability`` returns
(open windows, closures, free intervals or the free-units profile) and the
viewer's own bookings; everything here is unit-tested without the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.reservations.status import HOLDING
from calendars.intervals import Interval
from calendars.zones import as_instant

MIN_ROW = timedelta(minutes=30)
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Cell:
    start: datetime
    end: datetime
    state: str  # free | busy | full | closed | closure | past
    units: int | None = None  # pools: free units in this cell
    mine: bool = False
    bookable: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    label: time
    cells: list[Cell]


@dataclass(slots=True)
class Grid:
    days: list[date]
    rows: list[Row] = field(default_factory=list)
    step: timedelta = MIN_ROW
    whole_days: bool = False


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def parse_day(text: str | None, today: date) -> date:
    """A ``YYYY-MM-DD`` query value, or today when it is missing or malformed."""
    if not text:
        return today
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return today


def view_days(anchor: date, view: str) -> list[date]:
    if view == "day":
        return [anchor]
    monday = week_start(anchor)
    return [monday + timedelta(days=i) for i in range(7)]


def row_step(slot: timedelta) -> timedelta:
    """Rows follow the booking grid, but never finer than half an hour."""
    if slot >= DAY:
        return DAY
    step = slot
    while step < MIN_ROW:
        step += slot
    return step


def _local(day: date, wall: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, wall, tzinfo=zone)


def _row_span(days: list[date], windows: list[Interval], zone: ZoneInfo,
              step: timedelta) -> tuple[timedelta, timedelta]:
    """First and last offsets from local midnight that any open window reaches."""
    first, last = None, None
    for day in days:
        midnight = _local(day, time(0), zone)
        day_end = midnight + DAY
        for window in windows:
            lo, hi = max(window.start, midnight), min(window.end, day_end)
            if lo >= hi:
                continue
            a, b = lo.astimezone(zone) - midnight, hi.astimezone(zone) - midnight
            first = a if first is None else min(first, a)
            last = b if last is None else max(last, b)
    if first is None or last is None:
        first, last = timedelta(hours=8), timedelta(hours=18)
    step_s = int(step.total_seconds())
    first = timedelta(seconds=int(first.total_seconds()) // step_s * step_s)
    last = timedelta(seconds=-(-int(last.total_seconds()) // step_s) * step_s)
    return first, min(last, DAY)


def _covered(cell: Interval, intervals: list[Interval]) -> bool:
    return any(i.start <= cell.start and cell.end <= i.end for i in intervals)


def _overlaps(cell: Interval, intervals: list[Interval]) -> bool:
    return any(i.start < cell.end and cell.start < i.end for i in intervals)


def _min_units(cell: Interval, profile: list[tuple[Interval, int]]) -> int:
    pieces = [free for piece, free in profile if piece.overlaps(cell)]
    return min(pieces) if pieces else 0


def make_cell(cell: Interval, *, windows: list[Interval], closures: list[Interval],
              free: list[Interval], units: list[tuple[Interval, int]] | None,
              mine: list[Interval], earliest: datetime, latest: datetime,
              can_book: bool) -> Cell:
    own = _overlaps(cell, mine)
    free_units = None
    if not _covered(cell, windows):
        state = "closure" if _overlaps(cell, closures) else "closed"
    elif units is not None:
        free_units = _min_units(cell, units)
        state = "free" if free_units > 0 else "full"
    else:
        state = "free" if _covered(cell, free) else "busy"
    if state in ("free", "full", "busy") and cell.start < earliest:
        state = "past" if not own else state
    bookable = (can_book and state == "free" and earliest <= cell.start
                and cell.start < latest)
    return Cell(cell.start, cell.end, state, free_units, own, bookable)


def build_grid(*, days: list[date], zone: ZoneInfo, slot: timedelta,
               windows: list[Interval], closures: list[Interval], free: list[Interval],
               units: list[tuple[Interval, int]] | None, mine: list[Interval],
               earliest: datetime, latest: datetime, can_book: bool = True) -> Grid:
    """Rows of cells over ``days`` (local dates in ``zone``) at the booking granularity.

    ``windows`` are the open windows minus closures; ``free`` is the free time of an
    exclusive instrument; ``units`` is a pool's free-units profile (None for
    instruments); ``earliest``/``latest`` bound the starts the rules allow.
    """
    step = row_step(slot)
    grid = Grid(days=days, step=step, whole_days=step >= DAY)
    kwargs = dict(windows=windows, closures=closures, free=free, units=units, mine=mine,
                  earliest=earliest, latest=latest, can_book=can_book)
    if grid.whole_days:
        cells = []
        for day in days:
            start = _local(day, time(0), zone)
            cells.append(make_cell(Interval(start, _local(day + DAY, time(0), zone)), **kwargs))
        grid.rows.append(Row(time(0), cells))
        return grid
    first, last = _row_span(days, windows + closures, zone, step)
    offset = first
    while offset < last:
        cells = []
        for day in days:
            start = _local(day, time(0), zone) + offset
            cells.append(make_cell(Interval(start, start + step), **kwargs))
        label = (datetime.min + offset).time()
        grid.rows.append(Row(label, cells))
        offset += step
    return grid


def parse_local(text: str | None, zone: ZoneInfo) -> datetime | None:
    """A ``datetime-local`` form value (wall time in ``zone``), or an ISO time with offset,
    as an aware UTC instant."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return as_instant(moment, zone)


def local_input(moment: datetime, zone: ZoneInfo) -> str:
    """The value for a ``datetime-local`` input showing ``moment`` in ``zone``."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def default_end(start: datetime, slot: timedelta, min_duration: timedelta) -> datetime:
    return start + max(row_step(slot), min_duration)



def split_bookings(rows: list[dict], now: datetime) -> tuple[list[dict], list[dict]]:
    """(upcoming, past): upcoming are held and not yet over, soonest first."""
    upcoming = [r for r in rows if r["status"] in HOLDING and r["end_at"] > now]
    past = [r for r in rows if r not in upcoming]
    upcoming.sort(key=lambda r: r["start_at"])
    past.sort(key=lambda r: r["start_at"], reverse=True)
    return upcoming, past


def group_series(rows: list[dict]) -> list[tuple[int | None, list[dict]]]:
    """Keep order, but gather the occurrences of a series at its first appearance."""
    groups: list[tuple[int | None, list[dict]]] = []
    index: dict[int, int] = {}
    for row in rows:
        series = row.get("series")
        if series is None:
            groups.append((None, [row]))
        elif series in index:
            groups[index[series]][1].append(row)
        else:
            index[series] = len(groups)
            groups.append((series, [row]))
    return groups
