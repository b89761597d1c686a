"""Half-open UTC time intervals and set operations on lists of them.

Every interval is [start, end): an interval ending at 10:00 and one starting
at 10:00 touch but do not overlap. Instants are normalised to UTC on creation
so that comparisons and equality never depend on the zone a caller used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True, slots=True)
class Interval:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise ValueError("Interval.start must be timezone-aware")
        if self.end.tzinfo is None or self.end.utcoffset() is None:
            raise ValueError("Interval.end must be timezone-aware")
        if not self.start < self.end:
            raise ValueError(f"Interval start {self.start} is not before end {self.end}")
        # Equal instants in different zones must compare and hash equal.
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end

    def contains_instant(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and fuse overlapping or touching intervals."""
    ordered = sorted(intervals, key=lambda i: (i.start, i.end))
    merged: list[Interval] = []
    for item in ordered:
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            if item.end > last.end:
                merged[-1] = Interval(last.start, item.end)
        else:
            merged.append(item)
    return merged


def subtract(base: list[Interval], cuts: list[Interval]) -> list[Interval]:
    """The parts of `base` covered by no interval of `cuts` (merged result)."""
    remaining: list[Interval] = []
    merged_cuts = merge(cuts)
    first_cut = 0
    for piece in merge(base):
        # Pieces are sorted and disjoint, so cuts ending before this piece
        # can never touch a later one either.
        while first_cut < len(merged_cuts) and merged_cuts[first_cut].end <= piece.start:
            first_cut += 1
        cursor = piece.start
        for cut in merged_cuts[first_cut:]:
            if cut.start >= piece.end:
                break
            if cut.start > cursor:
                remaining.append(Interval(cursor, cut.start))
            cursor = max(cursor, cut.end)
            if cursor >= piece.end:
                break
        if cursor < piece.end:
            remaining.append(Interval(cursor, piece.end))
    return remaining


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """The instants covered by both `a` and `b` (merged result)."""
    left, right = merge(a), merge(b)
    result: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i].start, right[j].start)
        end = min(left[i].end, right[j].end)
        if start < end:
            result.append(Interval(start, end))
        # Advance whichever finishes first; the other may still meet the next one.
        if left[i].end <= right[j].end:
            i += 1
        else:
            j += 1
    return result
