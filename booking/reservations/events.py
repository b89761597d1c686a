"""Listeners told of every booking change inside the writing transaction.

Invites subscribe here (see ``booking.invites``) so that the outbox row commits
or rolls back together with the change that caused it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from booking.reservations.rows import BookingRow


class ChangeKind(StrEnum):
    """What happened to a booking: the event's kind and the history row's action."""

    CREATED = "created"
    CONFIRMED = "confirmed"
    MOVED = "moved"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"
    NO_SHOW = "no_show"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    PROMOTED = "promoted"



@dataclass(frozen=True, slots=True)
class BookingChange:
    kind: ChangeKind
    booking: BookingRow
    actor_id: int | None


Listener = Callable[[BookingChange], Awaitable[None]]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


async def emit(change: BookingChange) -> None:
    for listener in list(_listeners):
        await listener(change)
