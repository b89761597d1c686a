"""States and history: approval, cancellation terms, moves, check-in/out, sweeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking.reservations import service, sweeps
from booking.reservations.tables import Booking, BookingEvent
from tests.support.resources import at, iso, local_day, make_resource


async def book(client, person, resource_id, start, end, **extra):
    body = {"resource_id": resource_id, "start": iso(start), "end": iso(end), **extra}
    return await client.post("/api/bookings", json=body, headers=person.headers)


async def test_approval_flow_holds_the_slot_and_records_who_and_why(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    other_operator = await people.operator("bio")
    resource = await make_resource(approval_required=True)
    day = local_day(3)
    pending = (await book(client, engineer, resource, at(day, 9), at(day, 10))).json()
    assert pending["status"] == "pending" and pending["hold_expires_at"]
    # The pending booking already holds the slot.
    rival = await people.engineer("globex")
    assert (await book(client, rival, resource, at(day, 9), at(day, 10))).status_code == 409
    # Engineers and operators of other platforms cannot approve.
    assert (await client.post(f"/api/bookings/{pending['id']}/approve",
                              headers=engineer.headers)).status_code == 403
    assert (await client.post(f"/api/bookings/{pending['id']}/approve",
                              headers=other_operator.headers)).status_code == 403
    approved = await client.post(f"/api/bookings/{pending['id']}/approve",
                                 headers=operator.headers, json={"reason": "trained user"})
    assert approved.status_code == 200 and approved.json()["status"] == "confirmed"
    assert approved.json()["sequence"] == 1
    history = (await client.get(f"/api/bookings/{pending['id']}/history",
                                headers=engineer.headers)).json()
    assert [(h["action"], h["from"], h["to"]) for h in history] == [
        ("created", None, "pending"), ("confirmed", "pending", "confirmed")]
    assert history[1]["actor_id"] == operator.id and history[1]["reason"] == "trained user"


async def test_rejection_frees_the_slot(client, people):
    engineer, rival = await people.engineer("acme"), await people.engineer("globex")
    operator = await people.operator("mems")
    resource = await make_resource(approval_required=True)
    day = local_day(3)
    pending = (await book(client, engineer, resource, at(day, 9), at(day, 10))).json()
    rejected = await client.post(f"/api/bookings/{pending['id']}/reject",
                                 headers=operator.headers, json={"reason": "no training"})
    assert rejected.json()["status"] == "rejected"
    assert (await book(client, rival, resource, at(day, 9), at(day, 10))).status_code == 201


async def test_cancel_before_cutoff_is_free_and_after_cutoff_is_late(client, people):
    engineer = await people.engineer()
    resource = await make_resource(cancel_cutoff_hours=48, late_cancel_percent=50)
    early_day, late_day = local_day(5), local_day(1)
    early = (await book(client, engineer, resource, at(early_day, 9), at(early_day, 10))).json()
    late = (await book(client, engineer, resource, at(late_day, 9), at(late_day, 10))).json()
    cancelled = (await client.post(f"/api/bookings/{early['id']}/cancel",
                                   headers=engineer.headers)).json()
    assert cancelled["status"] == "cancelled" and cancelled["late_cancel"] is False
    late_cancelled = (await client.post(f"/api/bookings/{late['id']}/cancel",
                                        headers=engineer.headers)).json()
    assert late_cancelled["late_cancel"] is True
    again = await client.post(f"/api/bookings/{early['id']}/cancel", headers=engineer.headers)
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"


async def test_move_is_atomic(client, people):
    engineer, rival = await people.engineer("acme"), await people.engineer("globex")
    resource = await make_resource()
    day = local_day(3)
    mine = (await book(client, engineer, resource, at(day, 9), at(day, 10))).json()
    assert (await book(client, rival, resource, at(day, 12), at(day, 13))).status_code == 201
    refused = await client.post(f"/api/bookings/{mine['id']}/move", headers=engineer.headers,
                                json={"start": iso(at(day, 12)), "end": iso(at(day, 13))})
    assert refused.status_code == 409
    unchanged = (await client.get(f"/api/bookings/{mine['id']}", headers=engineer.headers)).json()
    assert unchanged["start"] == at(day, 9).isoformat() and unchanged["sequence"] == 0
    # Overlapping its own old slot is fine: the booking does not conflict with itself.
    moved = await client.post(f"/api/bookings/{mine['id']}/move", headers=engineer.headers,
                              json={"start": iso(at(day, 9, 30)), "end": iso(at(day, 10, 30))})
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    assert (await book(client, rival, resource, at(day, 9), at(day, 9, 30))).status_code == 201


async def test_check_in_and_early_check_out_release_the_rest_of_the_slot(client, people):
    engineer, rival = await people.engineer("acme"), await people.engineer("globex")
    resource = await make_resource(slot_minutes=1, min_duration_minutes=1)
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
    booking = (await book(client, engineer, resource, start, start + timedelta(hours=2))).json()
    checked_in = await client.post(f"/api/bookings/{booking['id']}/check-in",
                                   headers=engineer.headers)
    assert checked_in.status_code == 200 and checked_in.json()["status"] == "in_use"
    assert checked_in.json()["checked_in_at"]
    out = (await client.post(f"/api/bookings/{booking['id']}/check-out",
                             headers=engineer.headers)).json()
    assert out["status"] == "completed" and out["checked_out_at"]
    later = start + timedelta(minutes=30)
    assert (await book(client, rival, resource, later, later + timedelta(minutes=30))).status_code == 201


async def test_check_in_is_refused_far_from_the_slot(client, people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    booking = (await book(client, engineer, resource, at(day, 9), at(day, 10))).json()
    response = await client.post(f"/api/bookings/{booking['id']}/check-in",
                                 headers=engineer.headers)
    assert response.status_code == 422 and response.json()["code"] == "check_in_window"


async def _backdate(booking_id: int, start: datetime, end: datetime, **extra) -> None:
    await Booking.update({Booking.start_at: start, Booking.end_at: end,
                          Booking.block_end_at: end, **extra}).where(Booking.id == booking_id)


async def test_no_show_after_grace_releases_the_rest_of_the_slot(client, people):
    engineer = await people.engineer()
    resource = await make_resource(no_show_grace_minutes=15)
    day = local_day(3)
    booking = (await book(client, engineer, resource, at(day, 9), at(day, 10))).json()
    now = datetime.now(UTC)
    await _backdate(booking["id"], now - timedelta(minutes=20), now + timedelta(minutes=40))
    assert await sweeps.mark_no_shows() == 1
    row = await Booking.select().where(Booking.id == booking["id"]).first()
    assert row["status"] == "no_show" and row["holds"] is False
    assert row["block_end_at"] <= datetime.now(UTC)
    event = await BookingEvent.select().where(BookingEvent.booking == booking["id"]).order_by(
        BookingEvent.id, ascending=False).first()
    assert event["action"] == "no_show" and event["actor"] is None


async def test_pending_hold_expires_and_frees_the_slot(client, people):
    engineer = await people.engineer()
    resource = await make_resource(approval_required=True)
    day = local_day(3)
    booking = (await book(client, engineer, resource, at(day, 9), at(day, 10))).json()
    await Booking.update({Booking.hold_expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Booking.id == booking["id"])
    assert await sweeps.expire_pending() == 1
    fetched = (await client.get(f"/api/bookings/{booking['id']}", headers=engineer.headers)).json()
    assert fetched["status"] == "expired"
    rival = await people.engineer("globex")
    assert (await book(client, rival, resource, at(day, 9), at(day, 10))).status_code == 201


async def test_operator_books_on_behalf_of_an_enterprise(client, people):
    engineer = await people.engineer("acme")
    operator = await people.operator("mems")
    resource = await make_resource(approval_required=True, min_notice_minutes=24 * 60)
    day = local_day(0) + timedelta(days=1)
    response = await book(client, operator, resource, at(day, 20), at(day, 21),
                          enterprise_id=engineer.enterprise_id, account_id=engineer.id)
    assert response.status_code == 201, response.text
    body = response.json()
    # Booked by the operator: confirmed at once, notice rules are the operator's call.
    assert body["status"] == "confirmed"
    assert body["account_id"] == engineer.id and body["enterprise_id"] == engineer.enterprise_id
    mine = (await client.get("/api/bookings", headers=engineer.headers)).json()
    assert [b["id"] for b in mine] == [body["id"]]
    not_allowed = await book(client, engineer, resource, at(day, 21), at(day, 22),
                             enterprise_id=engineer.enterprise_id)
    assert not_allowed.status_code == 403


async def test_service_level_create_returns_created_flag(people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    row, created = await service.create_booking(engineer.principal, resource_id=resource,
                                                start=at(day, 9), end=at(day, 10),
                                                idempotency_key="k")
    replay, created_again = await service.create_booking(engineer.principal, resource_id=resource,
                                                         start=at(day, 9), end=at(day, 10),
                                                         idempotency_key="k")
    assert created and not created_again and replay["id"] == row["id"]
