"""Today board and approval queue: approve, reject with a reason, check in and out."""

from __future__ import annotations

from datetime import timedelta

from booking import clock
from booking.reservations import service
from booking.reservations.tables import Booking, BookingEvent
from tests.support.resources import at, local_day, make_resource
from tests.support.web_session import login, post_form


async def _pending(people, engineer=None):
    engineer = engineer or await people.engineer()
    resource = await make_resource(approval_required=True)
    day = local_day(2)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=at(day, 9), end=at(day, 11))
    assert row["status"] == "pending"
    return row


async def _starting_now(people):
    """A confirmed booking that starts within the next five minutes: check-in is open."""
    engineer = await people.engineer()
    resource = await make_resource(slot_minutes=5, min_duration_minutes=5)
    now = clock.now()
    start = now.replace(second=0) + timedelta(minutes=5 - now.minute % 5)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=start, end=start + timedelta(hours=1))
    return row


async def test_queue_lists_pending_and_approve_confirms_with_htmx_fragment(client, people):
    row = await _pending(people)
    operator = await people.operator("mems")
    await login(client, operator.email)
    queue = await client.get("/operator/mems/approvals")
    assert f'id="booking-{row["id"]}"' in queue.text
    response = await post_form(client, f"/operator/bookings/{row['id']}/approve",
                               {"mode": "queue", "back": "/operator/mems/approvals"}, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<li")  # only the row, for htmx to swap
    assert "<html" not in response.text
    assert (await Booking.select(Booking.status).where(Booking.id == row["id"]).first()
            )["status"] == "confirmed"
    queue = await client.get("/operator/mems/approvals")
    assert f'id="booking-{row["id"]}"' not in queue.text


async def test_reject_needs_a_reason_and_records_it(client, people):
    row = await _pending(people)
    operator = await people.operator("mems")
    await login(client, operator.email)
    refused = await post_form(client, f"/operator/bookings/{row['id']}/reject",
                              {"reason": "  "}, htmx=True)
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text
    assert (await Booking.select(Booking.status).where(Booking.id == row["id"]).first()
            )["status"] == "pending"
    done = await post_form(client, f"/operator/bookings/{row['id']}/reject",
                           {"reason": "Stepper is reserved for the calibration run."},
                           htmx=True)
    assert done.status_code == 200
    assert (await Booking.select(Booking.status).where(Booking.id == row["id"]).first()
            )["status"] == "rejected"
    event = await BookingEvent.select().where(
        (BookingEvent.booking == row["id"]) & (BookingEvent.action == "rejected")).first()
    assert event["reason"] == "Stepper is reserved for the calibration run."


async def test_plain_form_post_redirects_back_to_the_page(client, people):
    row = await _pending(people)
    operator = await people.operator("mems")
    await login(client, operator.email)
    response = await post_form(client, f"/operator/bookings/{row['id']}/approve",
                               {"back": "/operator/mems/approvals"})
    assert response.status_code == 303
    assert response.headers["location"] == "/operator/mems/approvals"
    evil = await _pending(people)
    response = await post_form(client, f"/operator/bookings/{evil['id']}/approve",
                               {"back": "https://evil.example/"})
    assert response.headers["location"] == "/operator/mems/today"


async def test_approving_twice_shows_the_state_error_in_the_row(client, people):
    row = await _pending(people)
    operator = await people.operator("mems")
    await login(client, operator.email)
    await post_form(client, f"/operator/bookings/{row['id']}/approve", htmx=True)
    again = await post_form(client, f"/operator/bookings/{row['id']}/approve", htmx=True,
                            data={"mode": "queue"})
    assert again.status_code == 422
    assert 'role="alert"' in again.text


async def test_today_board_checks_an_engineer_in_and_out(client, people):
    row = await _starting_now(people)
    operator = await people.operator("mems")
    await login(client, operator.email)
    day = row["start_at"].astimezone(local_day(0).tzinfo).date().isoformat()
    board = await client.get(f"/operator/mems/today?day={day}")
    assert f"/operator/bookings/{row['id']}/check-in" in board.text
    response = await post_form(client, f"/operator/bookings/{row['id']}/check-in",
                               {"mode": "today"}, htmx=True)
    assert response.status_code == 200
    assert f"/operator/bookings/{row['id']}/check-out" in response.text
    current = await Booking.select().where(Booking.id == row["id"]).first()
    assert current["status"] == "in_use" and current["checked_in_at"] is not None
    response = await post_form(client, f"/operator/bookings/{row['id']}/check-out",
                               {"mode": "today"}, htmx=True)
    assert response.status_code == 200
    assert (await Booking.select(Booking.status).where(Booking.id == row["id"]).first()
            )["status"] == "completed"


async def test_check_in_too_early_is_refused_in_place(client, people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=at(day, 9), end=at(day, 10))
    operator = await people.operator("mems")
    await login(client, operator.email)
    board = await client.get(f"/operator/mems/today?day={day.date().isoformat()}")
    assert f"/operator/bookings/{row['id']}/check-in" not in board.text
    response = await post_form(client, f"/operator/bookings/{row['id']}/check-in", htmx=True)
    assert response.status_code == 422
    assert 'role="alert"' in response.text


async def test_today_board_shows_no_shows(client, people):
    row = await _starting_now(people)
    await Booking.update({Booking.status: "no_show", Booking.holds: False}).where(
        Booking.id == row["id"])
    operator = await people.operator("mems")
    await login(client, operator.email)
    day = row["start_at"].astimezone(local_day(0).tzinfo).date().isoformat()
    board = await client.get(f"/operator/mems/today?day={day}", headers={"Accept-Language": "en"})
    assert "st-no_show" in board.text
    assert "No-show" in board.text


async def test_schedule_board_places_bookings_and_closures(client, people):
    from booking.reservations import operations

    engineer = await people.engineer()
    resource = await make_resource(kind="pool", capacity=4)
    day = local_day(2)
    for _ in range(2):  # two overlapping pool bookings: two lanes
        await service.create_booking(engineer.principal, resource_id=resource,
                                     start=at(day, 9), end=at(day, 11))
    operator = await people.operator("mems")
    await operations.add_closure(operator.principal, resource_id=resource, start=at(day, 14),
                                 end=at(day, 16), reason="Filter change")
    await login(client, operator.email)
    page = await client.get(f"/operator/mems/board?day={day.date().isoformat()}")
    assert page.status_code == 200
    assert page.text.count('class="tl-item tl-b st-confirmed"') == 2
    assert "Filter change" in page.text
    week = await client.get(f"/operator/mems/board?view=week&day={day.date().isoformat()}")
    assert week.status_code == 200 and "wk-chip st-confirmed" in week.text
