"""A weekly or daily series: occurrences expanded in the resource's zone, booked in
one locked transaction, all-or-nothing or skipping the ones that conflict."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.principal import Principal
from booking.clock import now
from booking.db import in_write_transaction
from booking.errors import DomainError, RuleViolation
from booking.reservations import checks, ledger, rules
from booking.reservations.booker import booker_for
from booking.reservations.policies import policy_and_row
from booking.reservations.rows import BookingRow
from booking.reservations.status import BookingStatus, OccurrenceOutcome, SeriesMode
from booking.reservations.tables import Booking, Series
from calendars.recurrence import RecurrenceError, expand_series
from i18n import gettext

MAX_OCCURRENCES = 200


class SeriesRejected(DomainError):
    status_code = 409


async def create_series(
    principal: Principal, *, resource_id: int, start: datetime, end: datetime, rrule: str,
    quantity: int = 1, note: str = "", mode: SeriesMode = SeriesMode.ALL_OR_NOTHING,
    enterprise_id: int | None = None, account_id: int | None = None,
) -> dict[str, Any]:
    first = rules.requested_interval(start, end)
    policy, _ = await policy_and_row(resource_id)
    try:
        occurrences = expand_series(rrule, first.start, first.end, policy.zone,
                                    max_count=MAX_OCCURRENCES)
    except RecurrenceError as exc:
        raise RuleViolation(exc.code, "The recurrence rule is not valid: %(detail)s",
                            params={"detail": exc.detail}) from exc
    booker = await booker_for(principal, policy.platform_id, enterprise_id=enterprise_id,
                              account_id=account_id)
    if booker.needs_qualification:
        await checks.ensure_qualified(policy, booker.account_id, first.start)
    reason = "series, staff operated" if booker.staff_operated else "series"

    async def work() -> dict[str, Any]:
        fresh = await ledger.lock(resource_id)
        moment = now()
        series = Series(
            uid=ledger.new_uid(), resource=resource_id, account=booker.account_id,
            enterprise=booker.enterprise_id, rrule=rrule, first_start_at=first.start,
            first_end_at=first.end, quantity=quantity, note=note[:2000], created_at=moment,
        )
        await series.save()
        outcomes: list[dict[str, Any]] = []
        pending = fresh.approval_required and not booker.on_behalf
        initial = BookingStatus.PENDING if pending else BookingStatus.CONFIRMED
        for occurrence in occurrences:
            outcome: dict[str, Any] = {"start": occurrence.start.isoformat(),
                                       "end": occurrence.end.isoformat()}
            try:
                await checks.ensure_bookable(fresh, occurrence, quantity,
                                             enterprise_id=booker.enterprise_id,
                                             by_operator=booker.on_behalf, moment=moment)
            except DomainError as exc:
                outcome.update(status=OccurrenceOutcome.SKIPPED, code=exc.code,
                               message=gettext(exc.message, **exc.params))
                outcomes.append(outcome)
                continue
            row = await ledger.insert(
                fresh, occurrence, quantity=quantity, status=initial,
                enterprise_id=booker.enterprise_id, account_id=booker.account_id,
                created_by=principal.id, reason=reason, series_id=series.id, note=note,
                staff_operated=booker.staff_operated)
            if row is None:
                outcome.update(status=OccurrenceOutcome.SKIPPED, code="slot_unavailable",
                               message=gettext("The slot is no longer available."))
                outcomes.append(outcome)
                continue
            outcome.update(status=OccurrenceOutcome.BOOKED, booking_id=row["id"],
                           booking_status=initial.value)
            outcomes.append(outcome)
        booked = [o for o in outcomes if o["status"] == OccurrenceOutcome.BOOKED]
        skipped = len(outcomes) - len(booked)
        if mode == SeriesMode.ALL_OR_NOTHING and skipped:
            for o in outcomes:
                if o["status"] == OccurrenceOutcome.BOOKED:
                    o["status"] = OccurrenceOutcome.NOT_BOOKED
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


async def series_bookings(series_id: int) -> list[BookingRow]:
    return await Booking.select().where(Booking.series == series_id).order_by(Booking.start_at)
