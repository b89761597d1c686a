"""Pure view-models of the operator pages: the today board, the resource × time
timeline of a day, the week grid. No I/O: rows in, plain structures out, so the
layout rules are unit-tested without a database or a browser.

Times arrive as aware datetimes (UTC from the database) and are laid out in the
viewer's zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking.reservations.rules import CHECK_IN_EARLY
from booking.reservations.status import HOLDING, STATUS_LABELS, BookingStatus
from i18n.translations import N_

# CHECK_IN_EARLY and STATUS_LABELS are the reservations vocabulary's, re-exported for the
# operator pages that read them here with the view models.
__all__ = ["CHECK_IN_EARLY", "STATUS_LABELS", "WEEKDAYS", "Cell", "Timeline", "TimelineRow",
           "TodayBoard", "TodayItem", "WeekEntry", "WeekRow", "day_span", "day_timeline",
           "pack_lanes", "today_board", "today_item", "view_hours", "week_grid", "week_of"]

WEEKDAYS = [N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday")]


def day_span(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[local midnight, next local midnight) of ``day`` as aware datetimes."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


# --------------------------------------------------------------------------- today


@dataclass
class TodayItem:
    booking: dict[str, Any]
    can_check_in: bool = False
    can_check_out: bool = False
    can_decide: bool = False
    overdue: bool = False
    check_in_opens: datetime | None = None


@dataclass
class TodayBoard:
    pending: list[TodayItem] = field(default_factory=list)
    arriving: list[TodayItem] = field(default_factory=list)
    in_use: list[TodayItem] = field(default_factory=list)
    finished: list[TodayItem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"pending": len(self.pending), "arriving": len(self.arriving),
                "in_use": len(self.in_use), "finished": len(self.finished),
                "no_show": sum(1 for i in self.finished
                               if i.booking["status"] == BookingStatus.NO_SHOW)}


def today_item(booking: dict[str, Any], now: datetime,
               grace: timedelta = timedelta(minutes=15)) -> TodayItem:
    status = booking["status"]
    start, block_end = booking["start_at"], booking["block_end_at"]
    item = TodayItem(booking=booking)
    if status == BookingStatus.CONFIRMED:
        item.can_check_in = start - CHECK_IN_EARLY <= now < block_end
        item.overdue = now >= start + grace
        if now < start - CHECK_IN_EARLY:
            item.check_in_opens = start - CHECK_IN_EARLY
    elif status == BookingStatus.IN_USE:
        item.can_check_out = True
    elif status == BookingStatus.PENDING:
        item.can_decide = True
    return item


def today_board(bookings: Iterable[dict[str, Any]], now: datetime,
                grace_by_resource: dict[int, timedelta] | None = None) -> TodayBoard:
    """Today's bookings grouped by what the operator has to do with them."""
    board = TodayBoard()
    graces = grace_by_resource or {}
    for booking in sorted(bookings, key=lambda b: (b["start_at"], b["id"])):
        item = today_item(booking, now, graces.get(booking["resource"], timedelta(minutes=15)))
        status = booking["status"]
        if status == BookingStatus.PENDING:
            board.pending.append(item)
        elif status == BookingStatus.CONFIRMED:
            board.arriving.append(item)
        elif status == BookingStatus.IN_USE:
            board.in_use.append(item)
        else:
            board.finished.append(item)
    return board


# ------------------------------------------------------------------------ timeline


@dataclass
class Cell:
    kind: str  # "open" | "closed" | "booking" | "closure"
    span: int = 1
    item: dict[str, Any] | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass
class TimelineRow:
    resource: dict[str, Any]
    lanes: list[list[Cell]]


@dataclass
class Timeline:
    day: date
    columns: list[datetime]  # local start of each column
    step: timedelta
    rows: list[TimelineRow]
    now_column: int | None = None


def _slot_range(start: datetime, end: datetime, first: datetime, step: timedelta,
                count: int) -> tuple[int, int] | None:
    """The inclusive column indexes an interval touches, or None if outside the view."""
    view_end = first + step * count
    if end <= first or start >= view_end:
        return None
    lo = max(0, int((start - first) / step))
    hi = min(count - 1, int((end - first - timedelta(microseconds=1)) / step))
    return lo, hi


