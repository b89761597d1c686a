"""A resource's booking rules as a value, and the pure checks that apply them.

Checks return a ``Violation`` (a stable code, a gettext msgid and its parameters)
instead of raising, so this layer needs no knowledge of HTTP or of the app's errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from calendars.intervals import Interval
from calendars.occupancy import is_aligned
from calendars.opening import WeeklyHours, is_within, open_windows
from calendars.zones import zone_named
from platforms.choices import ResourceKind, SlottedKind


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    message: str  # msgid with %(name)s placeholders
    params: dict[str, Any] = field(default_factory=dict)


# The range each booking rule may take: the API schema, the operator form and the reading
# of a stored row all use it. Every seed value fits; the upper ends keep each rule's
# timedelta and every date computed from it (now + max_advance) inside the calendar.
RULE_RANGES: dict[str, tuple[int, int]] = {
    "capacity": (1, 100_000),
    "slot_minutes": (1, 1440),
    "min_duration_minutes": (0, 43_200),
    "max_duration_minutes": (0, 43_200),
    "min_notice_minutes": (0, 525_600),
    "max_advance_days": (0, 3650),
    "buffer_minutes": (0, 1440),
    "cancel_cutoff_hours": (0, 8760),
    "no_show_grace_minutes": (0, 1440),
    "pending_hold_minutes": (0, 43_200),
    "quota_hours_per_week": (0, 100_000),
}


def within_range(name: str, value: int) -> int:
    """A stored rule read into its range, so a row written before the bounds existed
    still yields a usable policy (and the change that repairs it can be made)."""
    low, high = RULE_RANGES[name]
    return min(max(value, low), high)


@dataclass(frozen=True, slots=True)
class BookingPolicy:
    resource_id: int
    platform_id: int
    kind: str
    capacity: int
    zone: ZoneInfo
    slot: timedelta
    min_duration: timedelta
    max_duration: timedelta
    min_notice: timedelta
    max_advance: timedelta
    buffer: timedelta
    approval_required: bool
    cancel_cutoff: timedelta
    no_show_grace: timedelta
    pending_hold: timedelta
    quota_hours_per_week: int | None
    platform_quota_hours_per_week: int | None
    qualification_id: int | None
    active: bool
    hours: tuple[WeeklyHours, ...]

    @property
    def exclusive(self) -> bool:
        return self.kind == ResourceKind.INSTRUMENT

    @property
    def slotted(self) -> bool:
        return self.kind in tuple(SlottedKind)

    @classmethod
    def from_row(cls, row: dict[str, Any], hours: Iterable[dict[str, Any]]) -> BookingPolicy:
        minutes = timedelta(minutes=1)

        def rule(name: str) -> int:
            return within_range(name, row[name])

        quota = row["quota_hours_per_week"]
        return cls(
            resource_id=row["id"],
            platform_id=row["platform"],
            kind=row["kind"],
            capacity=rule("capacity"),
            zone=zone_named(row.get("timezone")),
            slot=rule("slot_minutes") * minutes,
            min_duration=rule("min_duration_minutes") * minutes,
            max_duration=rule("max_duration_minutes") * minutes,
            min_notice=rule("min_notice_minutes") * minutes,
            max_advance=timedelta(days=rule("max_advance_days")),
            buffer=rule("buffer_minutes") * minutes,
            approval_required=row["approval_required"],
            cancel_cutoff=timedelta(hours=rule("cancel_cutoff_hours")),
            no_show_grace=rule("no_show_grace_minutes") * minutes,
            pending_hold=rule("pending_hold_minutes") * minutes,
            quota_hours_per_week=None if quota is None
            else within_range("quota_hours_per_week", quota),
            platform_quota_hours_per_week=row.get("platform_quota_hours_per_week"),
            qualification_id=row["qualification"],
            active=row["active"],
            hours=tuple(
                WeeklyHours(weekday=h["weekday"], opens=h["opens"], closes=h["closes"])
                for h in hours
            ),
        )


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def check_shape(
    policy: BookingPolicy, start: datetime, end: datetime, quantity: int, now: datetime,
    *, by_operator: bool = False,
) -> Violation | None:
    """Everything decidable from the request and the rules alone."""
    if not policy.active:
        return Violation("resource_inactive", "This resource cannot be booked at the moment.")
    if not policy.slotted:
        return Violation("not_slotted",
                         "This is a service: it is ordered, not booked in time slots.")
    if end <= start:
        return Violation("invalid_interval", "The end must be after the start.")
    if quantity < 1 or (policy.exclusive and quantity != 1):
        return Violation("invalid_quantity", "An instrument is booked one at a time.") \
            if policy.exclusive else Violation("invalid_quantity", "Book at least one unit.")
    if quantity > policy.capacity:
        return Violation("quantity_exceeds_capacity",
                         "At most %(capacity)s units can be booked.",
                         {"capacity": policy.capacity})
    if not (is_aligned(start, policy.slot, policy.zone) and is_aligned(end, policy.slot, policy.zone)):
        return Violation("misaligned",
                         "Start and end must fall on the %(minutes)s-minute grid.",
                         {"minutes": _minutes(policy.slot)})
    duration = end - start
    if duration < policy.min_duration:
        return Violation("too_short", "The booking must last at least %(minutes)s minutes.",
                         {"minutes": _minutes(policy.min_duration)})
    if duration > policy.max_duration:
        return Violation("too_long", "The booking may last at most %(minutes)s minutes.",
                         {"minutes": _minutes(policy.max_duration)})
    if start < now:
        return Violation("in_the_past", "The slot has already begun.")
    if not by_operator:
        if start - now < policy.min_notice:
            return Violation("notice_too_short",
                             "Book at least %(minutes)s minutes before the start.",
                             {"minutes": _minutes(policy.min_notice)})
        if start - now > policy.max_advance:
            return Violation("too_far_ahead", "Bookings open %(days)s days ahead.",
                             {"days": policy.max_advance.days})
    return None


def check_opening(policy: BookingPolicy, interval: Interval) -> Violation | None:
    windows = open_windows(policy.hours, interval.start, interval.end, policy.zone)
    if not is_within(interval, windows):
        return Violation("outside_opening_hours", "The slot is outside the opening hours.")
    return None


def check_closures(interval: Interval, closures: Iterable[Interval]) -> Violation | None:
    for closure in closures:
        if closure.overlaps(interval):
            return Violation("resource_closed",
                             "The resource is closed for maintenance or a holiday then.")
    return None


def local_week_start(moment: datetime, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=zone)


def weeks_touched(interval: Interval, zone: ZoneInfo) -> list[Interval]:
    """The local Monday-to-Monday weeks an interval touches, as UTC intervals."""
    weeks = []
    cursor = local_week_start(interval.start, zone)
    while cursor < interval.end:
        nxt = datetime.combine(cursor.date() + timedelta(days=7), time(0), tzinfo=zone)
        weeks.append(Interval(cursor, nxt))
        cursor = nxt
    return weeks


def unit_hours(intervals: Iterable[tuple[Interval, int]], within: Interval) -> float:
    """Booked unit-hours (duration × quantity) falling inside ``within``."""
    total = 0.0
    for interval, quantity in intervals:
        start, end = max(interval.start, within.start), min(interval.end, within.end)
        if end > start:
            total += (end - start).total_seconds() / 3600 * quantity
    return total
