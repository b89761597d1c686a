"""Listeners told of every booking change inside the writing transaction.

Invites subscribe here (see ``booking.invites``) so that the outbox row commits
or rolls back together with the change that caused it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

CHANGES = ("created", "confirmed", "moved", "cancelled", "rejected", "expired",
           "no_show", "checked_in", "checked_out", "promoted")


@dataclass(frozen=True, slots=True)
class BookingChange:
    kind: str
    booking: dict[str, Any]
    actor_id: int | None


Listener = Callable[[BookingChange], Awaitable[None]]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


async def emit(change: BookingChange) -> None:
    for listener in list(_listeners):
        await listener(change)
