"""iCalendar generation (RFC 5545 / 5546 / 7986) with the `icalendar` library.

One function builds every calendar Parkbench sends out: invites (REQUEST),
cancellations (CANCEL) and subscribed feeds (PUBLISH). Times are written in
the resource's zone with a TZID and a matching VTIMEZONE, so clients show the
wall-clock time the booking was made for; DTSTAMP and LAST-MODIFIED are UTC as
RFC 5545 requires. icalendar does the escaping and folds lines at 75 octets
without splitting UTF-8 characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    vCalAddress,
    vDuration,
    vRecur,
    vText,
)

PRODID = "-//Parkbench//Parkbench//EN"

Method = Literal["PUBLISH", "REQUEST", "CANCEL"]
Status = Literal["CONFIRMED", "TENTATIVE", "CANCELLED"]


@dataclass
class EventData:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str | None = None
    status: Status = "CONFIRMED"
    organizer_email: str | None = None
    organizer_name: str | None = None
    attendee_email: str | None = None
    attendee_name: str | None = None
    alarm_minutes_before: int | None = 30
    rrule: str | None = None
    exdates: list[datetime] = field(default_factory=list)
    transparent: bool = False
    last_modified: datetime | None = None
    categories: list[str] = field(default_factory=list)


def event_for_busy_block(
    uid: str, start: datetime, end: datetime, dtstamp: datetime, summary: str
) -> EventData:
    """An anonymous busy block for public free/busy feeds: no people, no alarm."""
    return EventData(
        uid=uid,
        sequence=0,
        start=start,
        end=end,
        summary=summary,
        alarm_minutes_before=None,
        transparent=False,
        last_modified=dtstamp,
    )


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


@lru_cache(maxsize=64)
def _vtimezone_ical(zone_key: str, first_year: int, last_year: int) -> bytes:
    # Building a VTIMEZONE probes the zone's offsets over the whole range, so it
    # is cached; the range is limited to the years in use to keep feeds small.
    timezone = Timezone.from_tzid(
        zone_key, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )
    return timezone.to_ical()


def _vtimezone(zone: ZoneInfo, events: Sequence[EventData], dtstamp: datetime) -> Timezone:
    years = [dtstamp.astimezone(zone).year]
    for event in events:
        years += [event.start.astimezone(zone).year, event.end.astimezone(zone).year]
    # Series may run past their first occurrence; leave room for a long one.
    last_year = max(years) + (11 if any(e.rrule for e in events) else 2)
    return Timezone.from_ical(_vtimezone_ical(zone.key, min(years) - 1, last_year))


def _address(email: str, name: str | None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def _text(value: str, language: str | None) -> vText:
    text = vText(value)
    if language:
        text.params["LANGUAGE"] = language
    return text


def _vevent(
    data: EventData, method: Method, zone: ZoneInfo, dtstamp: datetime, language: str | None
) -> Event:
    _require_aware(data.start, "start")
    _require_aware(data.end, "end")
    if data.end <= data.start:
        raise ValueError(f"event {data.uid} ends before it starts")
    if method in ("REQUEST", "CANCEL") and not data.organizer_email:
        # RFC 5546 requires an ORGANIZER in REQUEST and CANCEL; Outlook and
        # Gmail ignore the invite without one.
        raise ValueError(f"METHOD:{method} needs organizer_email (event {data.uid})")

    event = Event()
    event.add("uid", data.uid)
    event.add("sequence", data.sequence)
    event.add("dtstamp", dtstamp.astimezone(UTC))
    event.add("dtstart", data.start.astimezone(zone))
    event.add("dtend", data.end.astimezone(zone))
    event.add("summary", _text(data.summary, language))
    if data.location:
        event.add("location", _text(data.location, language))
    if data.description:
        event.add("description", _text(data.description, language))
    if data.url:
        event.add("url", data.url)
    # A cancellation must say so in the event itself, or clients keep it.
    event.add("status", "CANCELLED" if method == "CANCEL" else data.status)
    event.add("transp", "TRANSPARENT" if data.transparent else "OPAQUE")
    if data.organizer_email:
        event.add("organizer", _address(data.organizer_email, data.organizer_name))
    if data.attendee_email:
        attendee = _address(data.attendee_email, data.attendee_name)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "ACCEPTED" if method == "PUBLISH" else "NEEDS-ACTION"
        # Parkbench confirms bookings itself; a reply from the calendar client
        # would reach nobody.
        attendee.params["RSVP"] = "FALSE"
        event.add("attendee", attendee)
    if data.rrule:
        event.add("rrule", vRecur.from_ical(data.rrule.removeprefix("RRULE:")))
    if data.exdates:
        for exdate in data.exdates:
            _require_aware(exdate, "exdate")
        event.add("exdate", [exdate.astimezone(zone) for exdate in data.exdates])
    if data.last_modified is not None:
        _require_aware(data.last_modified, "last_modified")
        event.add("last-modified", data.last_modified.astimezone(UTC))
    if data.categories:
        event.add("categories", data.categories)
    # No reminder for something that no longer happens.
    if data.alarm_minutes_before is not None and method != "CANCEL":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", data.summary)
        alarm.add("trigger", timedelta(minutes=-data.alarm_minutes_before))
        event.add_component(alarm)
    return event


def vevent_bytes(
    data: EventData, *, method: Method, zone: ZoneInfo, dtstamp: datetime,
    language: str | None = None,
) -> bytes:
    """One VEVENT exactly as ``build_calendar`` writes it, for callers that store
    events one by one and assemble calendars later."""
    return _vevent(data, method, zone, dtstamp, language).to_ical()


def build_calendar(
    events: Sequence[EventData],
    *,
    method: Method,
    zone: ZoneInfo,
    dtstamp: datetime,
    calendar_name: str | None = None,
    refresh_interval: timedelta | None = None,
    language: str | None = None,
) -> bytes:
    """Serialise `events` as one VCALENDAR (CRLF, folded, UTF-8).

    `language` becomes the LANGUAGE parameter of the translated texts (summary,
    location, description, calendar name); the caller has translated them.
    """
    _require_aware(dtstamp, "dtstamp")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if calendar_name:
        # NAME is RFC 7986; X-WR-CALNAME is what Outlook and Google still read.
        calendar.add("name", _text(calendar_name, language))
        calendar.add("x-wr-calname", calendar_name)
    if refresh_interval is not None:
        # REFRESH-INTERVAL is RFC 7986; X-PUBLISHED-TTL is the Outlook spelling.
        calendar.add("refresh-interval", refresh_interval, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh_interval))
    calendar.add_component(_vtimezone(zone, events, dtstamp))
    for data in events:
        calendar.add_component(_vevent(data, method, zone, dtstamp, language))
    return calendar.to_ical()
