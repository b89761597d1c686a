"""Bookings as the engineer pages show them: with their resource, allowed actions and terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.permissions import Can
from booking.accounts.principal import Principal
from booking.accounts.tables import Account
from booking.reservations import rules
from booking.reservations.access import may
from booking.reservations.policies import policy_and_row
from platforms import pricing
from platforms.tables import Resource

RESOURCE_COLUMNS = (Resource.id, Resource.name_zh, Resource.name_en, Resource.kind,
                    Resource.unit, Resource.capacity_unit_zh, Resource.capacity_unit_en)


async def resources_by_id(ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = await Resource.select(*RESOURCE_COLUMNS).where(Resource.id.is_in(sorted(ids)))
    return {r["id"]: r for r in rows}


async def people_by_id(ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = await Account.select(Account.id, Account.display_name, Account.email).where(
        Account.id.is_in(sorted(ids)))
    return {r["id"]: r for r in rows}


def actions(booking: dict[str, Any], now: datetime) -> dict[str, bool]:
    status = booking["status"]
    open_ = status in ("pending", "confirmed")
    return {
        "cancel": open_,
        "move": open_ and booking["start_at"] > now,
        "check_in": status == "confirmed"
        and rules.may_check_in(booking["start_at"], booking["block_end_at"], now),
        "check_out": status == "in_use",
        "ics": status in ("pending", "confirmed", "in_use", "completed"),
    }


async def decorate(rows: list[dict[str, Any]], now: datetime,
                   with_people: bool = False) -> list[dict[str, Any]]:
    """Each booking with ``resource_row`` (names, kind) and ``can`` (allowed actions)."""
    resources = await resources_by_id({r["resource"] for r in rows})
    people = await people_by_id({r["account"] for r in rows}) if with_people else {}
    for row in rows:
        row["resource_row"] = resources.get(row["resource"], {})
        row["can"] = actions(row, now)
        if with_people:
            row["person"] = people.get(row["account"], {})
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
