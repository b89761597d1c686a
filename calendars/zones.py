"""The park's zone, zones by name, and the one rule for a wall-clock time typed without
an offset.

The park runs on Asia/Shanghai (DOMAIN.md): it is the zone of a platform, an account
or a viewer that names none. It is declared here, in the lowest layer that reasons
about zones, and every layer above imports it (``booking.settings`` shows it as
``Settings.timezone``); ``i18n.formatting`` sits below and is always handed the zone
to format in, so it needs no default of its own.

A deployment for a park elsewhere sets ``PARKBENCH_TIMEZONE``. It is read here, once,
when the process starts, because table defaults and principals below the app factory
need it too; a name the machine's zone database lacks stops the start-up.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PARK_ZONE_VARIABLE = "PARKBENCH_TIMEZONE"
DEFAULT_ZONE_NAME = os.environ.get(PARK_ZONE_VARIABLE) or "Asia/Shanghai"
try:
    DEFAULT_ZONE = ZoneInfo(DEFAULT_ZONE_NAME)
except (ZoneInfoNotFoundError, ValueError) as exc:
    raise RuntimeError(f"{PARK_ZONE_VARIABLE}={DEFAULT_ZONE_NAME!r} names no time zone") from exc


def zone_named(name: str | None, default: ZoneInfo = DEFAULT_ZONE) -> ZoneInfo:
    """The zone called ``name``; ``default`` when it is empty or no zone has that name.

    Names come from rows and preferences, so a stale or mistyped one must not turn a
    page into an error."""
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default


def is_zone_name(name: str | None) -> bool:
    """Whether ``name`` names a zone this machine knows (for validating settings and forms)."""
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def as_instant(value: datetime, zone: ZoneInfo) -> datetime:
    """``value`` as an aware UTC instant; a time without an offset is wall-clock time in
    ``zone`` (the resource's, on every path that books or closes).

    The daylight-saving decision, made once: a wall time the clock skips (a spring-forward
    gap) means the moment the same distance after the jump, as a clock set forward reads
    it (02:30 in a one-hour gap is 03:30); a wall time that happens twice (a fall-back
    fold) means its first occurrence. A time with an offset keeps its instant.
    """
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(UTC)
    naive = value.replace(tzinfo=None)
    # fold=0 is the earlier offset: the first occurrence of a repeated wall time, and, in a
    # gap, the offset before the jump, which lands the instant that far after it.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)

