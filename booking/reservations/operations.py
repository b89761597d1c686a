"""Operator changes to a resource that touch bookings: closures, capacity and rules.

A change that collides with existing bookings never drops them silently: a closure
is added and the colliding bookings are listed for the operator to move or cancel;
a capacity cut below what is booked is refused with the bookings that prevent it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.clock import now
from booking.db import in_write_transaction, lock_resource
from booking.errors import Conflict, NotFound, RuleViolation
from booking.reservations import checks, ledger, rules
from booking.reservations.policies import mark_changed, policy_and_row
from booking.reservations.rows import BookingRow
from booking.reservations.tables import Booking
from calendars.intervals import Interval
from calendars.occupancy import peak_units
from calendars.opening import WeeklyHours, first_clash, is_within, open_windows
from i18n.translations import N_
from platforms.choices import ClosureKind, ResourceKind
from platforms.tables import Closure, OpeningHours, Resource

EDITABLE_RULES = {
    "slot_minutes", "min_duration_minutes", "max_duration_minutes", "min_notice_minutes",
    "max_advance_days", "buffer_minutes", "approval_required", "cancel_cutoff_hours",
    "no_show_grace_minutes", "pending_hold_minutes", "quota_hours_per_week",
}


async def _operated(principal: Principal, resource_id: int) -> dict[str, Any]:
    policy, row = await policy_and_row(resource_id)
    require(principal, Can.OPERATE_RESOURCE, platform_id=policy.platform_id,
            message=N_("You do not operate this platform."))
    return row


def booking_brief(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "start": row["start_at"].isoformat(),
            "end": row["block_end_at"].isoformat(), "status": row["status"],
            "quantity": row["quantity"], "enterprise": row["enterprise"],
            "account": row["account"]}


async def add_closure(principal: Principal, *, resource_id: int, start: datetime, end: datetime,
                      kind: str = ClosureKind.MAINTENANCE, reason: str = "",
                      source_uid: str | None = None) -> dict[str, Any]:
    await _operated(principal, resource_id)
    interval = rules.requested_interval(start, end)
    if kind not in ClosureKind.values():
        raise RuleViolation("invalid_closure_kind", "A closure is maintenance or a holiday.")

    async def work() -> dict[str, Any]:
        await lock_resource(resource_id)
        closure = Closure(resource=resource_id, start_at=interval.start, end_at=interval.end,
                          kind=kind, reason=reason[:500], source_uid=source_uid,
                          created_at=now())
        await closure.save()
        colliding = await checks.holding_bookings(resource_id, interval.start, interval.end)
        return {"closure": closure.to_dict(),
                "colliding_bookings": [booking_brief(b) for b in
                                       await _full(colliding)]}

    return await in_write_transaction(work)


async def _full(rows: list[dict[str, Any]]) -> list[BookingRow]:
    if not rows:
        return []
    return await Booking.select().where(Booking.id.is_in([r["id"] for r in rows])).order_by(
        Booking.start_at)


async def remove_closure(principal: Principal, closure_id: int) -> None:
    row = await Closure.select().where(Closure.id == closure_id).first()
    if row is None:
        raise NotFound("closure_not_found", "No such closure.")
    await _operated(principal, row["resource"])

    async def work() -> None:
        await lock_resource(row["resource"])
        await Closure.delete().where(Closure.id == closure_id)
        await ledger.promote_waiters(row["resource"], row["start_at"], row["end_at"])

    await in_write_transaction(work)


async def update_resource(principal: Principal, resource_id: int,
                          changes: dict[str, Any]) -> dict[str, Any]:
    """Capacity and booking rules. Refuses a capacity below what is already booked."""
    row = await _operated(principal, resource_id)
    unknown = set(changes) - EDITABLE_RULES - {"capacity"}
    if unknown:
        raise RuleViolation("unknown_field", "Unknown field: %(field)s",
                            params={"field": sorted(unknown)[0]})
    for name, value in changes.items():
        if name == "approval_required":
            if not isinstance(value, bool):
                raise RuleViolation("invalid_value", "Invalid value for %(field)s.",
                                    params={"field": name})
        elif value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                    or value < 0):
            raise RuleViolation("invalid_value", "Invalid value for %(field)s.",
                                params={"field": name})
        elif value is None and name != "quota_hours_per_week":
            raise RuleViolation("invalid_value", "Invalid value for %(field)s.",
                                params={"field": name})
    merged = {**row, **changes}
    if merged["kind"] == ResourceKind.INSTRUMENT and merged["capacity"] != 1:
        raise RuleViolation("invalid_capacity", "An instrument has a capacity of one.")
    if merged["capacity"] < 1 or merged["slot_minutes"] < 1:
        raise RuleViolation("invalid_value", "Invalid value for %(field)s.",
                            params={"field": "capacity" if merged["capacity"] < 1 else "slot_minutes"})
    if merged["min_duration_minutes"] > merged["max_duration_minutes"]:
        raise RuleViolation("invalid_durations",
                            "The minimum duration cannot exceed the maximum.")

    async def work() -> dict[str, Any]:
        revision = await lock_resource(resource_id)
        current = await Resource.select().where(Resource.id == resource_id).first()
        if "capacity" in changes and changes["capacity"] < current["capacity"]:
            moment = now()
            future = await Booking.select().where(
                (Booking.resource == resource_id) & Booking.holds.eq(True)
                & (Booking.block_end_at > moment))
            if future:
                horizon = Interval(moment, max(b["block_end_at"] for b in future))
                booked = [(Interval(max(b["start_at"], moment), b["block_end_at"]), b["quantity"])
                          for b in future]
                colliding = _over(booked, future, changes["capacity"], horizon)
                if colliding:
                    raise Conflict(
                        "capacity_below_booked",
                        "The capacity cannot go below what is already booked.",
                        extra={"colliding_bookings": [booking_brief(b) for b in colliding],
                               "peak": peak_units(booked, horizon)},
                    )
        await mark_changed(resource_id, revision, changes)
        if changes.get("capacity", 0) > current["capacity"]:
            await ledger.promote_waiters(resource_id, now(), datetime.max.replace(
                tzinfo=now().tzinfo))
        return await Resource.select().where(Resource.id == resource_id).first()

    return await in_write_transaction(work)


def _over(booked: list[tuple[Interval, int]], rows: list[dict[str, Any]], capacity: int,
          horizon: Interval) -> list[dict[str, Any]]:
    """Bookings that overlap a moment where the booked units exceed ``capacity``."""
    colliding = []
    for (interval, _), row in zip(booked, rows, strict=True):
        others = [(i, q) for i, q in booked if i.overlaps(interval)]
        if peak_units(others, interval) > capacity:
            colliding.append(row)
    return colliding


async def replace_hours(principal: Principal, resource_id: int,
                        hours: list[tuple[int, Any, Any]]) -> list[dict[str, Any]]:
    """Replace the weekly opening hours; returns future bookings now outside them."""
    await _operated(principal, resource_id)
    for weekday, opens, closes in hours:
        if not 0 <= weekday <= 6 or (closes.hour or closes.minute) and closes <= opens:
            raise RuleViolation("invalid_hours", "Opening hours must close after they open.")
    clash = first_clash([WeeklyHours(weekday=w, opens=o, closes=c) for w, o, c in hours])
    if clash is not None:
        first, second = clash
        if (first.opens, first.closes) == (second.opens, second.closes):
            raise RuleViolation("duplicate_hours",
                                "The same opening span is given twice for one day.",
                                extra={"weekday": first.weekday})
        raise RuleViolation("overlapping_hours", "Opening spans of one day must not overlap.",
                            extra={"weekday": first.weekday})

    async def work() -> list[dict[str, Any]]:
        revision = await lock_resource(resource_id)
        await OpeningHours.delete().where(OpeningHours.resource == resource_id)
        if hours:
            await OpeningHours.insert(*[OpeningHours(resource=resource_id, weekday=w, opens=o,
                                                     closes=c) for w, o, c in hours])
        await mark_changed(resource_id, revision)
        policy, _ = await policy_and_row(resource_id)
        weekly = [WeeklyHours(weekday=w, opens=o, closes=c) for w, o, c in hours]
        future = await Booking.select().where(
            (Booking.resource == resource_id) & Booking.holds.eq(True)
            & (Booking.start_at > now())).order_by(Booking.start_at)
        outside = []
        for b in future:
            interval = Interval(b["start_at"], b["block_end_at"])
            if not is_within(interval, open_windows(weekly, interval.start, interval.end,
                                                    policy.zone)):
                outside.append(booking_brief(b))
        return outside

    return await in_write_transaction(work)


async def add_closures_bulk(principal: Principal, *, resource_id: int,
                            blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Closures from an imported calendar, all in one locked transaction.

    Each block has start, end, kind, reason and source_uid; a closure already
    imported with the same source_uid is updated instead of duplicated.
    """
    await _operated(principal, resource_id)
    for block in blocks:
        if block["kind"] not in ClosureKind.values():
            raise RuleViolation("invalid_closure_kind", "A closure is maintenance or a holiday.")

    async def work() -> dict[str, Any]:
        await lock_resource(resource_id)
        uids = [b["source_uid"] for b in blocks]
        existing = {}
        for chunk in range(0, len(uids), 500):
            rows = await Closure.select(Closure.id, Closure.source_uid).where(
                (Closure.resource == resource_id)
                & Closure.source_uid.is_in(uids[chunk:chunk + 500]))
            existing.update({r["source_uid"]: r["id"] for r in rows})
        created, updated, colliding = [], [], {}
        moment = now()
        for block in blocks:
            values = {Closure.start_at: block["start"], Closure.end_at: block["end"],
                      Closure.kind: block["kind"], Closure.reason: block["reason"][:500]}
            if block["source_uid"] in existing:
                await Closure.update(values).where(Closure.id == existing[block["source_uid"]])
                updated.append(existing[block["source_uid"]])
            else:
                closure = Closure(resource=resource_id, start_at=block["start"],
                                  end_at=block["end"], kind=block["kind"],
                                  reason=block["reason"][:500], source_uid=block["source_uid"],
                                  created_at=moment)
                await closure.save()
                existing[block["source_uid"]] = closure.id
                created.append(closure.to_dict())
            for row in await checks.holding_bookings(resource_id, block["start"], block["end"]):
                colliding[row["id"]] = row
        return {"created": created, "updated": updated,
                "colliding_bookings": [booking_brief(b) for b in
                                       await _full(list(colliding.values()))]}

    return await in_write_transaction(work)
