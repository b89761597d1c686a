"""Booking policies by resource, cached briefly in-process.

Reads outside the lock may use a cached policy; writes re-read the resource's
``revision`` under the lock and reload when it moved, so a rule or capacity
change is never missed by a write. Every change of rules, capacity, opening hours
or tariffs bumps ``revision``.
"""

from __future__ import annotations

import time

from booking.clock import now
from booking.errors import NotFound
from platforms import catalog
from platforms.policy import BookingPolicy
from platforms.tables import Resource

_TTL_SECONDS = 10.0
_cache: dict[int, tuple[float, int, BookingPolicy, dict]] = {}


async def _load(resource_id: int) -> tuple[int, BookingPolicy, dict]:
    row = await catalog.resource_row(resource_id)
    if row is None:
        raise NotFound("resource_not_found", "No resource with this id.")
    hours = await catalog.opening_hours(resource_id)
    row["tariffs"] = await catalog.tariffs(resource_id)
    policy = BookingPolicy.from_row(row, hours)
    _cache[resource_id] = (time.monotonic() + _TTL_SECONDS, row["revision"], policy, row)
    return row["revision"], policy, row


async def policy_and_row(resource_id: int) -> tuple[BookingPolicy, dict]:
    cached = _cache.get(resource_id)
    if cached:
        if cached[0] > time.monotonic():
            return cached[2], cached[3]
        # Expired: one cheap look at the revision decides whether to reload.
        row = await Resource.select(Resource.revision).where(Resource.id == resource_id).first()
        if row is not None and row["revision"] == cached[1]:
            _cache[resource_id] = (time.monotonic() + _TTL_SECONDS, *cached[1:])
            return cached[2], cached[3]
    _, policy, row = await _load(resource_id)
    return policy, row


async def current_policy(resource_id: int, revision: int | None = None) -> tuple[BookingPolicy, dict]:
    """Under the resource lock: the policy as committed now.

    ``revision`` is what ``lock_resource()`` read while taking the lock; without it
    the revision is read here.
    """
    if revision is None:
        row = await Resource.select(Resource.revision).where(Resource.id == resource_id).first()
        if row is None:
            raise NotFound("resource_not_found", "No resource with this id.")
        revision = row["revision"]
    cached = _cache.get(resource_id)
    if cached and cached[1] == revision:
        return cached[2], cached[3]
    _, policy, full = await _load(resource_id)
    return policy, full


def forget(resource_id: int) -> None:
    _cache.pop(resource_id, None)


async def mark_changed(resource_id: int, revision: int, changes: dict | None = None) -> None:
    """Inside the locked write that changed the resource's rules, capacity, hours or
    tariffs: store ``changes`` and move the revision on, so every cache and every
    later write notices. ``revision`` is what ``lock_resource()`` returned."""
    await Resource.update({**(changes or {}), "revision": revision + 1,
                           "updated_at": now()}).where(Resource.id == resource_id)
    forget(resource_id)
