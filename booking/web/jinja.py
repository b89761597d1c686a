"""Template helpers shared by every page: labels for codes, rules in plain words, and the
vocabularies themselves, so templates compare against enum members."""

from __future__ import annotations

from babel.dates import get_day_names
from jinja2 import Environment

from booking.accounts.roles import Role
from booking.reservations.events import ChangeKind
from booking.reservations.status import BookingStatus, WaitlistStatus, status_label
from booking.web import labels
from calendars.zones import zone_named
from i18n import active_locale
from platforms.choices import BillingBasis, Category, ClosureKind, ResourceKind, Tier, Unit


def weekday_name(weekday: int) -> str:
    """Monday = 0, in the active locale."""
    return get_day_names("wide", locale=active_locale())[weekday]


def install(env: Environment) -> None:
    env.filters["zoneinfo"] = zone_named
    env.globals.update(
        kind_label=ResourceKind.label_of,
        category_label=Category.label_of,
        tier_label=Tier.label_of,
        unit_label=Unit.label_of,
        status_label=status_label,
        role_label=lambda code: labels.label(Role, code),
        waitlist_label=lambda code: labels.label(WaitlistStatus, code),
        rules_in_words=labels.rules_in_words,
        weekday_name=weekday_name,
        # Templates compare codes with the vocabulary's members, never with literals.
        BookingStatus=BookingStatus,
        WaitlistStatus=WaitlistStatus,
        ChangeKind=ChangeKind,
        Role=Role,
        ResourceKind=ResourceKind,
        ClosureKind=ClosureKind,
        Tier=Tier,
        Unit=Unit,
        BillingBasis=BillingBasis,
    )
