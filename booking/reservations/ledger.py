"""The one writer of bookings.

Inserting a booking and changing its status or time happen here and nowhere else:
the row is written, its history row recorded, the change emitted to listeners (the
outbox) in the same transaction, and capacity a change frees is offered to the
waitlist. Every function here runs inside ``in_write_transaction()`` after
``lock()`` took the resource, on rows read under that lock: callers re-check
before they write, the ledger only writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from booking.clock import now
from booking.db import is_postgres, lock_resource
from booking.errors import Conflict, DomainError, NotFound
from booking.reservations import checks
from booking.reservations.events import BookingChange, ChangeKind, emit
from booking.reservations.policies import current_policy
from booking.reservations.rows import BookingRow
from booking.reservations.status import RESCHEDULING, BookingStatus, WaitlistStatus
from booking.reservations.tables import Booking, BookingEvent, Notification, WaitlistEntry
from calendars.intervals import Interval
from platforms.policy import BookingPolicy


def new_uid() -> str:
    """A globally unique iCalendar UID, for a booking or a series."""
    return f"{uuid.uuid4()}@parkbench"


async def lock(resource_id: int) -> BookingPolicy:
    """Take the resource's lock for this transaction; its policy as committed now."""
    revision = await lock_resource(resource_id)
    if revision is None:
        raise NotFound("resource_not_found", "No resource with this id.")
    policy, _ = await current_policy(resource_id, revision)
    return policy


async def record(booking_id: int, action: ChangeKind, actor_id: int | None,
                 from_status: str | None, to_status: str | None, reason: str = "") -> None:
    await BookingEvent.insert(BookingEvent(
        booking=booking_id, at=now(), actor=actor_id, action=action.value,
        from_status=from_status, to_status=to_status, reason=reason[:2000],
    ))


async def insert(
    policy: BookingPolicy, interval: Interval, *, quantity: int, status: BookingStatus,
    enterprise_id: int, account_id: int, created_by: int | None, reason: str = "",
    kind: ChangeKind = ChangeKind.CREATED, series_id: int | None = None, note: str = "",
    idempotency_key: str | None = None, idempotency_digest: str | None = None,
    staff_operated: bool = False,
) -> BookingRow | None:
    """A new booking, or None when the database refused the slot (the PostgreSQL
    exclusion constraint caught a writer the re-check could not see)."""
    moment = now()
    values: dict[str, Any] = {
        "uid": new_uid(), "resource": policy.resource_id, "platform": policy.platform_id,
        "enterprise": enterprise_id, "account": account_id, "created_by": created_by,
        "exclusive": policy.exclusive, "start_at": interval.start, "end_at": interval.end,
        "block_end_at": interval.end, "quantity": quantity, "status": status.value,
        "holds": status.holds,
        "hold_expires_at": moment + policy.pending_hold if status is BookingStatus.PENDING else None,
        "staff_operated": staff_operated, "series": series_id, "note": note[:2000],
        "idempotency_key": idempotency_key, "idempotency_digest": idempotency_digest,
        "sequence": 0, "created_at": moment,
        "updated_at": moment,
    }
    query = Booking.insert(Booking(**values)).returning(*Booking.all_columns())
    if is_postgres():
        # Against the exclusion constraint: a losing insert returns nothing instead
        # of raising, which under a same-slot herd would otherwise deadlock.
        query = query.on_conflict(action="DO NOTHING")
    rows = await query
    if not rows:
        return None
    row: BookingRow = rows[0]
    await record(row["id"], kind, created_by, None, status.value, reason)
    await emit(BookingChange(kind, row, created_by))
    return row


def _refuse(current: BookingRow, target: BookingStatus, moment: datetime) -> None:
    if not BookingStatus(current["status"]).may_become(target):
        raise Conflict("invalid_state", "The booking is %(status)s; this change is not possible.",
                       params={"status": current["status"]})
    if (target is BookingStatus.CONFIRMED and current["hold_expires_at"] is not None
            and current["hold_expires_at"] <= moment):
        raise Conflict("hold_expired", "The pending booking has expired.")


async def change(
    current: BookingRow, kind: ChangeKind, *, actor_id: int | None,
    status: BookingStatus | None = None, values: Mapping[str, Any] | None = None,
    reason: str = "", at: datetime | None = None,
) -> BookingRow:
    """Apply a status change (``status``) and/or other column ``values`` to ``current``.

    A status the booking cannot move to is refused (``invalid_state``). Calendars get
    a new SEQUENCE when the booking moves or becomes confirmed, cancelled or rejected.
    A booking that stops holding, or moves, offers what it held to the waitlist.
    ``at`` is the instant the caller's ``values`` were computed for (default: now).
    """
    moment = at or now()
    before = BookingStatus(current["status"])
    target = before if status is None else status
    if status is not None:
        _refuse(current, target, moment)
    changes: dict[str, Any] = {"status": target.value, "updated_at": moment,
                               "holds": target.holds}
    if kind is ChangeKind.MOVED or (target is not before and target in RESCHEDULING):
        changes["sequence"] = current["sequence"] + 1
    if target is BookingStatus.CONFIRMED:
        changes["hold_expires_at"] = None
    changes.update(values or {})
    await Booking.update(changes).where(Booking.id == current["id"])
    updated: BookingRow = {**current, **changes}  # type: ignore[typeddict-item]
    await record(current["id"], kind, actor_id, before.value, target.value, reason)
    await emit(BookingChange(kind, updated, actor_id))
    if current["holds"] and (not updated["holds"] or kind is ChangeKind.MOVED):
        await promote_waiters(current["resource"], current["start_at"], current["block_end_at"])
    return updated


async def promote_waiters(resource_id: int, start: datetime, end: datetime) -> list[int]:
    """Give capacity freed over [start, end) to waiters, first come first served, as
    pending bookings; waiters whose slot has begun lapse."""
    moment = now()
    waiting = await WaitlistEntry.select().where(
        (WaitlistEntry.resource == resource_id) & (WaitlistEntry.status == WaitlistStatus.WAITING)
        & (WaitlistEntry.start_at < end) & (WaitlistEntry.end_at > start)
    ).order_by(WaitlistEntry.created_at).order_by(WaitlistEntry.id)
    if not waiting:
        return []
    policy, _ = await current_policy(resource_id)
    promoted: list[int] = []
    for entry in waiting:
        interval = Interval(entry["start_at"], entry["end_at"])
        if interval.start <= moment:
            await WaitlistEntry.update({WaitlistEntry.status: WaitlistStatus.LAPSED.value}).where(
                WaitlistEntry.id == entry["id"])
            continue
        try:
            await checks.ensure_open(policy, interval)
            await checks.ensure_capacity(policy, interval, entry["quantity"])
            await checks.ensure_quota(policy, entry["enterprise"], interval, entry["quantity"])
            await checks.ensure_qualified(policy, entry["account"], interval.start)
        except DomainError:
            continue
        row = await insert(policy, interval, quantity=entry["quantity"],
                           status=BookingStatus.PENDING, enterprise_id=entry["enterprise"],
                           account_id=entry["account"], created_by=None,
                           kind=ChangeKind.PROMOTED, reason="from the waitlist",
                           note=entry["note"])
        if row is None:
            continue
        await WaitlistEntry.update({WaitlistEntry.status: WaitlistStatus.PROMOTED.value,
                                    WaitlistEntry.booking: row["id"]}).where(
            WaitlistEntry.id == entry["id"])
        await Notification.insert(Notification(account=entry["account"], kind="waitlist_promoted",
                                               booking=row["id"], created_at=moment))
        promoted.append(row["id"])
    return promoted
