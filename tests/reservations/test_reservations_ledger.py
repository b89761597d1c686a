"""The one writer of bookings: every insert and change is written, recorded and emitted
once, and capacity a change frees goes to the waitlist, whichever path made the change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from booking.db import in_write_transaction
from booking.errors import Conflict
from booking.reservations import ledger, queries, service, sweeps
from booking.reservations.events import BookingChange, ChangeKind, subscribe, unsubscribe
from booking.reservations.rows import BookingRow
from booking.reservations.status import BookingStatus
from booking.reservations.tables import Booking, BookingEvent
from tests.support.resources import at, iso, local_day, make_resource


@pytest.fixture
def changes():
    seen: list[BookingChange] = []

    async def listen(change: BookingChange) -> None:
        seen.append(change)

    subscribe(listen)
    yield seen
    unsubscribe(listen)


def test_the_typed_row_names_every_booking_column():
    assert set(BookingRow.__annotations__) == {c._meta.name for c in Booking.all_columns()}


async def test_each_change_is_written_recorded_and_emitted_once(people, changes):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    resource = await make_resource(approval_required=True)
    day = local_day(3)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=at(day, 9), end=at(day, 10))
    await service.approve(operator.principal, row["id"], "ok")
    moved = await service.move(engineer.principal, row["id"], at(day, 11), at(day, 12))
    cancelled = await service.cancel(engineer.principal, row["id"], "plans changed")
    kinds = [c.kind for c in changes if c.booking["id"] == row["id"]]
    assert kinds == [ChangeKind.CREATED, ChangeKind.CONFIRMED, ChangeKind.MOVED,
                     ChangeKind.CANCELLED]
    assert [c.booking["sequence"] for c in changes] == [0, 1, 2, 3]
    assert [c.booking["status"] for c in changes] == ["pending", "confirmed", "confirmed",
                                                       "cancelled"]
    assert [c.actor_id for c in changes] == [engineer.id, operator.id, engineer.id, engineer.id]
    events = await BookingEvent.select().where(BookingEvent.booking == row["id"]).order_by(
        BookingEvent.id)
    assert [e["action"] for e in events] == [k.value for k in kinds]
    assert moved["start_at"] == at(day, 11).astimezone(UTC)
    assert cancelled["holds"] is False
    # What the writer hands back is what the database now holds.
    assert cancelled == await queries.fetch(row["id"])


async def test_moving_away_offers_the_old_slot_to_the_first_waiter(client, people):
    holder, waiter = await people.engineer("acme"), await people.engineer("globex")
    resource = await make_resource()
    day = local_day(3)
    row, _ = await service.create_booking(holder.principal, resource_id=resource,
                                          start=at(day, 9), end=at(day, 10))
    joined = await client.post("/api/waitlist", headers=waiter.headers, json={
        "resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))})
    assert joined.status_code == 201, joined.text
    await service.move(holder.principal, row["id"], at(day, 14), at(day, 15))
    theirs = await Booking.select().where(Booking.account == waiter.id)
    assert [(b["status"], b["start_at"]) for b in theirs] == [
        ("pending", at(day, 9).astimezone(UTC))]


async def test_an_expired_hold_goes_to_the_waitlist_through_the_same_writer(client, people,
                                                                             changes):
    holder, waiter = await people.engineer("acme"), await people.engineer("globex")
    resource = await make_resource(approval_required=True)
    day = local_day(3)
    row, _ = await service.create_booking(holder.principal, resource_id=resource,
                                          start=at(day, 9), end=at(day, 10))
    joined = await client.post("/api/waitlist", headers=waiter.headers, json={
        "resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))})
    assert joined.status_code == 201, joined.text
    await Booking.update({Booking.hold_expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Booking.id == row["id"])
    assert await sweeps.expire_pending() == 1
    expired = await BookingEvent.select().where(BookingEvent.booking == row["id"]).order_by(
        BookingEvent.id, ascending=False).first()
    assert (expired["action"], expired["actor"], expired["reason"]) == ("expired", None,
                                                                        "automatic")
    promoted = await Booking.select().where(Booking.account == waiter.id).first()
    assert promoted["status"] == "pending" and promoted["created_by"] is None
    assert [c.kind for c in changes] == [ChangeKind.CREATED, ChangeKind.EXPIRED,
                                         ChangeKind.PROMOTED]


async def test_the_writer_refuses_a_status_the_booking_cannot_reach(people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=at(day, 9), end=at(day, 10))
    await service.cancel(engineer.principal, row["id"])

    async def work():
        await ledger.lock(resource)
        current = await queries.fetch(row["id"])
        return await ledger.change(current, ChangeKind.CONFIRMED, actor_id=None,
                                   status=BookingStatus.CONFIRMED)

    with pytest.raises(Conflict) as refused:
        await in_write_transaction(work)
    assert refused.value.code == "invalid_state"
    assert (await queries.fetch(row["id"]))["status"] == "cancelled"
