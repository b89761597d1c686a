"""Capacity and rules pages: every change that collides with bookings lists them, and a
refused change writes nothing."""

from __future__ import annotations

from booking.reservations import service
from platforms.tables import Closure, OpeningHours, Resource, Tariff
from tests.support.resources import at, local_day, make_resource
from tests.support.web_session import login, post_form

RULES = {"slot_minutes": "30", "min_duration_minutes": "30", "max_duration_minutes": "1440",
         "min_notice_minutes": "0", "max_advance_days": "365", "buffer_minutes": "0",
         "cancel_cutoff_hours": "24", "no_show_grace_minutes": "15",
         "pending_hold_minutes": "60", "quota_hours_per_week": ""}


async def _operator(client, people):
    operator = await people.operator("mems")
    await login(client, operator.email)
    return operator


async def test_resource_page_shows_every_section(client, people):
    resource = await make_resource()
    await _operator(client, people)
    page = await client.get(f"/operator/mems/resources/{resource}")
    assert page.status_code == 200
    for anchor in ('id="rules"', 'id="hours"', 'id="closures"', 'id="tariffs"'):
        assert anchor in page.text
    assert 'value="120.00"' in page.text  # the park tariff, from fen
    listing = await client.get("/operator/mems/resources")
    assert f"/operator/mems/resources/{resource}" in listing.text


async def test_resource_of_another_platform_is_not_reachable_through_this_one(client, people):
    resource = await make_resource(platform="bio")
    await _operator(client, people)
    assert (await client.get(f"/operator/mems/resources/{resource}")).status_code == 403
    mine = await make_resource()
    assert (await client.get(f"/operator/bio/resources/{mine}")).status_code == 403


async def test_closure_that_collides_lists_the_bookings(client, people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=at(day, 10), end=at(day, 12))
    await _operator(client, people)
    date = day.date().isoformat()
    response = await post_form(client, f"/operator/mems/resources/{resource}/closures",
                               {"start": f"{date}T09:00", "end": f"{date}T13:00",
                                "kind": "maintenance", "reason": "Pump service"}, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<section")
    assert "op-colliding" in response.text
    assert f'id="booking-{row["id"]}"' in response.text
    assert f"/operator/bookings/{row['id']}/move" in response.text
    assert f"/operator/bookings/{row['id']}/cancel" in response.text
    assert await Closure.count().where(Closure.resource == resource) == 1
    # Resolving: cancel from the list.
    cancelled = await post_form(client, f"/operator/bookings/{row['id']}/cancel",
                                {"reason": "Pump service", "mode": "resolve"}, htmx=True)
    assert cancelled.status_code == 200
    from booking.reservations.tables import Booking

    current = await Booking.select().where(Booking.id == row["id"]).first()
    assert current["status"] == "cancelled" and current["late_cancel"] is False


async def test_closure_with_end_before_start_shows_the_message_and_adds_nothing(client, people):
    resource = await make_resource()
    await _operator(client, people)
    date = local_day(3).date().isoformat()
    response = await post_form(client, f"/operator/mems/resources/{resource}/closures",
                               {"start": f"{date}T13:00", "end": f"{date}T09:00"}, htmx=True,
                               )
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert await Closure.count().where(Closure.resource == resource) == 0
    garbage = await post_form(client, f"/operator/mems/resources/{resource}/closures",
                              {"start": "tomorrow", "end": f"{date}T09:00"})
    assert garbage.status_code == 422 and "<html" in garbage.text


async def test_closures_import_from_ics(client, people):
    resource = await make_resource()
    await _operator(client, people)
    day = local_day(5).strftime("%Y%m%d")
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
           f"UID:plan-1@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{day}T010000Z\r\n"
           f"DTEND:{day}T050000Z\r\nSUMMARY:Annual calibration\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n")
    response = await post_form(client, f"/operator/mems/resources/{resource}/closures/import",
                               {"kind": "maintenance"}, htmx=True,
                               files={"file": ("plan.ics", ics.encode(), "text/calendar")})
    assert response.status_code == 200, response.text[:1000]
    assert "Annual calibration" in response.text
    assert await Closure.count().where(Closure.resource == resource) == 1
    broken = await post_form(client, f"/operator/mems/resources/{resource}/closures/import",
                             {"kind": "maintenance"}, htmx=True,
                             files={"file": ("plan.ics", b"not a calendar", "text/calendar")})
    assert broken.status_code == 422 and 'role="alert"' in broken.text


