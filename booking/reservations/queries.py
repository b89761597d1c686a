"""Reading bookings as each role may see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.permissions import Can, require, restrict
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


# A booking as the operator's lists show it: with the names of what and who it is for.
BOOKING_WITH_NAMES = (
    *Booking.all_columns(),
    Booking.resource.name_zh.as_alias("resource_name_zh"),
    Booking.resource.name_en.as_alias("resource_name_en"),
    Booking.resource.code.as_alias("resource_code"),
    Booking.resource.kind.as_alias("resource_kind"),
    Booking.enterprise.name_zh.as_alias("enterprise_name_zh"),
    Booking.enterprise.name_en.as_alias("enterprise_name_en"),
    Booking.account.display_name.as_alias("account_name"),
    Booking.account.email.as_alias("account_email"),
)


async def booking_scope(booking_id: int) -> dict[str, Any] | None:
    """The platform, enterprise and booker of a booking: what a permission is decided on."""
    return await Booking.select(Booking.id, Booking.platform, Booking.enterprise,
                                Booking.account, Booking.resource).where(
        Booking.id == booking_id).first()


async def platform_bookings(principal: Principal, platform_id: int, start: datetime,
                            end: datetime, *, statuses: list[str] | None = None,
                            resource_id: int | None = None) -> list[dict[str, Any]]:
    """Bookings of a platform overlapping [start, end), with names, for its operators."""
    require(principal, Can.VIEW_OPERATIONS, platform_id=platform_id)
    query = Booking.select(*BOOKING_WITH_NAMES).where(
        (Booking.platform == platform_id) & (Booking.start_at < end) & (Booking.end_at > start))
    if statuses:
        query = query.where(Booking.status.is_in(list(statuses)))
    if resource_id:
        query = query.where(Booking.resource == resource_id)
    return await query.order_by(Booking.start_at).order_by(Booking.id)


async def pending_bookings(principal: Principal, platform_id: int,
                           limit: int = 200) -> list[dict[str, Any]]:
    """The platform's approval queue, soonest first."""
    require(principal, Can.APPROVE_BOOKINGS, platform_id=platform_id)
    return await Booking.select(*BOOKING_WITH_NAMES).where(
        (Booking.platform == platform_id) & (Booking.status == BookingStatus.PENDING)
    ).order_by(Booking.start_at).limit(limit)


async def pending_count(principal: Principal, platform_id: int) -> int:
    require(principal, Can.VIEW_OPERATIONS, platform_id=platform_id)
    return await Booking.count().where((Booking.platform == platform_id)
                                       & (Booking.status == BookingStatus.PENDING))


async def bookings_with_names(principal: Principal, ids: list[int]) -> list[dict[str, Any]]:
    """These bookings with names, of those the principal may see, soonest first."""
    if not ids:
        return []
    query = restrict(Booking.select(*BOOKING_WITH_NAMES), principal, platform=Booking.platform,
                     enterprise=Booking.enterprise, account=Booking.account)
    if query is None:
        return []
    return await query.where(Booking.id.is_in(list(ids))).order_by(Booking.start_at)


async def booking_with_names(principal: Principal, booking_id: int) -> dict[str, Any] | None:
    rows = await bookings_with_names(principal, [booking_id])
    return rows[0] if rows else None


async def recent_bookers(principal: Principal, platform_id: int, since: datetime,
                         limit: int = 1000) -> list[dict[str, Any]]:
    """Who booked on the platform since ``since`` (one row per booking, newest first), with
    the booker's and enterprise's names."""
    require(principal, Can.VIEW_OPERATIONS, platform_id=platform_id)
    return await Booking.select(
        Booking.account, Booking.account.display_name.as_alias("account_name"),
        Booking.account.email.as_alias("account_email"),
        Booking.enterprise.name_zh.as_alias("enterprise_name_zh"),
        Booking.enterprise.name_en.as_alias("enterprise_name_en"),
    ).where((Booking.platform == platform_id) & (Booking.start_at >= since)).order_by(
        Booking.start_at, ascending=False).limit(limit)
