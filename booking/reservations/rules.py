"""Pure reservation rules: the state machine, who may act, cancellation terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.accounts.principal import Principal

# status -> statuses it may move to
TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"confirmed", "rejected", "cancelled", "expired"}),
    "confirmed": frozenset({"in_use", "cancelled", "no_show"}),
    "in_use": frozenset({"completed"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
    "rejected": frozenset(),
    "expired": frozenset(),
    "no_show": frozenset(),
}
HOLDING = frozenset({"pending", "confirmed", "in_use"})
# How early before the start an engineer may check in.
CHECK_IN_EARLY = timedelta(minutes=15)


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def can_see(principal: Principal, booking: dict) -> bool:
    if principal.is_park_admin or principal.operates(booking["platform"]):
        return True
    if principal.is_enterprise_admin and principal.enterprise_id == booking["enterprise"]:
        return True
    return booking["account"] == principal.id


def can_act_as_owner(principal: Principal, booking: dict) -> bool:
    """Cancel, move, check in/out: the booker, their enterprise admin, or an operator."""
    return can_see(principal, booking)


def can_operate(principal: Principal, booking: dict) -> bool:
    return principal.operates(booking["platform"])


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
    late = now >= cutoff_at and status != "pending" and not by_operator
    return CancellationTerms(late=late, cutoff_at=cutoff_at, fee_percent=late_percent if late else 0)


def may_check_in(start: datetime, block_end: datetime, now: datetime) -> bool:
    return start - CHECK_IN_EARLY <= now < block_end
