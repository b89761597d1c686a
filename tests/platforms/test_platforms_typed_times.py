"""One rule for typed times: a time without an offset is wall-clock time in the
resource's zone, on the API, the engineer pages and the operator forms alike, whatever
the zone of the person typing it; the daylight-saving decision is made once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.accounts import service as accounts
from booking.operator.forms import parse_local_datetime
from booking.reservations.schemas import with_zone
from booking.reservations.tables import Booking
from booking.settings import Settings
from booking.web.views import parse_local
from calendars.zones import DEFAULT_ZONE, DEFAULT_ZONE_NAME, as_instant, is_zone_name, zone_named
from platforms.tables import Closure
from tests.support.resources import local_day, make_resource
from tests.support.web_session import login, post_form

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = "America/New_York"


def test_the_park_zone_is_declared_once_and_shown_in_settings():
    assert DEFAULT_ZONE_NAME == "Asia/Shanghai" and DEFAULT_ZONE == SHANGHAI
    assert Settings().timezone == DEFAULT_ZONE_NAME


def test_zone_named_falls_back_to_the_park_zone():
    assert zone_named("Europe/Berlin") == BERLIN
    assert zone_named(None) == zone_named("") == zone_named("Mars/Olympus") == SHANGHAI
    assert zone_named("../etc/passwd") == SHANGHAI
    assert zone_named("Nowhere", default=BERLIN) == BERLIN
    assert is_zone_name("UTC") and not is_zone_name("Mars/Olympus") and not is_zone_name(None)


def test_a_naive_time_is_wall_clock_time_in_the_given_zone():
    moment = as_instant(datetime(2026, 12, 1, 9, 0), SHANGHAI)
    assert moment == datetime(2026, 12, 1, 1, 0, tzinfo=UTC) and moment.tzinfo is UTC
    typed_with_offset = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
    assert as_instant(typed_with_offset, SHANGHAI) == typed_with_offset


def test_daylight_saving_gap_and_fold_are_decided_once():
    # 02:30 never shows on a Berlin clock on 29 March 2026: read as 03:30 summer time.
    skipped = as_instant(datetime(2026, 3, 29, 2, 30), BERLIN)
    assert skipped == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert skipped.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)
    # 02:30 shows twice on 25 October 2026: the first one (summer time, UTC+2).
    repeated = as_instant(datetime(2026, 10, 25, 2, 30), BERLIN)
    assert repeated == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("wall", [datetime(2026, 3, 29, 2, 30), datetime(2026, 10, 25, 2, 30),
                                  datetime(2026, 12, 1, 9, 0)])
def test_every_path_reads_a_typed_time_by_the_same_rule(wall):
    expected = as_instant(wall, BERLIN)
    text = wall.strftime("%Y-%m-%dT%H:%M")
    assert with_zone(wall, BERLIN) == expected  # the JSON API
    assert parse_local(text, BERLIN) == expected  # the engineer pages
    assert parse_local_datetime(text, BERLIN, "x") == expected  # the operator forms


async def _operator_elsewhere(client, people):
    """A MEMS operator whose own zone is New York, logged in."""
    operator = await people.operator("mems")
    await accounts.update_preferences(operator.id, locale="en", timezone=NEW_YORK)
    await login(client, operator.email)
    return operator


async def test_operator_in_another_zone_books_on_behalf_in_the_resources_zone(client, people):
    enterprise_id = await people.enterprise("globex")
    resource = await make_resource()  # a MEMS resource: Asia/Shanghai
    await _operator_elsewhere(client, people)
    day = local_day(2)
    response = await post_form(client, "/operator/mems/on-behalf", {
        "enterprise_id": enterprise_id, "account_id": "", "resource_id": resource,
        "start": f"{day.date().isoformat()}T09:00", "end": f"{day.date().isoformat()}T10:00",
        "quantity": "1"}, htmx=True)
    assert response.status_code == 200, response.text[:2000]
    row = await Booking.select().where(Booking.resource == resource).first()
    assert row["start_at"] == datetime.combine(day.date(), time(9), tzinfo=SHANGHAI)
    assert row["end_at"] - row["start_at"] == timedelta(hours=1)


async def test_operator_in_another_zone_adds_a_closure_in_the_resources_zone(client, people):
    resource = await make_resource()
    await _operator_elsewhere(client, people)
    date = local_day(3).date()
    response = await post_form(client, f"/operator/mems/resources/{resource}/closures",
                               {"start": f"{date.isoformat()}T09:00",
                                "end": f"{date.isoformat()}T13:00",
                                "kind": "maintenance", "reason": "Pump service"}, htmx=True)
    assert response.status_code == 200, response.text[:2000]
    closure = await Closure.select().where(Closure.resource == resource).first()
    assert closure["start_at"] == datetime.combine(date, time(9), tzinfo=SHANGHAI)
    assert closure["end_at"] == datetime.combine(date, time(13), tzinfo=SHANGHAI)


async def test_engineer_in_another_zone_books_through_the_api_in_the_resources_zone(client,
                                                                                   people):
    engineer = await people.engineer()
    await accounts.update_preferences(engineer.id, locale="en", timezone=NEW_YORK)
    resource = await make_resource()
    date = local_day(2).date().isoformat()
    response = await client.post("/api/bookings", headers=engineer.headers, json={
        "resource_id": resource, "start": f"{date}T09:00:00", "end": f"{date}T10:00:00"})
    assert response.status_code == 201, response.text
    row = await Booking.select().where(Booking.resource == resource).first()
    assert row["start_at"] == datetime.combine(local_day(2).date(), time(9), tzinfo=SHANGHAI)
    # The answer is in the viewer's own zone, the same instant.
    assert response.json()["start"].endswith("-05:00")


async def test_operator_in_another_zone_moves_a_booking_in_the_resources_zone(client, people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(2).date()
    created = await client.post("/api/bookings", headers=engineer.headers, json={
        "resource_id": resource, "start": f"{day.isoformat()}T09:00:00",
        "end": f"{day.isoformat()}T10:00:00"})
    assert created.status_code == 201, created.text
    booking_id = created.json()["id"]
    await _operator_elsewhere(client, people)
    form = await client.get(f"/operator/bookings/{booking_id}/move")
    # The form is prefilled with the booking's wall-clock time where the resource is.
    assert f'value="{day.isoformat()}T09:00"' in form.text
    response = await post_form(client, f"/operator/bookings/{booking_id}/move",
                               {"start": f"{day.isoformat()}T11:00",
                                "end": f"{day.isoformat()}T12:00", "back": ""})
    assert response.status_code == 303, response.text[:2000]
    row = await Booking.select().where(Booking.id == booking_id).first()
    assert row["start_at"] == datetime.combine(day, time(11), tzinfo=SHANGHAI)
