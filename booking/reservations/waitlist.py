"""Waiting for a taken slot; the first waiter gets it as pending when it frees."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.principal import Principal
from booking.db import in_write_transaction, lock_resource
from booking.errors import Conflict, DomainError, Forbidden, NotFound
from booking.reservations import checks
from booking.reservations.events import BookingChange, emit
from booking.reservations.policies import current_policy, policy_and_row
from booking.reservations.tables import Notification, WaitlistEntry
from calendars.intervals import Interval
from platforms.policy import check_shape


async def join(principal: Principal, *, resource_id: int, start: datetime, end: datetime,
               quantity: int = 1, note: str = "") -> dict[str, Any]:
    from booking.reservations.service import _interval, now

    if not principal.can_book:
        raise Forbidden("not_a_member", "Only members of an enterprise can book. "
                        "Operators book on behalf.")
    interval = _interval(start, end)
    policy, _ = await policy_and_row(resource_id)
    checks.raise_violation(check_shape(policy, interval.start, interval.end, quantity, now()))
    await checks.ensure_qualified(policy, principal.id, interval.start)

    async def work() -> dict[str, Any]:
        await lock_resource(resource_id)
        fresh, _ = await current_policy(resource_id)
        await checks.ensure_open(fresh, interval)
        try:
            await checks.ensure_capacity(fresh, interval, quantity)
        except Conflict:
            pass
        else:
            raise Conflict("slot_available", "The slot is free: book it directly.")
        duplicate = await WaitlistEntry.exists().where(
            (WaitlistEntry.account == principal.id) & (WaitlistEntry.resource == resource_id)
            & (WaitlistEntry.start_at == interval.start) & (WaitlistEntry.end_at == interval.end)
            & (WaitlistEntry.status == "waiting")
        )
        if duplicate:
            raise Conflict("already_waiting", "You are already waiting for this slot.")
        entry = WaitlistEntry(
            resource=resource_id, account=principal.id, enterprise=principal.enterprise_id,
            start_at=interval.start, end_at=interval.end, quantity=quantity, note=note[:2000],
            created_at=now(),
        )
        await entry.save()
        return entry.to_dict()

    return await in_write_transaction(work)


async def leave(principal: Principal, entry_id: int) -> dict[str, Any]:
    row = await WaitlistEntry.select().where(WaitlistEntry.id == entry_id).first()
    if row is None:
        raise NotFound("waitlist_entry_not_found", "No such waitlist entry.")
    if row["account"] != principal.id:
        raise Forbidden("forbidden", "You are not allowed to do this.")
    if row["status"] == "waiting":
        await WaitlistEntry.update({WaitlistEntry.status: "cancelled"}).where(
            WaitlistEntry.id == entry_id)
        row["status"] = "cancelled"
    return row


async def mine(principal: Principal) -> list[dict[str, Any]]:
    return await WaitlistEntry.select().where(WaitlistEntry.account == principal.id).order_by(
        WaitlistEntry.start_at)


async def promote_waiters(resource_id: int, start: datetime, end: datetime) -> list[int]:
    """Inside a locked write: give freed capacity to waiters, first come first served."""
    from booking.reservations.service import _insert, new_uid, now, record

    moment = now()
    waiting = await WaitlistEntry.select().where(
        (WaitlistEntry.resource == resource_id) & (WaitlistEntry.status == "waiting")
        & (WaitlistEntry.start_at < end) & (WaitlistEntry.end_at > start)
    ).order_by(WaitlistEntry.created_at).order_by(WaitlistEntry.id)
    if not waiting:
        return []
    policy, _ = await current_policy(resource_id)
    promoted: list[int] = []
    for entry in waiting:
        interval = Interval(entry["start_at"], entry["end_at"])
        if interval.start <= moment:
            await WaitlistEntry.update({WaitlistEntry.status: "lapsed"}).where(
                WaitlistEntry.id == entry["id"])
            continue
        try:
            await checks.ensure_open(policy, interval)
            await checks.ensure_capacity(policy, interval, entry["quantity"])
            await checks.ensure_quota(policy, entry["enterprise"], interval, entry["quantity"])
            await checks.ensure_qualified(policy, entry["account"], interval.start)
        except DomainError:
            continue
        row = await _insert({
            "uid": new_uid(), "resource": resource_id, "platform": policy.platform_id,
            "enterprise": entry["enterprise"], "account": entry["account"],
            "created_by": None, "exclusive": policy.exclusive, "start_at": interval.start,
            "end_at": interval.end, "block_end_at": interval.end,
            "quantity": entry["quantity"], "status": "pending", "holds": True,
            "hold_expires_at": moment + policy.pending_hold, "series": None,
            "note": entry["note"], "idempotency_key": None, "sequence": 0,
            "created_at": moment, "updated_at": moment,
        })
        if row is None:
            continue
        await WaitlistEntry.update({WaitlistEntry.status: "promoted",
                                    WaitlistEntry.booking: row["id"]}).where(
            WaitlistEntry.id == entry["id"])
        await Notification.insert(Notification(account=entry["account"], kind="waitlist_promoted",
                                               booking=row["id"], created_at=moment))
        await record(row["id"], "promoted", None, None, "pending", "from the waitlist")
        await emit(BookingChange("promoted", row, None))
        promoted.append(row["id"])
    return promoted


async def notifications(principal: Principal) -> list[dict[str, Any]]:
    return await Notification.select(
        *Notification.all_columns(), Notification.booking.start_at, Notification.booking.end_at,
        Notification.booking.resource,
    ).where(Notification.account == principal.id).order_by(Notification.id, ascending=False).limit(50)


async def mark_read(principal: Principal, notification_ids: list[int]) -> None:
    from booking.clock import now

    if notification_ids:
        await Notification.update({Notification.read_at: now()}).where(
            (Notification.account == principal.id) & Notification.id.is_in(notification_ids)
            & Notification.read_at.is_null())
