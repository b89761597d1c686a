"""Pure reservation rules: the requested interval, the check-in window, cancellation terms.
Prices and fee shares are computed by ``platforms.pricing``. Who may act is decided by
``booking.accounts.permissions``; the states and their transitions are declared in
``booking.reservations.status``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from booking.errors import RuleViolation
from booking.reservations.status import BookingStatus
from calendars.intervals import Interval

# How early before the start an engineer may check in.
CHECK_IN_EARLY = timedelta(minutes=15)


def requested_interval(start: datetime, end: datetime) -> Interval:
    """[start, end) in UTC, as every write takes it: aware times, end after start."""
    if start.tzinfo is None or end.tzinfo is None:
        raise RuleViolation("naive_time", "Times need a UTC offset.")
    if end <= start:
        raise RuleViolation("invalid_interval", "The end must be after the start.")
    return Interval(start.astimezone(UTC), end.astimezone(UTC))


@dataclass(frozen=True, slots=True)
class CancellationTerms:
    late: bool  # the late-cancellation share is charged to the enterprise
    cutoff_at: datetime
    fee_percent: int


def cancellation_terms(start: datetime, cutoff: timedelta, late_percent: int, now: datetime,
                       *, status: str, by_operator: bool) -> CancellationTerms:
    """What cancelling now costs. After the cutoff the late share is charged, except for
    a booking still awaiting approval, and never when an operator cancels (for
    maintenance, say): the enterprise did not choose that."""
    cutoff_at = start - cutoff
    late = now >= cutoff_at and status != BookingStatus.PENDING and not by_operator
    return CancellationTerms(late=late, cutoff_at=cutoff_at, fee_percent=late_percent if late else 0)


def may_check_in(start: datetime, block_end: datetime, now: datetime) -> bool:
    return start - CHECK_IN_EARLY <= now < block_end
