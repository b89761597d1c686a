"""A resource's rules in plain words, and the label of any code.

The vocabularies themselves are declared once elsewhere (booking statuses and the
waitlist's in ``booking.reservations.status``, roles in ``booking.accounts.roles``,
tiers, units, kinds and categories in ``platforms.choices``); the names below are
those vocabularies under the short names pages have used.
"""

from __future__ import annotations

from enum import StrEnum

from booking.accounts.roles import Role
from booking.reservations.status import BookingStatus, WaitlistStatus
from i18n import gettext, ngettext
from platforms.choices import BillingBasis, Category, ResourceKind, Tier, Unit

STATUS = BookingStatus
WAITLIST = WaitlistStatus
ROLE = Role
KIND = ResourceKind
TIER = Tier
UNIT = Unit
CATEGORY = Category


def label(vocabulary: type[StrEnum], code: str | None) -> str:
    """The translated label of ``code`` in ``vocabulary``, or the code itself when the
    vocabulary lacks it (a category added to the data before its label, say)."""
    if not code:
        return ""
    try:
        return vocabulary(code).label  # type: ignore[attr-defined]
    except ValueError:
        return code


def _minutes_text(minutes: int) -> str:
    if minutes and minutes % 1440 == 0:
        return ngettext("%(num)s day", "%(num)s days", minutes // 1440)
    if minutes and minutes % 60 == 0:
        return ngettext("%(num)s hour", "%(num)s hours", minutes // 60)
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


def rules_in_words(row: dict) -> list[str]:
    """A slotted resource's booking policy as sentences in the viewer's language."""
    if row["kind"] == ResourceKind.SERVICE:
        return [gettext("This is a service: it is ordered, not booked in time slots.")]
    lines = [
        gettext("Bookings start and end in steps of %(step)s and last from %(min)s to %(max)s.",
                step=_minutes_text(row["slot_minutes"]),
                min=_minutes_text(row["min_duration_minutes"]),
                max=_minutes_text(row["max_duration_minutes"])),
    ]
    if row["min_notice_minutes"]:
        lines.append(gettext("Book at least %(notice)s ahead, and at most %(days)s days ahead.",
                             notice=_minutes_text(row["min_notice_minutes"]),
                             days=row["max_advance_days"]))
    else:
        lines.append(gettext("Book up to %(days)s days ahead.", days=row["max_advance_days"]))
    if row["buffer_minutes"]:
        lines.append(gettext("%(buffer)s are kept free between bookings for changeover.",
                             buffer=_minutes_text(row["buffer_minutes"])))
    if row["approval_required"]:
        lines.append(gettext("An operator approves each booking; until then it is pending."))
    cancel = gettext("Cancel free of charge up to %(hours)s hours before the start.",
                     hours=row["cancel_cutoff_hours"])
    if row["late_cancel_percent"]:
        cancel += " " + gettext("Later cancellations are charged %(percent)s%% of the cost.",
                                percent=row["late_cancel_percent"])
    lines.append(cancel)
    if row["no_show_percent"]:
        lines.append(gettext("Not checking in within %(grace)s counts as a no-show, charged "
                             "%(percent)s%% of the cost.",
                             grace=_minutes_text(row["no_show_grace_minutes"]),
                             percent=row["no_show_percent"]))
    if row.get("quota_hours_per_week"):
        lines.append(gettext("Each enterprise may book at most %(hours)s hours a week.",
                             hours=row["quota_hours_per_week"]))
    if row.get("billing_basis") == BillingBasis.BOOKED:
        lines.append(gettext("The booked time is billed, whatever is used."))
    else:
        lines.append(gettext("The time actually used (check-in to check-out) is billed."))
    return lines
