"""Listeners told of account mail to send, inside the writing transaction.

The outbox (``booking.invites.outbox``) subscribes, so the queued e-mail commits or
rolls back with the member it invites; accounts never import the outbox.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class InvitationIssued:
    account_id: int
    email: str
    display_name: str
    enterprise_name_zh: str
    enterprise_name_en: str
    inviter_name: str
    secret: str  # only ever in the e-mail; the table keeps its hash
    expires_at: datetime
    locale: str
    timezone: str


Listener = Callable[[InvitationIssued], Awaitable[None]]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


async def emit(event: InvitationIssued) -> None:
    for listener in list(_listeners):
        await listener(event)
