"""Reading bookings as each role may see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.permissions import Can, restrict
from booking.accounts.principal import Principal
from booking.errors import NotFound
from booking.reservations.access import require_party
from booking.reservations.rows import BookingRow
from booking.reservations.status import BookingStatus
from booking.reservations.tables import Booking, BookingEvent


async def fetch(booking_id: int) -> BookingRow:
    """A booking whoever asks (for writes, under the lock, and for the system)."""
    row = await Booking.select().where(Booking.id == booking_id).first()
    if row is None:
        raise NotFound("booking_not_found", "No booking with this id.")
    return row


async def visible(principal: Principal, booking_id: int) -> BookingRow:
    row = await fetch(booking_id)
    require_party(principal, Can.VIEW_BOOKINGS, row)
    return row


async def history(principal: Principal, booking_id: int) -> list[dict[str, Any]]:
    await visible(principal, booking_id)
    return await BookingEvent.select().where(BookingEvent.booking == booking_id).order_by(
        BookingEvent.id)


async def visible_bookings(
    principal: Principal, *, statuses: list[str] | None = None, start: datetime | None = None,
    end: datetime | None = None, resource_id: int | None = None, limit: int = 200,
    offset: int = 0, mine_only: bool = False,
) -> list[BookingRow]:
    if mine_only:
        query = Booking.select().where(Booking.account == principal.id)
    else:
        query = restrict(Booking.select(), principal, platform=Booking.platform,
                         enterprise=Booking.enterprise, account=Booking.account)
        if query is None:
            return []
    if statuses:
        query = query.where(Booking.status.is_in([BookingStatus(s).value for s in statuses]))
    if start:
        query = query.where(Booking.end_at > start)
    if end:
        query = query.where(Booking.start_at < end)
    if resource_id:
        query = query.where(Booking.resource == resource_id)
    return await query.order_by(Booking.start_at).limit(limit).offset(offset)
