"""Operators import closures from .ics files: whole or not at all, idempotent, clear errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import icalendar
import recurring_ical_events

from platforms.tables import Closure
from tests.support.resources import SHANGHAI, at, local_day


def ics(*events: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Plan//EN", *events,
             "END:VCALENDAR", ""]
    return "\r\n".join(lines).encode()


def event(uid: str, start, end, summary: str, extra: str = "") -> str:
    fmt = "%Y%m%dT%H%M%S"
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20250101T000000Z",
             f"DTSTART;TZID=Asia/Shanghai:{start.strftime(fmt)}",
             f"DTEND;TZID=Asia/Shanghai:{end.strftime(fmt)}", f"SUMMARY:{summary}"]
    if extra:
        lines.append(extra)
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def plan() -> bytes:
    day = local_day(5)
    return ics(
        event("pm-1@plant", at(day, 8), at(day, 12), "真空泵保养\\, 换油"),
        event("weekly@plant", at(day + timedelta(days=1), 18), at(day + timedelta(days=1), 20),
              "Weekly calibration", "RRULE:FREQ=WEEKLY;COUNT=3"),
    )


async def post_file(client, person, resource_id: int, data: bytes, **params):
    return await client.post(f"/api/resources/{resource_id}/closures/import",
                             headers=person.headers, params=params,
                             files={"file": ("plan.ics", data, "text/calendar")})


async def test_import_creates_closures_with_recurrences_expanded(client, people, instrument):
    operator = await people.operator("mems")
    response = await post_file(client, operator, instrument, plan())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["occurrences"] == 4
    rows = await Closure.select().where(Closure.resource == instrument).order_by(Closure.start_at)
    local = [(r["start_at"].astimezone(SHANGHAI).date(), r["start_at"].astimezone(SHANGHAI).hour)
             for r in rows]
    day = local_day(5).date()
    assert local == [(day, 8), (day + timedelta(days=1), 18), (day + timedelta(days=8), 18),
                     (day + timedelta(days=15), 18)]
    assert rows[0]["reason"] == "真空泵保养, 换油"
    # The closure really blocks booking.
    engineer = await people.engineer()
    blocked = await client.post("/api/bookings", headers=engineer.headers, json={
        "resource_id": instrument, "start": at(local_day(5), 9).isoformat(),
        "end": at(local_day(5), 10).isoformat()})
    assert blocked.status_code in (409, 422)


async def test_reimport_updates_instead_of_duplicating(client, people, instrument):
    operator = await people.operator("mems")
    await post_file(client, operator, instrument, plan())
    again = await client.post(f"/api/resources/{instrument}/closures/import",
                              headers={**operator.headers, "Content-Type": "text/calendar"},
                              content=plan())
    assert again.status_code == 201
    assert again.json()["created"] == [] and len(again.json()["updated"]) == 4
    assert await Closure.count().where(Closure.resource == instrument) == 4


async def test_colliding_bookings_are_listed(client, people, book, instrument):
    engineer = await people.engineer()
    booking = await book(engineer, instrument, 9, 10, days_ahead=5)
    operator = await people.operator("mems")
    body = (await post_file(client, operator, instrument, plan())).json()
    assert [b["id"] for b in body["colliding_bookings"]] == [booking["id"]]


async def test_malformed_file_names_the_line_and_writes_nothing(client, people, instrument):
    operator = await people.operator("mems")
    good = plan().decode().split("\r\n")
    broken = good[:6] + ["THIS LINE HAS NO COLON"] + good[6:]
    response = await post_file(client, operator, instrument, "\r\n".join(broken).encode())
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "ics_malformed"
    assert body["line"] == 7
    assert "7" in body["message"]
    assert await Closure.count().where(Closure.resource == instrument) == 0
    # An empty body and a non-calendar file are refused as clearly.
    empty = await client.post(f"/api/resources/{instrument}/closures/import",
                              headers={**operator.headers, "Content-Type": "text/calendar"},
                              content=b"")
    assert empty.status_code == 422 and empty.json()["code"] == "file_required"
    text = await post_file(client, operator, instrument, b"hello\r\n")
    assert text.status_code == 422 and text.json()["line"] == 1


async def test_only_the_platforms_operators_may_import(client, people, instrument):
    engineer = await people.engineer()
    assert (await post_file(client, engineer, instrument, plan())).status_code == 403
    other = await people.operator("bio")
    response = await post_file(client, other, instrument, plan())
    assert response.status_code == 403
    assert await Closure.count().where(Closure.resource == instrument) == 0


def sample_files() -> list[Path]:
    roots = [Path(icalendar.__file__).parent, Path(recurring_ical_events.__file__).parent]
    return sorted(p for root in roots for p in root.rglob("*.ics"))


async def test_sample_calendars_import_or_are_refused_cleanly(client, people, instrument):
    # The two packages ship ~260 files; every 5th keeps this test to seconds while still
    # covering broken, recurring, all-day and time-zone samples of both packages.
    files = sample_files()
    assert len(files) > 100
    operator = await people.operator("mems")
    outcomes: dict[str, int] = {}
    for path in files[::5]:
        response = await post_file(client, operator, instrument, path.read_bytes())
        assert response.status_code in (201, 413, 422), (path, response.text)
        if response.status_code != 201:
            body = response.json()
            assert body["code"].startswith("ics_") and body["message"], (path, body)
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
    assert outcomes.get(422), outcomes  # some samples are deliberately broken
