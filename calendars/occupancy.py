"""Occupancy arithmetic: peaks of pooled bookings, free capacity, free slots.

Pools (EDA seats, cleanroom places) care about the total quantity booked at
any one instant, which is not the number of overlapping pairs: three bookings
that overlap only two at a time never occupy three units. Everything is
half-open, so a booking ending at 10:00 frees its units for one starting at
10:00.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from calendars.intervals import Interval, merge, subtract


def _clipped_deltas(
    bookings: Iterable[tuple[Interval, int]], within: Interval
) -> dict[datetime, int]:
    """Quantity changes at each instant, for the parts of bookings inside `within`."""
    deltas: dict[datetime, int] = defaultdict(int)
    for interval, quantity in bookings:
        if quantity < 0:
            raise ValueError(f"booked quantity must not be negative, got {quantity}")
        if quantity == 0 or not interval.overlaps(within):
            continue
        deltas[max(interval.start, within.start)] += quantity
        deltas[min(interval.end, within.end)] -= quantity
    return deltas


def peak_units(bookings: Iterable[tuple[Interval, int]], within: Interval) -> int:
    """The largest total quantity booked at any single instant inside `within`."""
    level = peak = 0
    # Summing all changes at one instant before measuring is what makes the
    # sweep half-open: an end and a start at 10:00 cancel out.
    for _, delta in sorted(_clipped_deltas(bookings, within).items()):
        level += delta
        peak = max(peak, level)
    return peak


def free_units_profile(
    bookings: Iterable[tuple[Interval, int]], capacity: int, windows: list[Interval]
) -> list[tuple[Interval, int]]:
    """Free units over the open windows, as consecutive pieces.

    Adjacent pieces with the same value are fused; pieces with 0 free units are
    kept so a UI can show "full". An over-booked piece reports 0, not a
    negative number, because free units cannot be negative.
    """
    booked = list(bookings)
    profile: list[tuple[Interval, int]] = []
    for window in merge(windows):
        deltas = _clipped_deltas(booked, window)
        cuts = sorted(set(deltas) | {window.start, window.end})
        level = 0
        for piece_start, piece_end in pairwise(cuts):
            level += deltas.get(piece_start, 0)
            free = max(capacity - level, 0)
            piece = Interval(piece_start, piece_end)
            if profile and profile[-1][1] == free and profile[-1][0].end == piece.start:
                profile[-1] = (Interval(profile[-1][0].start, piece.end), free)
            else:
                profile.append((piece, free))
    return profile


def free_intervals(
    busy: Iterable[Interval], windows: list[Interval], buffer: timedelta = timedelta(0)
) -> list[Interval]:
    """Free time of an exclusive instrument: windows minus buffered busy intervals.

    The buffer (cleaning, cool-down, changeover) is added on both sides of each
    busy interval, so it also keeps a new booking from ending right before one.
    """
    if buffer < timedelta(0):
        raise ValueError("buffer must not be negative")
    widened = [Interval(item.start - buffer, item.end + buffer) for item in busy]
    return subtract(windows, widened)


def _wall_offset(moment: datetime, zone: ZoneInfo) -> tuple[datetime, timedelta]:
    """Local naive midnight of `moment`'s local date and the wall-clock time since."""
    local = moment.astimezone(zone).replace(tzinfo=None)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight, local - midnight


def _check_granularity(granularity: timedelta) -> None:
    if granularity <= timedelta(0):
        raise ValueError("granularity must be positive")


def is_aligned(moment: datetime, granularity: timedelta, zone: ZoneInfo) -> bool:
    """Whether `moment` is on the local wall-clock grid that restarts at midnight.

    The grid is wall-clock, not elapsed time: on a DST day 03:00 is on a 90-minute
    grid (00:00, 01:30, 03:00) even though only two real hours passed since
    midnight, because that is the grid the user sees.
    """
    _check_granularity(granularity)
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    _, since_midnight = _wall_offset(moment, zone)
    return since_midnight % granularity == timedelta(0)


def _existing_instants(naive_local: datetime, zone: ZoneInfo) -> list[datetime]:
    """UTC instants showing `naive_local` on the wall: none in a gap, two in a fold."""
    instants: set[datetime] = set()
    for fold in (0, 1):
        candidate = naive_local.replace(tzinfo=zone, fold=fold)
        instant = candidate.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == naive_local:
            instants.add(instant)
    return sorted(instants)


def next_aligned(moment: datetime, granularity: timedelta, zone: ZoneInfo) -> datetime:
    """The first instant at or after `moment` on the local wall-clock grid (UTC).

    Grid points are walked in wall-clock order from local midnight because, in
    a fall-back fold, a later wall time (02:30, first pass) can be an earlier
    instant than an earlier wall time (02:00, second pass). The earliest pass
    of each wall time grows monotonically, which tells us when to stop.
    """
    _check_granularity(granularity)
    moment = moment.astimezone(UTC)
    day, _ = _wall_offset(moment, zone)
    best: datetime | None = None
    while True:
        candidate = day
        while candidate.date() == day.date():
            instants = _existing_instants(candidate, zone)
            if instants:
                if best is not None and instants[0] > best:
                    return best
                for instant in instants:
                    if instant >= moment and (best is None or instant < best):
                        best = instant
            candidate += granularity
        if best is not None:
            return best
        # The grid restarts at every local midnight.
        day += timedelta(days=1)


def earliest_fit(
    free: list[Interval],
    duration: timedelta,
    after: datetime,
    granularity: timedelta,
    zone: ZoneInfo,
) -> Interval | None:
    """The earliest aligned [s, s + duration) inside one free interval, s >= after."""
    if duration <= timedelta(0):
        raise ValueError("duration must be positive")
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    for span in merge(free):
        if span.end - duration < after:
            continue
        start = next_aligned(max(span.start, after), granularity, zone)
        if start + duration <= span.end:
            return Interval(start, start + duration)
    return None
