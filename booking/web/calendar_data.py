"""Gathering what a resource's week or day calendar shows, for the page and its htmx fragment."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from babel.dates import format_interval, format_skeleton
from litestar.plugins.htmx import HTMXRequest

from booking import clock
from booking.http.pages import viewer, viewer_zone
from booking.reservations.availability import availability
from booking.reservations.policies import policy_and_row
from booking.reservations.queries import visible_bookings
from booking.web import views
from calendars.intervals import Interval
from i18n import active_locale

VIEWS = ("week", "day")


def _day_labels(days: list[date]) -> list[str]:
    locale = active_locale()
    return [format_skeleton("MMMEd", day, locale=locale) for day in days]


def _range_label(days: list[date]) -> str:
    locale = active_locale()
    if len(days) == 1:
        return format_skeleton("yMMMEd", days[0], locale=locale)
    return format_interval(days[0], days[-1], "yMMMd", locale=locale)


async def calendar_context(request: HTMXRequest, resource: dict[str, Any], day: str | None,
                           view: str | None) -> dict[str, Any]:
    view = view if view in VIEWS else "week"
    zone = viewer_zone(request)
    principal = viewer(request)
    moment = clock.now()
    today = moment.astimezone(zone).date()
    anchor = views.parse_day(day, today)
    days = views.view_days(anchor, view)
    window = Interval(datetime.combine(days[0], time(0), tzinfo=zone),
                      datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=zone))
    policy, _ = await policy_and_row(resource["id"])
    info = await availability(resource["id"], window)
    mine: list[Interval] = []
    if principal is not None:
        rows = await visible_bookings(principal, resource_id=resource["id"], start=window.start,
                                      end=window.end, mine_only=True,
                                      statuses=list(views.HOLDING))
        mine = [Interval(r["start_at"], r["end_at"]) for r in rows]
    can_book = bool(principal and principal.can_book)
    grid = views.build_grid(
        days=days, zone=zone, slot=policy.slot, windows=info["open"],
        closures=info["closures"], free=info["free"], units=info.get("units"),
        mine=mine, earliest=moment + policy.min_notice, latest=moment + policy.max_advance,
        can_book=can_book,
    )
    step = timedelta(days=1 if view == "day" else 7)
    return {
        "resource": resource, "grid": grid, "view": view, "anchor": anchor,
        "day_labels": _day_labels(days), "range_label": _range_label(days),
        "prev_day": (anchor - step).isoformat(), "next_day": (anchor + step).isoformat(),
        "today": today.isoformat(), "zone": zone, "resource_zone": policy.zone,
        "can_book": can_book, "logged_in": principal is not None,
        "is_pool": not policy.exclusive,
    }
