"""Reservation writes a person asks for: create, cancel, approve, reject, check in and
out, move. Each one decides who may (``booking.accounts.permissions``), then inside
``in_write_transaction()`` locks the resource, re-checks under the lock, and has the
ledger write, record and emit, so two requests for the last free unit are
serialised by the database and the second one sees the first one's row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from booking.accounts.permissions import Can
from booking.accounts.principal import Principal
from booking.clock import now
from booking.db import in_write_transaction
from booking.errors import Conflict, RuleViolation
from booking.reservations import checks, ledger, rules
from booking.reservations.access import OPERATORS_ONLY, may, require_on, require_party
from booking.reservations.booker import booker_for
from booking.reservations.events import ChangeKind
from booking.reservations.policies import policy_and_row
from booking.reservations.queries import fetch, visible
from booking.reservations.rows import BookingRow
from booking.reservations.status import BookingStatus
from booking.reservations.tables import Booking
from platforms.policy import check_shape

# The writes; the reads (fetch, visible, history) live in booking.reservations.queries.
__all__ = ["approve", "cancel", "check_in", "check_out", "create_booking", "move", "reject"]

_MOVABLE = frozenset({BookingStatus.PENDING, BookingStatus.CONFIRMED})


async def create_booking(
    principal: Principal, *, resource_id: int, start: datetime, end: datetime,
    quantity: int = 1, note: str = "", idempotency_key: str | None = None,
    enterprise_id: int | None = None, account_id: int | None = None,
    series_id: int | None = None, status: BookingStatus | None = None,
) -> tuple[BookingRow, bool]:
    """Returns (booking, created); ``created`` is False for an idempotent replay."""
    key = f"{principal.id}:{idempotency_key}" if idempotency_key else None
    digest = _request_digest(resource_id=resource_id, start=start, end=end, quantity=quantity,
                             note=note, enterprise_id=enterprise_id, account_id=account_id,
                             series_id=series_id, status=status) if key else None
    if key:
        existing = await _replay(key, digest)
        if existing:
            return existing, False
    policy, _ = await policy_and_row(resource_id)
    interval = rules.requested_interval(start, end)
    booker = await booker_for(principal, policy.platform_id, enterprise_id=enterprise_id,
                              account_id=account_id)
    checks.raise_violation(check_shape(policy, interval.start, interval.end, quantity, now(),
                                       by_operator=booker.on_behalf))
    if booker.needs_qualification:
        await checks.ensure_qualified(policy, booker.account_id, interval.start)

    async def work() -> tuple[BookingRow, bool]:
        if key:
            replay = await _replay(key, digest)
            if replay:
                return replay, False
        taken = await ledger.lock(resource_id)
        await checks.ensure_bookable(taken, interval, quantity, enterprise_id=booker.enterprise_id,
                                     by_operator=booker.on_behalf, moment=now())
        pending = taken.approval_required and not booker.on_behalf
        initial = BookingStatus(status) if status else (
            BookingStatus.PENDING if pending else BookingStatus.CONFIRMED)
        row = await ledger.insert(
            taken, interval, quantity=quantity, status=initial,
            enterprise_id=booker.enterprise_id, account_id=booker.account_id,
            created_by=principal.id, reason=booker.reason, series_id=series_id, note=note,
            idempotency_key=key, idempotency_digest=digest, staff_operated=booker.staff_operated)
        if row is None:
            if key:
                replay = await _replay(key, digest)
                if replay:
                    return replay, False
            raise Conflict("slot_unavailable", "The slot is no longer available.",
                           extra={"conflict": {"start": interval.start.isoformat(),
                                               "end": interval.end.isoformat()}})
        return row, True

    return await in_write_transaction(work)


def _request_digest(*, start: datetime, end: datetime, **asked: Any) -> str:
    """The request as the booking would be made of it, so equal instants in other
    offsets or a re-sent form are the same request."""
    canonical = {**{name: value if value is None else str(value) for name, value in asked.items()},
                 "start": start.astimezone(UTC).isoformat(), "end": end.astimezone(UTC).isoformat()}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


async def _replay(key: str, digest: str | None) -> BookingRow | None:
    row = await Booking.select().where(Booking.idempotency_key == key).first()
    # Rows from before the digest was stored have none; they keep replaying.
    if row is not None and row["idempotency_digest"] not in (None, digest):
        raise RuleViolation("idempotency_key_reused",
                            "This Idempotency-Key was already used for a different request.")
    return row


async def _transition(
    principal: Principal, booking_id: int, target: BookingStatus, kind: ChangeKind, *,
    needed: Can = Can.ACT_ON_BOOKING, reason: str = "",
    values: Callable[[BookingRow, datetime], dict[str, Any]] | None = None,
) -> BookingRow:
    booking = await visible(principal, booking_id)
    if needed is Can.ACT_ON_BOOKING:
        require_party(principal, needed, booking)
    else:
        require_on(principal, needed, booking, message=OPERATORS_ONLY)

    async def work() -> BookingRow:
        await ledger.lock(booking["resource"])
        current = await fetch(booking_id)
        moment = now()
        extra = values(current, moment) if values is not None else None
        return await ledger.change(current, kind, actor_id=principal.id, status=target,
                                   values=extra, reason=reason, at=moment)

    return await in_write_transaction(work)


async def cancel(principal: Principal, booking_id: int, reason: str = "") -> BookingRow:
    booking = await visible(principal, booking_id)
    policy, row = await policy_and_row(booking["resource"])

    def terms(current: BookingRow, moment: datetime) -> dict[str, Any]:
        # Judged on the booking as it is under the lock.
        late = rules.cancellation_terms(
            current["start_at"], policy.cancel_cutoff, row["late_cancel_percent"], moment,
            status=current["status"],
            by_operator=may(principal, Can.OPERATE_RESOURCE, current)).late
        return {"late_cancel": late}

    return await _transition(principal, booking_id, BookingStatus.CANCELLED, ChangeKind.CANCELLED,
                             reason=reason, values=terms)


async def approve(principal: Principal, booking_id: int, reason: str = "") -> BookingRow:
    return await _transition(principal, booking_id, BookingStatus.CONFIRMED, ChangeKind.CONFIRMED,
                             needed=Can.APPROVE_BOOKINGS, reason=reason)


async def reject(principal: Principal, booking_id: int, reason: str = "") -> BookingRow:
    return await _transition(principal, booking_id, BookingStatus.REJECTED, ChangeKind.REJECTED,
                             needed=Can.APPROVE_BOOKINGS, reason=reason)


async def check_in(principal: Principal, booking_id: int) -> BookingRow:
    booking = await visible(principal, booking_id)
    if not rules.may_check_in(booking["start_at"], booking["block_end_at"], now()):
        raise RuleViolation(
            "check_in_window",
            "Check-in opens %(minutes)s minutes before the start and ends with the slot.",
            params={"minutes": rules.CHECK_IN_EARLY // timedelta(minutes=1)})
    return await _transition(principal, booking_id, BookingStatus.IN_USE, ChangeKind.CHECKED_IN,
                             values=lambda current, moment: {"checked_in_at": moment})


async def check_out(principal: Principal, booking_id: int) -> BookingRow:
    def ending(current: BookingRow, moment: datetime) -> dict[str, Any]:
        # Leaving early frees the rest of the slot for others.
        block_end = min(current["block_end_at"], max(moment, current["start_at"]))
        return {"checked_out_at": moment, "block_end_at": block_end}

    return await _transition(principal, booking_id, BookingStatus.COMPLETED,
                             ChangeKind.CHECKED_OUT, values=ending)


def _ensure_movable(booking: BookingRow) -> None:
    if booking["status"] not in _MOVABLE:
        raise Conflict("invalid_state", "The booking is %(status)s; this change is not possible.",
                       params={"status": booking["status"]})


async def move(principal: Principal, booking_id: int, start: datetime,
               end: datetime) -> BookingRow:
    """Atomic: the old slot is released only if the new one is taken."""
    booking = await visible(principal, booking_id)
    require_party(principal, Can.ACT_ON_BOOKING, booking)
    _ensure_movable(booking)
    interval = rules.requested_interval(start, end)
    policy, _ = await policy_and_row(booking["resource"])
    by_operator = may(principal, Can.BOOK_ON_BEHALF, booking)
    checks.raise_violation(check_shape(policy, interval.start, interval.end, booking["quantity"],
                                       now(), by_operator=by_operator))

    async def work() -> BookingRow:
        taken = await ledger.lock(booking["resource"])
        current = await fetch(booking_id)
        await checks.ensure_bookable(taken, interval, current["quantity"],
                                     enterprise_id=current["enterprise"],
                                     by_operator=by_operator, moment=now(),
                                     exclude_ids=(booking_id,))
        _ensure_movable(current)
        return await ledger.change(
            current, ChangeKind.MOVED, actor_id=principal.id,
            values={"start_at": interval.start, "end_at": interval.end,
                    "block_end_at": interval.end},
            reason=f"{current['start_at'].isoformat()} → {interval.start.isoformat()}")

    return await in_write_transaction(work)
