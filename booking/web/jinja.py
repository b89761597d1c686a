"""Template helpers of the engineer pages: labels for codes and rules in plain words."""

from __future__ import annotations

from babel.dates import get_day_names
from jinja2 import Environment

from booking.accounts.roles import Role
from booking.reservations.status import WaitlistStatus, status_label
from booking.web import labels
from calendars.zones import zone_named
from i18n import active_locale
from platforms.choices import Category, ResourceKind, Tier, Unit


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
    )
