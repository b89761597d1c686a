"""The words of a booking's life, declared once: statuses, their transitions, which of
them hold capacity, their labels; the waitlist's; and a series' modes and outcomes.

Tables, schemas, services, pages, operator views, e-mails and invites import these;
a status written as a string literal elsewhere is a bug waiting.
"""

from __future__ import annotations

from enum import StrEnum

from i18n import gettext
from i18n.translations import N_


class BookingStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    IN_USE = "in_use"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        """The status in the active language, as every page, e-mail and invite says it."""
        return gettext(STATUS_LABELS[self])

    @property
    def holds(self) -> bool:
        return self in HOLDING

    def may_become(self, target: BookingStatus | str) -> bool:
        return target in TRANSITIONS[self]


S = BookingStatus
# status -> statuses it may move to
TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    S.PENDING: frozenset({S.CONFIRMED, S.REJECTED, S.CANCELLED, S.EXPIRED}),
    S.CONFIRMED: frozenset({S.IN_USE, S.CANCELLED, S.NO_SHOW}),
    S.IN_USE: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
    S.NO_SHOW: frozenset(),
}
# The statuses in which a booking takes capacity over [start_at, block_end_at).
HOLDING: frozenset[BookingStatus] = frozenset({S.PENDING, S.CONFIRMED, S.IN_USE})
FINISHED: frozenset[BookingStatus] = frozenset(TRANSITIONS) - HOLDING
# A new SEQUENCE is sent to calendars when a booking becomes one of these.
RESCHEDULING: frozenset[BookingStatus] = frozenset({S.CONFIRMED, S.CANCELLED, S.REJECTED})

STATUS_LABELS: dict[BookingStatus, str] = {
    S.PENDING: N_("Pending approval"),
    S.CONFIRMED: N_("Confirmed"),
    S.IN_USE: N_("Checked in"),
    S.COMPLETED: N_("Completed"),
    S.CANCELLED: N_("Cancelled"),
    S.REJECTED: N_("Rejected"),
    S.EXPIRED: N_("Expired"),
    S.NO_SHOW: N_("No-show"),
}


def can_transition(current: str, target: str) -> bool:
    try:
        return BookingStatus(current).may_become(target)
    except ValueError:
        return False


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    PROMOTED = "promoted"
    CANCELLED = "cancelled"
    LAPSED = "lapsed"

    @property
    def label(self) -> str:
        return gettext(WAITLIST_LABELS[self])


WAITLIST_LABELS: dict[WaitlistStatus, str] = {
    WaitlistStatus.WAITING: N_("Waiting"),
    WaitlistStatus.PROMOTED: N_("Got the slot"),
    WaitlistStatus.CANCELLED: N_("Left the waitlist"),
    WaitlistStatus.LAPSED: N_("Lapsed"),
}


class SeriesMode(StrEnum):
    """What a series does when some occurrences cannot be booked."""

    ALL_OR_NOTHING = "all_or_nothing"
    SKIP_CONFLICTS = "skip_conflicts"


class OccurrenceOutcome(StrEnum):
    """What became of one occurrence of a series request (the API reports each)."""

    BOOKED = "booked"
    SKIPPED = "skipped"
    NOT_BOOKED = "not_booked"  # bookable, but an all-or-nothing series was refused


def status_label(code: str | None) -> str:
    """The label of a stored status code (a code the vocabulary lacks is shown as is)."""
    if not code:
        return ""
    try:
        return BookingStatus(code).label
    except ValueError:
        return code
