"""Waiting for a taken slot; the first waiter gets it as pending when it frees
(``ledger.promote_waiters``, called by the ledger whenever capacity is released)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.clock import now
from booking.db import in_write_transaction
from booking.errors import Conflict, NotFound
from booking.reservations import checks, ledger, rules
from booking.reservations.booker import MEMBERS_ONLY
from booking.reservations.policies import policy_and_row
from booking.reservations.status import WaitlistStatus
from booking.reservations.tables import Notification, WaitlistEntry
from platforms.policy import check_shape


async def join(principal: Principal, *, resource_id: int, start: datetime, end: datetime,
               quantity: int = 1, note: str = "") -> dict[str, Any]:
    require(principal, Can.BOOK, code="not_a_member", message=MEMBERS_ONLY)
    interval = rules.requested_interval(start, end)
    policy, _ = await policy_and_row(resource_id)
    checks.raise_violation(check_shape(policy, interval.start, interval.end, quantity, now()))
    await checks.ensure_qualified(policy, principal.id, interval.start)

    async def work() -> dict[str, Any]:
        fresh = await ledger.lock(resource_id)
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
            & (WaitlistEntry.status == WaitlistStatus.WAITING)
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
    # An entry is its waiter's own: not even their enterprise admin or an operator leaves it.
    require(principal, Can.BOOK, enterprise_id=row["enterprise"], account_id=row["account"])
    if row["status"] == WaitlistStatus.WAITING:
        await WaitlistEntry.update({WaitlistEntry.status: WaitlistStatus.CANCELLED.value}).where(
            WaitlistEntry.id == entry_id)
        row["status"] = WaitlistStatus.CANCELLED.value
    return row


async def mine(principal: Principal) -> list[dict[str, Any]]:
    return await WaitlistEntry.select().where(WaitlistEntry.account == principal.id).order_by(
        WaitlistEntry.start_at)


async def notifications(principal: Principal) -> list[dict[str, Any]]:
    return await Notification.select(
        *Notification.all_columns(), Notification.booking.start_at, Notification.booking.end_at,
        Notification.booking.resource,
    ).where(Notification.account == principal.id).order_by(Notification.id, ascending=False).limit(50)


async def mark_read(principal: Principal, notification_ids: list[int]) -> None:
    if notification_ids:
        await Notification.update({Notification.read_at: now()}).where(
            (Notification.account == principal.id) & Notification.id.is_in(notification_ids)
            & Notification.read_at.is_null())
