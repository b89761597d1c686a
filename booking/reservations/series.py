"""A weekly or daily series: occurrences expanded in the resource's zone, booked in
one locked transaction, all-or-nothing or skipping the ones that conflict."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from booking.accounts.principal import Principal
from booking.db import in_write_transaction, lock_resource
from booking.errors import DomainError, RuleViolation
from booking.reservations import checks
from booking.reservations.events import BookingChange, emit
from booking.reservations.policies import current_policy, policy_and_row
from booking.reservations.tables import Booking, Series
from calendars.recurrence import RecurrenceError, expand_series
from i18n import gettext
from platforms.policy import check_shape

Mode = Literal["all_or_nothing", "skip_conflicts"]
MAX_OCCURRENCES = 200


class SeriesRejected(DomainError):
    status_code = 409


async def create_series(
    principal: Principal, *, resource_id: int, start: datetime, end: datetime, rrule: str,
    quantity: int = 1, note: str = "", mode: Mode = "all_or_nothing",
    enterprise_id: int | None = None, account_id: int | None = None,
) -> dict[str, Any]:
    from booking.reservations.service import _booker, _insert, _interval, new_uid, now, record

    first = _interval(start, end)
    policy, _ = await policy_and_row(resource_id)
    try:
        occurrences = expand_series(rrule, first.start, first.end, policy.zone,
                                    max_count=MAX_OCCURRENCES)
    except RecurrenceError as exc:
        raise RuleViolation(exc.code, "The recurrence rule is not valid: %(detail)s",
                            params={"detail": exc.detail}) from exc
    booker, enterprise, by_operator = await _booker(principal, enterprise_id, account_id)
    await checks.ensure_qualified(policy, booker, first.start)

    async def work() -> dict[str, Any]:
        await lock_resource(resource_id)
        fresh, _ = await current_policy(resource_id)
        moment = now()
        series = Series(
            uid=f"{uuid.uuid4()}@parkbench", resource=resource_id, account=booker,
            enterprise=enterprise, rrule=rrule, first_start_at=first.start,
            first_end_at=first.end, quantity=quantity, note=note[:2000], created_at=moment,
        )
        await series.save()
        outcomes: list[dict[str, Any]] = []
        initial = "pending" if fresh.approval_required and not by_operator else "confirmed"
        for occurrence in occurrences:
            outcome: dict[str, Any] = {"start": occurrence.start.isoformat(),
                                       "end": occurrence.end.isoformat()}
            try:
                checks.raise_violation(check_shape(fresh, occurrence.start, occurrence.end,
                                                   quantity, moment, by_operator=by_operator))
                await checks.ensure_open(fresh, occurrence)
                await checks.ensure_capacity(fresh, occurrence, quantity)
                if not by_operator:
                    await checks.ensure_quota(fresh, enterprise, occurrence, quantity)
            except DomainError as exc:
                outcome.update(status="skipped", code=exc.code,
                               message=gettext(exc.message, **exc.params))
                outcomes.append(outcome)
                continue
            row = await _insert({
                "uid": new_uid(), "resource": resource_id, "platform": fresh.platform_id,
                "enterprise": enterprise, "account": booker, "created_by": principal.id,
                "exclusive": fresh.exclusive, "start_at": occurrence.start,
                "end_at": occurrence.end, "block_end_at": occurrence.end,
                "quantity": quantity, "status": initial, "holds": True,
                "hold_expires_at": moment + fresh.pending_hold if initial == "pending" else None,
                "series": series.id, "note": note[:2000], "idempotency_key": None,
                "sequence": 0, "created_at": moment, "updated_at": moment,
            })
            if row is None:
                outcome.update(status="skipped", code="slot_unavailable",
                               message=gettext("The slot is no longer available."))
                outcomes.append(outcome)
                continue
            await record(row["id"], "created", principal.id, None, initial, "series")
            await emit(BookingChange("created", row, principal.id))
            outcome.update(status="booked", booking_id=row["id"], booking_status=initial)
            outcomes.append(outcome)
        booked = [o for o in outcomes if o["status"] == "booked"]
        skipped = len(outcomes) - len(booked)
        if mode == "all_or_nothing" and skipped:
            for o in outcomes:
                if o["status"] == "booked":
                    o["status"] = "not_booked"
                    o.pop("booking_id", None)
                    o.pop("booking_status", None)
            raise SeriesRejected(
                "series_conflict",
                "%(n)s of the occurrences cannot be booked, so none were.",
                params={"n": skipped}, extra={"occurrences": outcomes},
            )
        if not booked:
            raise SeriesRejected("series_conflict",
                                 "%(n)s of the occurrences cannot be booked, so none were.",
                                 params={"n": skipped}, extra={"occurrences": outcomes})
        return {"id": series.id, "uid": series.uid, "rrule": rrule, "mode": mode,
                "occurrences": outcomes}

    return await in_write_transaction(work)


async def series_bookings(series_id: int) -> list[dict[str, Any]]:
    return await Booking.select().where(Booking.series == series_id).order_by(Booking.start_at)
