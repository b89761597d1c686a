"""A series exported as one VEVENT: RRULE in the resource's zone, EXDATE for the gaps."""

from __future__ import annotations

from datetime import timedelta

import recurring_ical_events
from icalendar import Calendar

from tests.support.resources import SHANGHAI, at, local_day


def next_monday():
    day = local_day(3)
    return day + timedelta(days=(7 - day.weekday()) % 7)


async def test_series_exports_rrule_and_exdates_that_expand_to_the_booked_local_dates(
        client, people, book, instrument, parse):
    engineer = await people.engineer()
    other = await people.engineer("globex")
    monday = next_monday()
    # Someone already holds the second Monday: the series skips it.
    taken = monday + timedelta(days=7)
    blocker = await client.post("/api/bookings", headers=other.headers, json={
        "resource_id": instrument, "start": at(taken, 7).isoformat(),
        "end": at(taken, 8).isoformat()})
    assert blocker.status_code == 201
    response = await client.post("/api/series", headers=engineer.headers, json={
        "resource_id": instrument, "start": at(monday, 7).isoformat(),
        "end": at(monday, 8).isoformat(), "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=4",
        "mode": "skip_conflicts"})
    assert response.status_code == 201, response.text
    series = response.json()
    statuses = [o["status"] for o in series["occurrences"]]
    assert statuses == ["booked", "skipped", "booked", "booked"]
    url = f"/api/series/{series['id']}/invite.ics"
    first = Calendar.from_ical((await client.get(url, headers=engineer.headers)).content)

    # The third Monday is cancelled later.
    third = series["occurrences"][2]["booking_id"]
    cancelled = await client.post(f"/api/bookings/{third}/cancel", headers=engineer.headers)
    assert cancelled.status_code == 200
    exported = await client.get(url, headers=engineer.headers)
    assert exported.status_code == 200
    calendar = parse(exported.content)
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == series["uid"]
    assert event["UID"] == first.walk("VEVENT")[0]["UID"]
    assert event["SEQUENCE"] > first.walk("VEVENT")[0]["SEQUENCE"]
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert "RRULE" in event and "EXDATE" in event
    occurrences = recurring_ical_events.of(calendar).between(monday, monday + timedelta(days=35))
    local = [o["DTSTART"].dt.astimezone(SHANGHAI) for o in occurrences]
    assert [(d.date(), d.hour) for d in local] == [
        (monday.date(), 7), ((monday + timedelta(days=21)).date(), 7)]
    assert all(d.weekday() == 0 for d in local)  # still Monday, not Sunday in UTC


async def test_series_of_another_enterprise_is_not_found(client, people, instrument):
    engineer = await people.engineer()
    monday = next_monday()
    series = (await client.post("/api/series", headers=engineer.headers, json={
        "resource_id": instrument, "start": at(monday, 7).isoformat(),
        "end": at(monday, 8).isoformat(), "rrule": "FREQ=DAILY;COUNT=2"})).json()
    stranger = await people.engineer("globex")
    response = await client.get(f"/api/series/{series['id']}/invite.ics",
                                headers=stranger.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "series_not_found"
