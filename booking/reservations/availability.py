"""Free time: per resource (intervals, or free units for pools) and the earliest slots
across resources. Advice for people choosing a slot; writes re-check under the lock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from booking.reservations import checks
from booking.reservations.policies import policy_and_row
from calendars.intervals import Interval, merge, subtract
from calendars.occupancy import earliest_fit, free_intervals, free_units_profile
from calendars.opening import open_windows
from platforms import catalog
from platforms.choices import ResourceKind
from platforms.policy import BookingPolicy

MAX_WINDOW = timedelta(days=62)


async def windows_for(policy: BookingPolicy, window: Interval) -> tuple[list[Interval], list[Interval]]:
    """(open windows minus closures, closures) within ``window``."""
    opened = open_windows(policy.hours, window.start, window.end, policy.zone)
    closures = await checks.closure_intervals(policy.resource_id, window.start, window.end)
    return subtract(opened, closures), closures


async def availability(resource_id: int, window: Interval) -> dict[str, Any]:
    policy, _ = await policy_and_row(resource_id)
    windows, closures = await windows_for(policy, window)
    lo, hi = window.start - policy.buffer, window.end + policy.buffer
    rows = await checks.holding_bookings(resource_id, lo, hi)
    result: dict[str, Any] = {
        "resource_id": resource_id, "kind": policy.kind, "capacity": policy.capacity,
        "timezone": policy.zone.key, "open": windows, "closures": closures,
        "busy": [Interval(r["start_at"], r["block_end_at"]) for r in rows],
    }
    if policy.exclusive:
        result["free"] = free_intervals(result["busy"], windows, policy.buffer)
    else:
        booked = [(Interval(r["start_at"], r["block_end_at"]), r["quantity"]) for r in rows]
        profile = free_units_profile(booked, policy.capacity, windows)
        result["units"] = profile
        result["free"] = merge([interval for interval, free in profile if free > 0])
    return result


async def earliest(*, kind: str | None, platform: str | None, category: str | None,
                   duration: timedelta, after: datetime, quantity: int = 1,
                   limit: int = 10, horizon: timedelta = timedelta(days=14),
                   now: datetime) -> list[dict[str, Any]]:
    resources = await catalog.list_resources(platform_code=platform, kind=kind,
                                             category=category)
    found: list[dict[str, Any]] = []
    for resource in resources:
        if resource["kind"] == ResourceKind.SERVICE or resource["capacity"] < quantity:
            continue
        policy, row = await policy_and_row(resource["id"])
        if duration < policy.min_duration or duration > policy.max_duration:
            continue
        start = max(after, now + policy.min_notice)
        end = min(start + horizon, now + policy.max_advance)
        if end <= start:
            continue
        info = await availability(resource["id"], Interval(start, end))
        if policy.exclusive:
            free = info["free"]
        else:
            free = merge([i for i, units in info["units"] if units >= quantity])
        slot = earliest_fit(free, duration, start, policy.slot, policy.zone)
        if slot:
            found.append({"resource": row, "start": slot.start, "end": slot.end})
    found.sort(key=lambda f: (f["start"], f["resource"]["id"]))
    return found[:limit]
