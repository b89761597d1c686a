"""Bookings as the engineer pages show them: with their resource, allowed actions and terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts import queries as people
from booking.accounts.permissions import Can
from booking.accounts.principal import Principal
from booking.catalog import queries as catalog
from booking.reservations import rules
from booking.reservations.access import may
from booking.reservations.policies import policy_and_row
from booking.reservations.status import BookingStatus as S
from platforms import pricing

OPEN = (S.PENDING, S.CONFIRMED)
IN_A_CALENDAR = (S.PENDING, S.CONFIRMED, S.IN_USE, S.COMPLETED)


def actions(booking: dict[str, Any], now: datetime) -> dict[str, bool]:
    status = booking["status"]
    open_ = status in OPEN
    return {
        "cancel": open_,
        "move": open_ and booking["start_at"] > now,
        "check_in": status == S.CONFIRMED
        and rules.may_check_in(booking["start_at"], booking["block_end_at"], now),
        "check_out": status == S.IN_USE,
        "ics": status in IN_A_CALENDAR,
    }


async def decorate(rows: list[dict[str, Any]], now: datetime,
                   people_for: Principal | None = None) -> list[dict[str, Any]]:
    """Each booking with ``resource_row`` (names, kind) and ``can`` (allowed actions);
    with ``person`` (the booker's name) too when ``people_for`` may see the bookers."""
    resources = await catalog.resource_names({r["resource"] for r in rows})
    persons = {}
    if people_for is not None:
        persons = await people.people_by_id(people_for, {r["account"] for r in rows})
    for row in rows:
        row["resource_row"] = resources.get(row["resource"], {})
        row["can"] = actions(row, now)
        if people_for is not None:
            row["person"] = persons.get(row["account"], {})
    return rows


async def cancellation_preview(principal: Principal, booking: dict[str, Any],
                               now: datetime) -> dict[str, Any]:
    """The cutoff, whether cancelling now is late, and the fee it would cost (fen)."""
    policy, resource = await policy_and_row(booking["resource"])
    terms = rules.cancellation_terms(booking["start_at"], policy.cancel_cutoff,
                                     resource["late_cancel_percent"], now,
                                     status=booking["status"],
                                     by_operator=may(principal, Can.OPERATE_RESOURCE, booking))
    cost = pricing.estimate_fen(resource, resource["tariffs"], principal.tier, booking["start_at"],
                                booking["end_at"], booking["quantity"])
    return {"cutoff_at": terms.cutoff_at, "late": terms.late, "percent": terms.fee_percent,
            "fee_fen": pricing.share_fen(cost, terms.fee_percent)}
