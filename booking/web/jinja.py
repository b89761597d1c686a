"""Template helpers of the engineer pages: labels for codes and rules in plain words."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from jinja2 import Environment

from booking.web import labels
from i18n import active_locale


def weekday_name(weekday: int) -> str:
    """Monday = 0, in the active locale."""
    return get_day_names("wide", locale=active_locale())[weekday]


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Asia/Shanghai")
    except (KeyError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def install(env: Environment) -> None:
    env.filters["zoneinfo"] = zone_named
    env.globals.update(
        kind_label=lambda code: labels.label(labels.KIND, code),
        category_label=lambda code: labels.label(labels.CATEGORY, code),
        tier_label=lambda code: labels.label(labels.TIER, code),
        unit_label=lambda code: labels.label(labels.UNIT, code),
        status_label=lambda code: labels.label(labels.STATUS, code),
        role_label=lambda code: labels.label(labels.ROLE, code),
        waitlist_label=lambda code: labels.label(labels.WAITLIST, code),
        rules_in_words=labels.rules_in_words,
        weekday_name=weekday_name,
    )
