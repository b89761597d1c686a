"""Reservation writes. Each one: lock the resource, re-check, write, record, commit.

Every path that takes capacity goes through ``_take()`` inside
``in_write_transaction()``, so two requests for the last free unit are serialised
by the database and the second one sees the first one's row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from booking.accounts.principal import Principal
from booking.accounts.tables import Account
from booking.clock import now
from booking.db import in_write_transaction, is_postgres, lock_resource
from booking.errors import Conflict, Forbidden, NotFound, RuleViolation
from booking.reservations import checks, rules
from booking.reservations.events import BookingChange, emit
from booking.reservations.policies import current_policy, policy_and_row
from booking.reservations.tables import Booking, BookingEvent
from calendars.intervals import Interval
from platforms.policy import BookingPolicy, check_shape


def new_uid() -> str:
    return f"{uuid.uuid4()}@parkbench"


async def record(booking_id: int, action: str, actor_id: int | None, from_status: str | None,
                 to_status: str | None, reason: str = "") -> None:
    await BookingEvent.insert(BookingEvent(
        booking=booking_id, at=now(), actor=actor_id, action=action, from_status=from_status,
        to_status=to_status, reason=reason[:2000],
    ))


async def fetch(booking_id: int) -> dict[str, Any]:
    row = await Booking.select().where(Booking.id == booking_id).first()
    if row is None:
        raise NotFound("booking_not_found", "No booking with this id.")
    return row


async def visible(principal: Principal, booking_id: int) -> dict[str, Any]:
    row = await fetch(booking_id)
    if not rules.can_see(principal, row):
        raise Forbidden("forbidden_booking", "This booking belongs to another enterprise.")
    return row


async def _booker(principal: Principal, enterprise_id: int | None,
                  account_id: int | None) -> tuple[int, int, bool]:
    """(account, enterprise, by_operator) for a new booking."""
    if enterprise_id is None and account_id is None:
        if not principal.can_book:
            raise Forbidden("not_a_member",
                            "Only members of an enterprise can book. Operators book on behalf.")
        return principal.id, principal.enterprise_id, False  # type: ignore[return-value]
    if not (principal.is_operator or principal.is_park_admin):
        raise Forbidden("forbidden", "Only operators book on behalf of an enterprise.")
    if account_id is not None:
        row = await Account.select(Account.id, Account.enterprise).where(
            Account.id == account_id).first()
        if row is None or row["enterprise"] is None:
            raise NotFound("account_not_found", "No such engineer.")
        if enterprise_id is not None and row["enterprise"] != enterprise_id:
            raise RuleViolation("account_not_in_enterprise",
                                "The engineer is not a member of that enterprise.")
        return row["id"], row["enterprise"], True
    from booking.accounts.tables import Enterprise

    if not await Enterprise.exists().where(Enterprise.id == enterprise_id):
        raise NotFound("enterprise_not_found", "No such enterprise.")
    return principal.id, enterprise_id, True  # type: ignore[return-value]


async def _take(
    policy: BookingPolicy, interval: Interval, quantity: int, *, account_id: int,
    enterprise_id: int, by_operator: bool, exclude_ids: tuple[int, ...] = (),
) -> BookingPolicy:
    """Under the lock: re-read the rules and check everything that others can change."""
    revision = await lock_resource(policy.resource_id)
    if revision is None:
        raise NotFound("resource_not_found", "No resource with this id.")
    policy, _ = await current_policy(policy.resource_id, revision)
    checks.raise_violation(check_shape(policy, interval.start, interval.end, quantity, now(),
                                       by_operator=by_operator))
    await checks.ensure_open(policy, interval)
    await checks.ensure_capacity(policy, interval, quantity, exclude_ids)
    if not by_operator:
        await checks.ensure_quota(policy, enterprise_id, interval, quantity, exclude_ids)
    return policy


async def _insert(values: dict[str, Any]) -> dict[str, Any] | None:
    query = Booking.insert(Booking(**values)).returning(*Booking.all_columns())
    if is_postgres():
        # Against the exclusion constraint: a losing insert returns nothing instead
        # of raising, which under a same-slot herd would otherwise deadlock.
        query = query.on_conflict(action="DO NOTHING")
    rows = await query
    return rows[0] if rows else None


async def create_booking(
    principal: Principal, *, resource_id: int, start: datetime, end: datetime,
    quantity: int = 1, note: str = "", idempotency_key: str | None = None,
    enterprise_id: int | None = None, account_id: int | None = None,
    series_id: int | None = None, status: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Returns (booking, created); ``created`` is False for an idempotent replay."""
    key = f"{principal.id}:{idempotency_key}" if idempotency_key else None
    if key:
        existing = await Booking.select().where(Booking.idempotency_key == key).first()
        if existing:
            return existing, False
    policy, _ = await policy_and_row(resource_id)
    interval = _interval(start, end)
    booker, enterprise, by_operator = await _booker(principal, enterprise_id, account_id)
    checks.raise_violation(check_shape(policy, interval.start, interval.end, quantity, now(),
                                       by_operator=by_operator))
    await checks.ensure_qualified(policy, booker, interval.start)

    async def work() -> tuple[dict[str, Any], bool]:
        if key:
            replay = await Booking.select().where(Booking.idempotency_key == key).first()
            if replay:
                return replay, False
        taken = await _take(policy, interval, quantity, account_id=booker,
                            enterprise_id=enterprise, by_operator=by_operator)
        moment = now()
        pending = taken.approval_required and not by_operator
        initial = status or ("pending" if pending else "confirmed")
        row = await _insert({
            "uid": new_uid(), "resource": resource_id, "platform": taken.platform_id,
            "enterprise": enterprise, "account": booker, "created_by": principal.id,
            "exclusive": taken.exclusive, "start_at": interval.start, "end_at": interval.end,
            "block_end_at": interval.end, "quantity": quantity, "status": initial,
            "holds": True,
            "hold_expires_at": moment + taken.pending_hold if initial == "pending" else None,
            "series": series_id, "note": note[:2000], "idempotency_key": key,
            "sequence": 0, "created_at": moment, "updated_at": moment,
        })
        if row is None:
            if key:
                replay = await Booking.select().where(Booking.idempotency_key == key).first()
                if replay:
                    return replay, False
            raise Conflict("slot_unavailable", "The slot is no longer available.",
                           extra={"conflict": {"start": interval.start.isoformat(),
                                               "end": interval.end.isoformat()}})
        await record(row["id"], "created", principal.id, None, initial,
                     "on behalf" if by_operator else "")
        await emit(BookingChange("created", row, principal.id))
        return row, True

    return await in_write_transaction(work)


