"""Time-driven changes: pending holds expire, absent engineers become no-shows,
bookings left in use are completed at their end."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from booking.clock import now
from booking.db import in_write_transaction
from booking.reservations import ledger
from booking.reservations.events import ChangeKind
from booking.reservations.policies import policy_and_row
from booking.reservations.queries import fetch
from booking.reservations.rows import BookingRow
from booking.reservations.status import BookingStatus
from booking.reservations.tables import Booking

# An in-use booking nobody checked out is closed this long after its end.
AUTO_COMPLETE_AFTER = timedelta(hours=1)


async def _close(booking: BookingRow, status: BookingStatus, kind: ChangeKind,
                 values: dict[str, Any] | None = None) -> bool:
    async def work() -> bool:
        await ledger.lock(booking["resource"])
        current = await fetch(booking["id"])
        if current["status"] != booking["status"]:
            return False  # someone else moved it on meanwhile
        await ledger.change(current, kind, actor_id=None, status=status, values=values,
                            reason="automatic")
        return True

    return await in_write_transaction(work)


async def expire_pending() -> int:
    moment = now()
    due = await Booking.select().where(
        (Booking.status == BookingStatus.PENDING) & (Booking.hold_expires_at <= moment))
    count = 0
    for booking in due:
        count += await _close(booking, BookingStatus.EXPIRED, ChangeKind.EXPIRED)
    return count


async def mark_no_shows() -> int:
    moment = now()
    candidates = await Booking.select().where(
        (Booking.status == BookingStatus.CONFIRMED) & (Booking.start_at <= moment))
    count = 0
    for booking in candidates:
        policy, _ = await policy_and_row(booking["resource"])
        if booking["start_at"] + policy.no_show_grace > moment:
            continue
        # The rest of the slot goes back to others.
        count += await _close(booking, BookingStatus.NO_SHOW, ChangeKind.NO_SHOW, {
            "block_end_at": min(booking["block_end_at"], max(moment, booking["start_at"])),
        })
    return count


async def complete_overdue() -> int:
    moment = now()
    overdue = await Booking.select().where(
        (Booking.status == BookingStatus.IN_USE)
        & (Booking.end_at <= moment - AUTO_COMPLETE_AFTER))
    count = 0
    for booking in overdue:
        count += await _close(booking, BookingStatus.COMPLETED, ChangeKind.CHECKED_OUT, {
            "checked_out_at": booking["end_at"],
        })
    return count


async def run_all() -> dict[str, int]:
    return {
        "expired": await expire_pending(),
        "no_shows": await mark_no_shows(),
        "auto_completed": await complete_overdue(),
    }
