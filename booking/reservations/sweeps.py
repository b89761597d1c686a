"""Time-driven changes: pending holds expire, absent engineers become no-shows,
bookings left in use are completed at their end."""

from __future__ import annotations

from datetime import timedelta

from booking.db import in_write_transaction, lock_resource
from booking.reservations.events import BookingChange, emit
from booking.reservations.policies import policy_and_row
from booking.reservations.tables import Booking

# An in-use booking nobody checked out is closed this long after its end.
AUTO_COMPLETE_AFTER = timedelta(hours=1)


async def _close(booking: dict, status: str, action: str, changes: dict) -> bool:
    from booking.reservations.service import fetch, now, record
    from booking.reservations.waitlist import promote_waiters

    async def work() -> bool:
        await lock_resource(booking["resource"])
        current = await fetch(booking["id"])
        if current["status"] != booking["status"]:
            return False  # someone else moved it on meanwhile
        moment = now()
        update = {"status": status, "updated_at": moment, **changes}
        await Booking.update(update).where(Booking.id == booking["id"])
        await record(booking["id"], action, None, current["status"], status, "automatic")
        await emit(BookingChange(action, {**current, **update}, None))
        if not update.get("holds", True):
            await promote_waiters(current["resource"], moment, current["block_end_at"])
        return True

    return await in_write_transaction(work)


async def expire_pending() -> int:
    from booking.clock import now

    moment = now()
    due = await Booking.select().where(
        (Booking.status == "pending") & (Booking.hold_expires_at <= moment))
    count = 0
    for booking in due:
        count += await _close(booking, "expired", "expired", {"holds": False})
    return count


async def mark_no_shows() -> int:
    from booking.clock import now

    moment = now()
    candidates = await Booking.select().where(
        (Booking.status == "confirmed") & (Booking.start_at <= moment))
    count = 0
    for booking in candidates:
        policy, _ = await policy_and_row(booking["resource"])
        if booking["start_at"] + policy.no_show_grace > moment:
            continue
        # The rest of the slot goes back to others.
        count += await _close(booking, "no_show", "no_show", {
            "holds": False, "block_end_at": min(booking["block_end_at"], max(moment, booking["start_at"])),
        })
    return count


async def complete_overdue() -> int:
    from booking.clock import now

    moment = now()
    overdue = await Booking.select().where(
        (Booking.status == "in_use") & (Booking.end_at <= moment - AUTO_COMPLETE_AFTER))
    count = 0
    for booking in overdue:
        count += await _close(booking, "completed", "checked_out", {
            "holds": False, "checked_out_at": booking["end_at"],
        })
    return count


async def run_all() -> dict[str, int]:
    return {
        "expired": await expire_pending(),
        "no_shows": await mark_no_shows(),
        "auto_completed": await complete_overdue(),
    }