def _interval(start: datetime, end: datetime) -> Interval:
    if start.tzinfo is None or end.tzinfo is None:
        raise RuleViolation("naive_time", "Times need a UTC offset.")
    if end <= start:
        raise RuleViolation("invalid_interval", "The end must be after the start.")
    return Interval(start.astimezone(UTC), end.astimezone(UTC))


async def _transition(
    principal: Principal, booking_id: int, target: str, action: str, *,
    allowed: str = "owner", reason: str = "",
    mutate: Callable[[dict[str, Any], datetime], dict[str, Any]] | None = None,
    releases: bool = False,
) -> dict[str, Any]:
    booking = await visible(principal, booking_id)
    if allowed == "operator" and not rules.can_operate(principal, booking):
        raise Forbidden("forbidden", "Only the platform's operators can do this.")

    async def work() -> dict[str, Any]:
        await lock_resource(booking["resource"])
        current = await fetch(booking_id)
        if not rules.can_transition(current["status"], target):
            raise Conflict("invalid_state",
                           "The booking is %(status)s; this change is not possible.",
                           params={"status": current["status"]})
        moment = now()
        if (target == "confirmed" and current["hold_expires_at"] is not None
                and current["hold_expires_at"] <= moment):
            raise Conflict("hold_expired", "The pending booking has expired.")
        changes: dict[str, Any] = {"status": target, "updated_at": moment,
                                   "holds": target in rules.HOLDING}
        if target in ("cancelled", "rejected", "confirmed"):
            changes["sequence"] = current["sequence"] + 1
        if target == "confirmed":
            changes["hold_expires_at"] = None
        if mutate is not None:
            changes.update(mutate(current, moment))
        await Booking.update(changes).where(Booking.id == booking_id)
        updated = {**current, **changes}
        await record(booking_id, action, principal.id, current["status"], target, reason)
        await emit(BookingChange(action, updated, principal.id))
        if releases or not changes["holds"]:
            from booking.reservations.waitlist import promote_waiters

            await promote_waiters(current["resource"], current["start_at"],
                                  current["block_end_at"])
        return updated

    return await in_write_transaction(work)