def pack_lanes(spans: Sequence[tuple[int, int]]) -> list[int]:
    """Greedy interval packing: the lane of each (first, last) column span, so that
    spans sharing a lane never share a column. Order of the input is kept."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][1]))
    lane_ends: list[int] = []
    lanes = [0] * len(spans)
    for index in order:
        first, last = spans[index]
        for lane, end in enumerate(lane_ends):
            if end < first:
                lane_ends[lane] = last
                lanes[index] = lane
                break
        else:
            lane_ends.append(last)
            lanes[index] = len(lane_ends) - 1
    return lanes


def view_hours(windows: Iterable[tuple[datetime, datetime]],
               items: Iterable[tuple[datetime, datetime]], day: date, zone: ZoneInfo,
               default: tuple[int, int] = (8, 20)) -> tuple[int, int]:
    """The whole local hours [first, last) that cover every opening window and item of the day."""
    day_start, day_end = day_span(day, zone)
    first, last = None, None
    for start, end in [*windows, *items]:
        start, end = max(start, day_start), min(end, day_end)
        if end <= start:
            continue
        lo = start.astimezone(zone)
        hi = end.astimezone(zone)
        lo_hour = lo.hour
        hi_hour = 24 if hi.date() > day else hi.hour + (1 if (hi.minute or hi.second) else 0)
        first = lo_hour if first is None else min(first, lo_hour)
        last = hi_hour if last is None else max(last, hi_hour)
    if first is None or last is None or last <= first:
        return default
    return first, last


def day_timeline(
    day: date, zone: ZoneInfo, resources: Sequence[dict[str, Any]],
    bookings: Iterable[dict[str, Any]], closures: Iterable[dict[str, Any]],
    windows: dict[int, list[tuple[datetime, datetime]]], *,
    step: timedelta = timedelta(minutes=30), now: datetime | None = None,
) -> Timeline:
    """Resources as rows, ``step``-long columns across the day's open hours.

    Bookings and closures become cells spanning the columns they touch; a pool's
    overlapping bookings go to extra lanes of the same row. Empty columns are
    "open" or "closed" by the resource's opening windows.
    """
    by_resource: dict[int, list[tuple[str, dict[str, Any]]]] = {r["id"]: [] for r in resources}
    for row in bookings:
        if row["resource"] in by_resource:
            by_resource[row["resource"]].append(("booking", row))
    for row in closures:
        if row["resource"] in by_resource:
            by_resource[row["resource"]].append(("closure", row))

    def span_of(kind: str, row: dict[str, Any]) -> tuple[datetime, datetime]:
        return (row["start_at"], row["block_end_at"] if kind == "booking" else row["end_at"])

    all_windows = [w for ws in windows.values() for w in ws]
    all_items = [span_of(k, r) for items in by_resource.values() for k, r in items]
    first_hour, last_hour = view_hours(all_windows, all_items, day, zone)
    day_start, _ = day_span(day, zone)
    first = day_start + timedelta(hours=first_hour)
    count = int(timedelta(hours=last_hour - first_hour) / step)
    columns = [(first + step * i).astimezone(zone) for i in range(count)]

    rows = []
    for resource in resources:
        open_cols = [False] * count
        for start, end in windows.get(resource["id"], []):
            touched = _slot_range(start, end, first, step, count)
            if touched:
                for i in range(touched[0], touched[1] + 1):
                    open_cols[i] = True
        placed = []
        for kind, row in by_resource[resource["id"]]:
            start, end = span_of(kind, row)
            touched = _slot_range(start, end, first, step, count)
            if touched:
                placed.append((kind, row, start, end, touched))
        lane_of = pack_lanes([p[4] for p in placed])
        lane_count = max(lane_of, default=0) + 1
        lanes = []
        for lane in range(lane_count):
            starts = {p[4][0]: p for p, lane_no in zip(placed, lane_of, strict=True)
                      if lane_no == lane}
            cells: list[Cell] = []
            column = 0
            while column < count:
                if column in starts:
                    kind, row, start, end, (lo, hi) = starts[column]
                    cells.append(Cell(kind=kind, span=hi - lo + 1, item=row,
                                      start=start.astimezone(zone), end=end.astimezone(zone)))
                    column = hi + 1
                else:
                    cells.append(Cell(kind="open" if open_cols[column] else "closed",
                                      start=columns[column]))
                    column += 1
            lanes.append(cells)
        rows.append(TimelineRow(resource=resource, lanes=lanes))

    now_column = None
    if now is not None:
        touched = _slot_range(now, now + timedelta(microseconds=1), first, step, count)
        now_column = touched[0] if touched else None
    return Timeline(day=day, columns=columns, step=step, rows=rows, now_column=now_column)


# ---------------------------------------------------------------------------- week


@dataclass
class WeekEntry:
    kind: str  # "booking" | "closure"
    item: dict[str, Any]
    start: datetime
    end: datetime


@dataclass
class WeekRow:
    resource: dict[str, Any]
    days: list[list[WeekEntry]]
    booked_hours: float = 0.0


def week_grid(days: Sequence[date], zone: ZoneInfo, resources: Sequence[dict[str, Any]],
              bookings: Iterable[dict[str, Any]],
              closures: Iterable[dict[str, Any]]) -> list[WeekRow]:
    """One row per resource, one cell per local day; an entry crossing midnight
    appears on every day it touches."""
    spans = [day_span(d, zone) for d in days]
    rows = {r["id"]: WeekRow(resource=r, days=[[] for _ in days]) for r in resources}
    entries = [("booking", b, b["start_at"], b["block_end_at"]) for b in bookings] + \
              [("closure", c, c["start_at"], c["end_at"]) for c in closures]
    for kind, item, start, end in sorted(entries, key=lambda e: e[2]):
        row = rows.get(item["resource"])
        if row is None:
            continue
        for index, (lo, hi) in enumerate(spans):
            if start < hi and end > lo:
                row.days[index].append(WeekEntry(kind, item, start.astimezone(zone),
                                                 end.astimezone(zone)))
                if kind == "booking" and item["status"] in HOLDING | {BookingStatus.COMPLETED}:
                    clipped = min(end, hi) - max(start, lo)
                    row.booked_hours += clipped.total_seconds() / 3600 * item.get("quantity", 1)
    return list(rows.values())