async def test_capacity_cut_below_booked_lists_bookings_and_changes_nothing(client, people):
    engineer = await people.engineer()
    resource = await make_resource(kind="pool", capacity=4)
    day = local_day(2)
    rows = []
    for _ in range(3):
        row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                              start=at(day, 9), end=at(day, 11))
        rows.append(row)
    await _operator(client, people)
    response = await post_form(client, f"/operator/mems/resources/{resource}/rules",
                               {**RULES, "capacity": "2"}, htmx=True)
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    for row in rows:
        assert f'id="booking-{row["id"]}"' in response.text
    current = await Resource.select().where(Resource.id == resource).first()
    assert current["capacity"] == 4 and current["revision"] == 0
    ok = await post_form(client, f"/operator/mems/resources/{resource}/rules",
                         {**RULES, "capacity": "6", "approval_required": "on"}, htmx=True)
    assert ok.status_code == 200
    current = await Resource.select().where(Resource.id == resource).first()
    assert current["capacity"] == 6 and current["approval_required"] is True


async def test_rules_with_bad_numbers_show_a_message_in_place(client, people):
    resource = await make_resource(kind="pool", capacity=4)
    await _operator(client, people)
    response = await post_form(client, f"/operator/mems/resources/{resource}/rules",
                               {**RULES, "capacity": "4", "slot_minutes": "-5"}, htmx=True)
    assert response.status_code == 422 and 'role="alert"' in response.text
    assert 'value="-5"' in response.text  # what was typed stays in the form
    response = await post_form(client, f"/operator/mems/resources/{resource}/rules",
                               {**RULES, "capacity": "4", "min_duration_minutes": "600",
                                "max_duration_minutes": "60"}, htmx=True)
    assert response.status_code == 422
    current = await Resource.select().where(Resource.id == resource).first()
    assert current["slot_minutes"] == 30 and current["max_duration_minutes"] == 1440


async def test_opening_hours_change_lists_bookings_now_outside(client, people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    late, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                           start=at(day, 19), end=at(day, 21))
    early, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                            start=at(day, 9), end=at(day, 10))
    await _operator(client, people)
    form = {f"day{d}": "08:00-12:00, 13:00-18:00" for d in range(7)}
    response = await post_form(client, f"/operator/mems/resources/{resource}/hours", form,
                               htmx=True)
    assert response.status_code == 200
    assert f'id="booking-{late["id"]}"' in response.text
    assert f'id="booking-{early["id"]}"' not in response.text
    assert await OpeningHours.count().where(OpeningHours.resource == resource) == 14
    bad = await post_form(client, f"/operator/mems/resources/{resource}/hours",
                          {**form, "day2": "18:00-08:00"}, htmx=True)
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    assert await OpeningHours.count().where(OpeningHours.resource == resource) == 14


async def test_tariff_with_bad_decimals_shows_message_in_place_and_writes_nothing(client, people):
    resource = await make_resource()
    await _operator(client, people)
    before = await Tariff.select(Tariff.tier, Tariff.price_fen).where(Tariff.resource == resource)
    for bad in ("120.505", "-3", "abc", "1e3"):
        response = await post_form(client, f"/operator/mems/resources/{resource}/tariffs",
                                   {"park": bad, "external": "180.00", "academic": "90"},
                                   htmx=True)
        assert response.status_code == 422, bad
        assert 'id="tariff-park-error"' in response.text
        assert f'value="{bad}"' in response.text
    after = await Tariff.select(Tariff.tier, Tariff.price_fen).where(Tariff.resource == resource)
    assert sorted(map(str, after)) == sorted(map(str, before))
    assert (await Resource.select(Resource.revision).where(Resource.id == resource).first()
            )["revision"] == 0


async def test_tariff_saved_as_fen_and_revision_bumped(client, people):
    resource = await make_resource()
    await _operator(client, people)
    response = await post_form(client, f"/operator/mems/resources/{resource}/tariffs",
                               {"park": "120.50", "external": "¥ 1,300", "academic": ""},
                               htmx=True)
    assert response.status_code == 200
    rows = await Tariff.select(Tariff.tier, Tariff.price_fen).where(Tariff.resource == resource)
    assert {r["tier"]: r["price_fen"] for r in rows} == {"park": 12050, "external": 130000}
    assert (await Resource.select(Resource.revision).where(Resource.id == resource).first()
            )["revision"] == 1
