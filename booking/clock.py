"""The one source of "now" for the application.

Every rule that depends on the time (notice, horizon, check-in window, expiry,
no-shows, tokens) asks this module, so a test can freeze the clock and a rule
never sees two different "nows" within one decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_frozen: ContextVar[datetime | None] = ContextVar("parkbench_frozen_now", default=None)


def precise_now() -> datetime:
    """The current instant in UTC, to the microsecond: for retry schedules and bookkeeping."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    return datetime.now(UTC)


def now() -> datetime:
    """The current instant in UTC, to the second: what bookings, their history and
    their invites record (calendar clients know no fractions of a second)."""
    return precise_now().replace(microsecond=0)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """Within the block (and tasks started from it) ``now()`` answers ``moment``."""
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment.astimezone(UTC))
    try:
        yield _frozen.get()  # type: ignore[misc]
    finally:
        _frozen.reset(token)
