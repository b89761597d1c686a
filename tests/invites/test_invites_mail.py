"""Invite e-mails: queued with the booking, delivered to a real SMTP server, never lost."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.policy import default

import pytest
from icalendar import Calendar

from booking.invites import outbox
from booking.invites.tables import OutboxMessage
from tests.support.resources import at, local_day, make_resource


def parts(raw: bytes):
    message = email.message_from_bytes(raw, policy=default)
    plain = calendar = None
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            plain = part
        elif part.get_content_type() == "text/calendar":
            calendar = part
    return message, plain, calendar


async def rows(booking_id: int) -> list[dict]:
    return await OutboxMessage.select().where(OutboxMessage.booking == booking_id).order_by(
        OutboxMessage.id)


async def test_confirmed_booking_mails_a_request_the_calendar_can_read(
        people, book, instrument, smtp, mail_settings, parse):
    engineer = await people.engineer(locale="zh_CN")
    booking = await book(engineer, instrument, 9, 11)
    assert await outbox.deliver_due(mail_settings) == 1
    ((recipients, raw),) = smtp.mailbox.messages
    assert recipients == [engineer.email]
    message, plain, part = parts(raw)
    assert "预约" in str(message["Subject"])
    assert plain is not None and f"/bookings/{booking['id']}" in plain.get_content()
    assert part.get_param("method") == "REQUEST"
    calendar = parse(part.get_content().encode() if isinstance(part.get_content(), str)
                     else part.get_content())
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event["UID"] == booking["uid"]
    assert str(event["ATTENDEE"]) == f"mailto:{engineer.email}"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert (await rows(booking["id"]))[0]["status"] == "sent"


async def test_cancellation_mails_cancel_with_higher_sequence(
        client, people, book, instrument, smtp, mail_settings):
    engineer = await people.engineer()
    booking = await book(engineer, instrument)
    response = await client.post(f"/api/bookings/{booking['id']}/cancel",
                                 headers=engineer.headers, json={"reason": "plans changed"})
    assert response.status_code == 200
    assert await outbox.deliver_due(mail_settings) == 2
    events = []
    for _, raw in smtp.mailbox.messages:
        _, _, part = parts(raw)
        calendar = Calendar.from_ical(part.get_payload(decode=True))
        events.append((part.get_param("method"), calendar.walk("VEVENT")[0]))
    (first_method, request), (second_method, cancel) = events
    assert (first_method, second_method) == ("REQUEST", "CANCEL")
    assert cancel["STATUS"] == "CANCELLED"
    assert cancel["UID"] == request["UID"]
    assert cancel["SEQUENCE"] > request["SEQUENCE"]


async def test_move_sends_an_update_of_the_same_event(client, people, book, instrument,
                                                      smtp, mail_settings):
    engineer = await people.engineer()
    booking = await book(engineer, instrument, 9, 10)
    day = local_day(3)
    await client.post(f"/api/bookings/{booking['id']}/move", headers=engineer.headers,
                      json={"start": at(day, 15).isoformat(), "end": at(day, 16).isoformat()})
    await outbox.deliver_due(mail_settings)
    events = [Calendar.from_ical(parts(raw)[2].get_payload(decode=True)).walk("VEVENT")[0]
              for _, raw in smtp.mailbox.messages]
    assert len(events) == 2
    assert events[1]["UID"] == events[0]["UID"]
    assert events[1]["SEQUENCE"] > events[0]["SEQUENCE"]
    assert events[1]["DTSTART"].dt == at(day, 15)


async def test_pending_booking_gets_mail_only_once_approved(client, people, book, smtp,
                                                            mail_settings):
    resource = await make_resource(approval_required=True)
    engineer = await people.engineer()
    operator = await people.operator("mems")
    booking = await book(engineer, resource)
    assert await rows(booking["id"]) == []
    response = await client.post(f"/api/bookings/{booking['id']}/approve",
                                 headers=operator.headers)
    assert response.status_code == 200
    assert [r["kind"] for r in await rows(booking["id"])] == ["request:confirmed"]
    # Rejecting a never-invited booking sends no cancellation.
    other = await book(engineer, resource, 13, 14)
    await client.post(f"/api/bookings/{other['id']}/reject", headers=operator.headers)
    assert await rows(other["id"]) == []


async def test_smtp_outage_loses_nothing(people, book, instrument, smtp, mail_settings):
    engineer = await people.engineer()
    booking = await book(engineer, instrument)
    smtp.stop()
    assert await outbox.deliver_due(mail_settings) == 0
    (row,) = await rows(booking["id"])
    assert row["status"] == "pending"
    assert row["attempts"] == 1
    assert row["next_attempt_at"] > datetime.now(UTC)
    assert row["last_error"]
    # Not due yet: the next sweep leaves it alone even with the server back.
    smtp.start()
    assert await outbox.deliver_due(mail_settings) == 0
    await OutboxMessage.update({OutboxMessage.next_attempt_at: datetime.now(UTC)}).where(
        OutboxMessage.id == row["id"])
    assert await outbox.deliver_due(mail_settings) == 1
    (row,) = await rows(booking["id"])
    assert (row["status"], row["attempts"]) == ("sent", 2)
    assert len(smtp.mailbox.messages) == 1


def test_back_off_doubles_up_to_an_hour():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert outbox.backoff(30).total_seconds() == 3600


async def test_outbox_row_rolls_back_with_a_failed_booking_write(app, people, instrument):
    # ``app``: building it installs the outbox's listener on booking changes.
    from booking.db import in_write_transaction
    from booking.reservations import service

    engineer = await people.engineer()
    day = local_day(3)

    async def doomed():
        await service.create_booking(engineer.principal, resource_id=instrument,
                                     start=at(day, 9), end=at(day, 10))
        assert await OutboxMessage.count() == 1  # queued inside the same transaction
        raise RuntimeError("the write fails after the booking was inserted")

    with pytest.raises(RuntimeError):
        await in_write_transaction(doomed)
    assert await OutboxMessage.count() == 0
    from booking.reservations.tables import Booking

    assert await Booking.count() == 0


async def test_without_smtp_messages_wait_and_operators_see_them(client, people, book,
                                                                 instrument, settings):
    engineer = await people.engineer()
    booking = await book(engineer, instrument)
    assert settings.smtp_host is None
    assert await outbox.deliver_due(settings) == 0
    operator = await people.operator("mems")
    listed = (await client.get("/api/outbox", headers=operator.headers)).json()
    assert [(m["booking_id"], m["status"], m["attempts"]) for m in listed] == [
        (booking["id"], "pending", 0)]
    assert listed[0]["recipient"] == engineer.email
    other_platform = await people.operator("bio")
    assert (await client.get("/api/outbox", headers=other_platform.headers)).json() == []
    admin = await people.park_admin()
    assert len((await client.get("/api/outbox", headers=admin.headers)).json()) == 1
    denied = await client.get("/api/outbox", headers=engineer.headers)
    assert denied.status_code == 403
    # The filter accepts exactly the OutboxStatus codes.
    pending = await client.get("/api/outbox?status=pending", headers=admin.headers)
    assert len(pending.json()) == 1
    assert (await client.get("/api/outbox?status=sent", headers=admin.headers)).json() == []
    assert (await client.get("/api/outbox?status=queued", headers=admin.headers)).status_code == 400


async def test_the_background_sweep_delivers_the_outbox(people, book, instrument, smtp,
                                                        mail_settings):
    from booking.jobs import run_once

    engineer = await people.engineer()
    await book(engineer, instrument)
    results = await run_once(mail_settings)
    assert results["mail_sent"] == 1
    assert [rcpt for rcpt, _ in smtp.mailbox.messages] == [[engineer.email]]


async def test_a_promoted_waiter_is_told_by_mail_and_on_my_bookings(
        client, people, instrument, smtp, mail_settings):
    from tests.support.web_session import login

    holder, waiter = await people.engineer("acme"), await people.engineer("globex")
    day = local_day(3)
    slot = {"resource_id": instrument, "start": at(day, 9).isoformat(),
            "end": at(day, 10).isoformat()}
    held = (await client.post("/api/bookings", json=slot, headers=holder.headers)).json()
    assert (await client.post("/api/waitlist", json=slot, headers=waiter.headers)).status_code == 201
    await client.post(f"/api/bookings/{held['id']}/cancel", headers=holder.headers)
    await outbox.deliver_due(mail_settings)
    told = [raw for recipients, raw in smtp.mailbox.messages if recipients == [waiter.email]]
    assert len(told) == 1
    message, _, part = parts(told[0])
    assert "您等候的时段已为您保留" in str(message["Subject"])
    event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    assert event["STATUS"] == "TENTATIVE"
    await login(client, waiter.email)
    page = await client.get("/my/bookings")
    assert 'data-testid="news"' in page.text
    again = await client.get("/my/bookings")
    assert 'data-testid="news"' not in again.text  # shown once