async def cancel(principal: Principal, booking_id: int, reason: str = "") -> dict[str, Any]:
    booking = await visible(principal, booking_id)
    policy, row = await policy_and_row(booking["resource"])

    def terms(current: dict[str, Any], moment: datetime) -> dict[str, Any]:
        # Judged on the booking as it is under the lock.
        late = rules.cancellation_terms(
            current["start_at"], policy.cancel_cutoff, row["late_cancel_percent"], moment,
            status=current["status"], by_operator=rules.can_operate(principal, current)).late
        return {"late_cancel": late}

    return await _transition(principal, booking_id, "cancelled", "cancelled", reason=reason,
                             mutate=terms)


async def approve(principal: Principal, booking_id: int, reason: str = "") -> dict[str, Any]:
    return await _transition(principal, booking_id, "confirmed", "confirmed",
                             allowed="operator", reason=reason)


async def reject(principal: Principal, booking_id: int, reason: str = "") -> dict[str, Any]:
    return await _transition(principal, booking_id, "rejected", "rejected",
                             allowed="operator", reason=reason)


async def check_in(principal: Principal, booking_id: int) -> dict[str, Any]:
    booking = await visible(principal, booking_id)
    if not rules.may_check_in(booking["start_at"], booking["block_end_at"], now()):
        raise RuleViolation("check_in_window",
                            "Check-in opens 15 minutes before the start and ends with the slot.")
    return await _transition(principal, booking_id, "in_use", "checked_in",
                             mutate=lambda current, moment: {"checked_in_at": moment})


async def check_out(principal: Principal, booking_id: int) -> dict[str, Any]:
    def ending(current: dict, moment: datetime) -> dict[str, Any]:
        # Leaving early frees the rest of the slot for others.
        block_end = min(current["block_end_at"], max(moment, current["start_at"]))
        return {"checked_out_at": moment, "block_end_at": block_end,
                "holds": False}

    return await _transition(principal, booking_id, "completed", "checked_out",
                             mutate=ending, releases=True)


async def move(principal: Principal, booking_id: int, start: datetime,
               end: datetime) -> dict[str, Any]:
    """Atomic: the old slot is released only if the new one is taken."""
    booking = await visible(principal, booking_id)
    if not rules.can_act_as_owner(principal, booking):
        raise Forbidden("forbidden_booking", "This booking belongs to another enterprise.")
    if booking["status"] not in ("pending", "confirmed"):
        raise Conflict("invalid_state", "The booking is %(status)s; this change is not possible.",
                       params={"status": booking["status"]})
    interval = _interval(start, end)
    policy, _ = await policy_and_row(booking["resource"])
    by_operator = rules.can_operate(principal, booking)
    checks.raise_violation(check_shape(policy, interval.start, interval.end, booking["quantity"],
                                       now(), by_operator=by_operator))

    async def work() -> dict[str, Any]:
        current = await fetch(booking_id)
        await _take(policy, interval, current["quantity"], account_id=current["account"],
                    enterprise_id=current["enterprise"], by_operator=by_operator,
                    exclude_ids=(booking_id,))
        if current["status"] not in ("pending", "confirmed"):
            raise Conflict("invalid_state",
                           "The booking is %(status)s; this change is not possible.",
                           params={"status": current["status"]})
        moment = now()
        changes = {"start_at": interval.start, "end_at": interval.end,
                   "block_end_at": interval.end, "sequence": current["sequence"] + 1,
                   "updated_at": moment}
        await Booking.update(changes).where(Booking.id == booking_id)
        updated = {**current, **changes}
        await record(booking_id, "moved", principal.id, current["status"], current["status"],
                     f"{current['start_at'].isoformat()} → {interval.start.isoformat()}")
        await emit(BookingChange("moved", updated, principal.id))
        from booking.reservations.waitlist import promote_waiters

        await promote_waiters(current["resource"], current["start_at"], current["block_end_at"])
        return updated

    return await in_write_transaction(work)


async def history(principal: Principal, booking_id: int) -> list[dict[str, Any]]:
    await visible(principal, booking_id)
    return await BookingEvent.select().where(BookingEvent.booking == booking_id).order_by(
        BookingEvent.id)
