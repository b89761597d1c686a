"""A booking series as one VEVENT: RRULE from its first occurrence, EXDATEs for gaps.

The rule is written in the resource's zone, because that is the zone it was
expanded in when booked: a Monday 07:00 Shanghai series is a Sunday series in
UTC and would land on the wrong day if written in another zone. An occurrence is
excluded when it was skipped at booking time or has since been cancelled,
rejected or expired (or moved away: the moved booking has its own invite).
"""

from __future__ import annotations

from typing import Any

from booking.accounts.permissions import Can
from booking.accounts.principal import Principal
from booking.clock import now
from booking.errors import NotFound
from booking.invites import content
from booking.invites.feeds import SHOWN_STATUSES
from booking.reservations.access import may
from booking.reservations.policies import policy_and_row
from booking.reservations.series import MAX_OCCURRENCES, series_bookings
from booking.reservations.tables import Series
from calendars.ical import EventData, build_calendar
from calendars.recurrence import RecurrenceError, expand_series
from i18n import gettext, use_locale
from i18n.translations import localized


async def series_calendar(principal: Principal, series_id: int, *, base_url: str,
                          locale: str) -> bytes:
    series = await Series.select().where(Series.id == series_id).first()
    if series is None:
        raise NotFound("series_not_found", "No such series.")
    policy, _ = await policy_and_row(series["resource"])
    owner = {"platform": policy.platform_id, "enterprise": series["enterprise"],
             "account": series["account"]}
    if not may(principal, Can.VIEW_BOOKINGS, owner):
        raise NotFound("series_not_found", "No such series.")
    bookings = await series_bookings(series_id)
    zone = policy.zone
    try:
        occurrences = expand_series(series["rrule"], series["first_start_at"],
                                    series["first_end_at"], zone, max_count=MAX_OCCURRENCES)
    except RecurrenceError as exc:  # a stored rule was valid when booked; stay safe anyway
        raise NotFound("series_not_found", "No such series.") from exc
    taking_place = {b["start_at"] for b in bookings if b["status"] in SHOWN_STATUSES}
    exdates = [o.start for o in occurrences if o.start not in taking_place]
    directory = await content.Directory.load(bookings or [_placeholder(series, policy)])
    first = bookings[0] if bookings else _placeholder(series, policy)
    resource = directory.resource(first)
    with use_locale(locale):
        name = localized(resource, "name")
        lines = [
            gettext("Resource: %(resource)s", resource=name),
            gettext("Repeats: %(rule)s (times in %(zone)s)", rule=series["rrule"],
                    zone=zone.key),
            gettext("Series number: %(id)s", id=series_id),
        ]
        if bookings:
            lines.append(gettext("Details and changes: %(url)s",
                                 url=content.booking_url(base_url, bookings[0]["id"])))
        data = EventData(
            uid=series["uid"], sequence=series["sequence"], start=series["first_start_at"],
            end=series["first_end_at"], summary=gettext("Booking series: %(resource)s",
                                                        resource=name),
            description="\n".join(lines),
            location=content.location_text(resource, directory.platform(first)),
            url=content.booking_url(base_url, bookings[0]["id"]) if bookings else None,
            status="CONFIRMED" if taking_place else "CANCELLED",
            rrule=series["rrule"], exdates=exdates,
            last_modified=max((b["updated_at"] for b in bookings), default=None),
        )
    return build_calendar([data], method="PUBLISH", zone=zone, dtstamp=now(),
                          language=content.language_tag(locale))


def _placeholder(series: dict[str, Any], policy) -> dict[str, Any]:
    return {"resource": series["resource"], "platform": policy.platform_id,
            "account": series["account"], "enterprise": series["enterprise"]}
