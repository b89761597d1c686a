"""Checks that read the database: conflicts, closures, quotas, qualifications.

The capacity checks here are only meaningful inside the write transaction, after
``lock_resource()``; callers outside it use them for advice (availability), never
to decide a write.
"""

from __future__ import annotations

from datetime import datetime

from booking.accounts.service import held_qualification_ids
from booking.errors import Conflict, RuleViolation
from booking.reservations.tables import Booking
from calendars.intervals import Interval
from calendars.occupancy import peak_units
from platforms.policy import (
    BookingPolicy,
    Violation,
    check_closures,
    check_opening,
    check_shape,
    unit_hours,
    weeks_touched,
)
from platforms.tables import Closure, Resource


def raise_violation(violation: Violation | None) -> None:
    if violation is not None:
        raise RuleViolation(violation.code, violation.message, params=violation.params)


async def holding_bookings(resource_id: int, start: datetime, end: datetime,
                           exclude_ids: tuple[int, ...] = ()) -> list[dict]:
    query = Booking.select(
        Booking.id, Booking.start_at, Booking.block_end_at, Booking.quantity,
        Booking.enterprise, Booking.account, Booking.status,
    ).where(
        (Booking.resource == resource_id)
        & Booking.holds.eq(True)
        & (Booking.start_at < end)
        & (Booking.block_end_at > start)
    )
    rows = await query
    return [r for r in rows if r["id"] not in exclude_ids]


async def closure_intervals(resource_id: int, start: datetime, end: datetime) -> list[Interval]:
    rows = await Closure.select(Closure.start_at, Closure.end_at).where(
        (Closure.resource == resource_id) & (Closure.start_at < end) & (Closure.end_at > start)
    )
    return [Interval(r["start_at"], r["end_at"]) for r in rows]


def _conflict(interval: Interval, zone) -> Conflict:
    # Only the colliding times: other enterprises' names and notes stay private.
    return Conflict(
        "slot_unavailable",
        "The slot is no longer available.",
        extra={"conflict": {"start": interval.start.astimezone(zone).isoformat(),
                            "end": interval.end.astimezone(zone).isoformat()}},
    )


async def ensure_capacity(policy: BookingPolicy, interval: Interval, quantity: int,
                          exclude_ids: tuple[int, ...] = ()) -> None:
    if policy.exclusive:
        lo, hi = interval.start - policy.buffer, interval.end + policy.buffer
        rows = await holding_bookings(policy.resource_id, lo, hi, exclude_ids)
        if rows:
            first = min(rows, key=lambda r: r["start_at"])
            raise _conflict(Interval(first["start_at"], first["block_end_at"]), policy.zone)
        return
    rows = await holding_bookings(policy.resource_id, interval.start, interval.end, exclude_ids)
    booked = [(Interval(r["start_at"], r["block_end_at"]), r["quantity"]) for r in rows]
    if peak_units(booked, interval) + quantity > policy.capacity:
        overlap_start = max(min(b[0].start for b in booked), interval.start)
        overlap_end = min(max(b[0].end for b in booked), interval.end)
        raise _conflict(Interval(overlap_start, overlap_end), policy.zone)


async def ensure_open(policy: BookingPolicy, interval: Interval) -> None:
    raise_violation(check_opening(policy, interval))
    raise_violation(check_closures(interval, await closure_intervals(
        policy.resource_id, interval.start, interval.end)))


async def ensure_qualified(policy: BookingPolicy, account_id: int, at: datetime) -> None:
    if policy.qualification_id is None:
        return
    if policy.qualification_id not in await held_qualification_ids(account_id, at):
        raise RuleViolation("not_qualified",
                            "A valid qualification is needed to book this resource.")


async def ensure_quota(policy: BookingPolicy, enterprise_id: int, interval: Interval,
                       quantity: int, exclude_ids: tuple[int, ...] = ()) -> None:
    limits = []
    if policy.quota_hours_per_week is not None:
        limits.append(("resource", policy.quota_hours_per_week))
    if policy.platform_quota_hours_per_week is not None:
        limits.append(("platform", policy.platform_quota_hours_per_week))
    if not limits:
        return
    for week in weeks_touched(interval, policy.zone):
        new_hours = unit_hours([(interval, quantity)], week)
        for scope, limit in limits:
            query = Booking.select(Booking.id, Booking.start_at, Booking.block_end_at,
                                   Booking.quantity).where(
                (Booking.enterprise == enterprise_id) & Booking.holds.eq(True)
                & (Booking.start_at < week.end) & (Booking.block_end_at > week.start)
            )
            if scope == "resource":
                query = query.where(Booking.resource == policy.resource_id)
            else:
                query = query.where(Booking.platform == policy.platform_id)
            rows = [r for r in await query if r["id"] not in exclude_ids]
            used = unit_hours(
                [(Interval(r["start_at"], r["block_end_at"]), r["quantity"]) for r in rows], week
            )
            if used + new_hours > limit + 1e-9:
                raise RuleViolation(
                    "quota_exceeded",
                    "Your enterprise's weekly quota of %(hours)s hours would be exceeded.",
                    params={"hours": limit},
                    extra={"scope": scope, "used_hours": round(used, 2)},
                )


async def ensure_bookable(policy: BookingPolicy, interval: Interval, quantity: int, *,
                          enterprise_id: int, by_operator: bool, moment: datetime,
                          exclude_ids: tuple[int, ...] = ()) -> None:
    """Under the lock: everything another writer or an operator can change meanwhile.

    Bookings made by the platform's staff skip notice, horizon and quota (the
    operator's call), never opening hours, closures or capacity.
    """
    raise_violation(check_shape(policy, interval.start, interval.end, quantity, moment,
                                by_operator=by_operator))
    await ensure_open(policy, interval)
    await ensure_capacity(policy, interval, quantity, exclude_ids)
    if not by_operator:
        await ensure_quota(policy, enterprise_id, interval, quantity, exclude_ids)


async def resource_exists(resource_id: int) -> bool:
    return await Resource.exists().where(Resource.id == resource_id)
