"""Closures (maintenance plans, holidays) imported from an operator's .ics file.

``calendars.ics_import.parse_blocks`` reads and expands the file; every
occurrence becomes a closure in one locked transaction, so a file is imported
whole or not at all. A closure keeps the occurrence's UID, and importing the
same file again updates those closures instead of adding copies.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.clock import now
from booking.errors import RuleViolation
from booking.reservations import operations
from booking.reservations.policies import policy_and_row
from calendars.ics_import import IcsImportError, parse_blocks
from i18n.translations import N_
from platforms.choices import ClosureKind

MAX_BYTES = 2 * 1024 * 1024
# Closures further ahead than bookings can be made change nothing yet.
LOOKBACK = timedelta(days=1)
MIN_HORIZON = timedelta(days=400)


def _refusal(error: IcsImportError) -> RuleViolation:
    extra: dict[str, Any] = {"line": error.line, "detail": error.detail[:300]}
    if error.line is not None:
        return RuleViolation(error.code,
                             "The calendar file cannot be imported: line %(line)s: %(detail)s",
                             params={"line": error.line, "detail": error.detail[:300]},
                             extra=extra)
    return RuleViolation(error.code, "The calendar file cannot be imported: %(detail)s",
                         params={"detail": error.detail[:300]}, extra=extra)


async def import_closures(principal: Principal, resource_id: int, data: bytes, *,
                          kind: str = ClosureKind.MAINTENANCE) -> dict[str, Any]:
    if len(data) > MAX_BYTES:
        raise RuleViolation("ics_too_large", "The calendar file is larger than 2 MB.",
                            status=413)
    if kind not in ClosureKind.values():
        raise RuleViolation("invalid_closure_kind", "A closure is maintenance or a holiday.")
    policy, _ = await policy_and_row(resource_id)
    require(principal, Can.OPERATE_RESOURCE, platform_id=policy.platform_id,
            message=N_("You do not operate this platform."))
    moment = now()
    try:
        blocks = parse_blocks(data, window_start=moment - LOOKBACK,
                              window_end=moment + max(policy.max_advance, MIN_HORIZON),
                              default_zone=policy.zone)
    except IcsImportError as error:
        raise _refusal(error) from error
    if not blocks:
        raise RuleViolation("ics_nothing_ahead",
                            "The calendar file has no events in the coming months.")
    result = await operations.add_closures_bulk(principal, resource_id=resource_id, blocks=[
        {"start": b.start, "end": b.end, "kind": kind, "reason": b.summary,
         "source_uid": b.uid[:500]} for b in blocks])
    result["occurrences"] = len(blocks)
    return result
