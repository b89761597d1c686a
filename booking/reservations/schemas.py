"""JSON shapes of the reservations API. Times leave in ISO 8601 with the viewer's offset."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec

from booking.errors import RuleViolation
from booking.http.bounds import EARLIEST, LATEST, IdField, Instant, check_instant
from booking.reservations.rows import BookingRow
from booking.reservations.status import BookingStatus, SeriesMode
from calendars.zones import as_instant
from platforms.choices import ClosureKind
from platforms.policy import RULE_RANGES

Note = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[str, msgspec.Meta(max_length=2000)]


class BookingIn(msgspec.Struct, forbid_unknown_fields=True):
    resource_id: IdField
    start: Instant
    end: Instant
    quantity: Annotated[int, msgspec.Meta(ge=1, le=100000)] = 1
    note: Note = ""
    enterprise_id: IdField | None = None  # operators booking on behalf
    account_id: IdField | None = None


class MoveIn(msgspec.Struct, forbid_unknown_fields=True):
    start: Instant
    end: Instant


class ReasonIn(msgspec.Struct):
    reason: Reason = ""


class SeriesIn(msgspec.Struct, forbid_unknown_fields=True):
    resource_id: IdField
    start: Instant
    end: Instant
    rrule: Annotated[str, msgspec.Meta(max_length=300)]
    mode: SeriesMode = SeriesMode.ALL_OR_NOTHING
    quantity: Annotated[int, msgspec.Meta(ge=1, le=100000)] = 1
    note: Note = ""
    enterprise_id: IdField | None = None
    account_id: IdField | None = None


class WaitlistIn(msgspec.Struct, forbid_unknown_fields=True):
    resource_id: IdField
    start: Instant
    end: Instant
    quantity: Annotated[int, msgspec.Meta(ge=1, le=100000)] = 1
    note: Note = ""


class ClosureIn(msgspec.Struct, forbid_unknown_fields=True):
    start: Instant
    end: Instant
    kind: ClosureKind = ClosureKind.MAINTENANCE
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


def _ranged(rule: str) -> Any:
    low, high = RULE_RANGES[rule]
    return Annotated[int, msgspec.Meta(ge=low, le=high)]


Capacity = _ranged("capacity")
SlotMinutes = _ranged("slot_minutes")
MinDuration = _ranged("min_duration_minutes")
MaxDuration = _ranged("max_duration_minutes")
MinNotice = _ranged("min_notice_minutes")
MaxAdvance = _ranged("max_advance_days")
Buffer = _ranged("buffer_minutes")
CancelCutoff = _ranged("cancel_cutoff_hours")
NoShowGrace = _ranged("no_show_grace_minutes")
PendingHold = _ranged("pending_hold_minutes")
Quota = _ranged("quota_hours_per_week")


class RulesIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    capacity: Capacity | msgspec.UnsetType = msgspec.UNSET
    slot_minutes: SlotMinutes | msgspec.UnsetType = msgspec.UNSET
    min_duration_minutes: MinDuration | msgspec.UnsetType = msgspec.UNSET
    max_duration_minutes: MaxDuration | msgspec.UnsetType = msgspec.UNSET
    min_notice_minutes: MinNotice | msgspec.UnsetType = msgspec.UNSET
    max_advance_days: MaxAdvance | msgspec.UnsetType = msgspec.UNSET
    buffer_minutes: Buffer | msgspec.UnsetType = msgspec.UNSET
    approval_required: bool | msgspec.UnsetType = msgspec.UNSET
    cancel_cutoff_hours: CancelCutoff | msgspec.UnsetType = msgspec.UNSET
    no_show_grace_minutes: NoShowGrace | msgspec.UnsetType = msgspec.UNSET
    pending_hold_minutes: PendingHold | msgspec.UnsetType = msgspec.UNSET
    quota_hours_per_week: Quota | None | msgspec.UnsetType = msgspec.UNSET

    def changes(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__
                if getattr(self, f) is not msgspec.UNSET}


class HoursIn(msgspec.Struct):
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6)]
    opens: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]
    closes: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]


# Seven days of a few spans each; more is a mistake or an attack on the table.
WeekHours = Annotated[list[HoursIn], msgspec.Meta(max_length=7 * 24)]


class BookingOut(msgspec.Struct):
    id: int
    uid: str
    resource_id: int
    platform_id: int
    enterprise_id: int
    account_id: int
    start: str
    end: str
    quantity: int
    status: BookingStatus
    note: str
    series_id: int | None
    hold_expires_at: str | None
    checked_in_at: str | None
    checked_out_at: str | None
    late_cancel: bool
    # Run by the platform's staff for the enterprise (代测): account_id is the operator's.
    staff_operated: bool
    sequence: int
    created_at: str
    updated_at: str


def local(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat() if moment else None


def booking_out(row: BookingRow, zone: ZoneInfo) -> BookingOut:
    return BookingOut(
        id=row["id"], uid=row["uid"], resource_id=row["resource"], platform_id=row["platform"],
        enterprise_id=row["enterprise"], account_id=row["account"],
        start=local(row["start_at"], zone), end=local(row["end_at"], zone),  # type: ignore[arg-type]
        quantity=row["quantity"], status=BookingStatus(row["status"]), note=row["note"],
        series_id=row["series"], hold_expires_at=local(row["hold_expires_at"], zone),
        checked_in_at=local(row["checked_in_at"], zone),
        checked_out_at=local(row["checked_out_at"], zone), late_cancel=row["late_cancel"],
        staff_operated=row["staff_operated"], sequence=row["sequence"],
        created_at=local(row["created_at"], zone),  # type: ignore[arg-type]
        updated_at=local(row["updated_at"], zone),  # type: ignore[arg-type]
    )


def with_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    """A time without an offset is read as wall-clock time in the resource's zone, as a
    UTC instant (``calendars.zones.as_instant`` makes the daylight-saving decision); a
    time with an offset is kept as it is. Either must lie in the range of ``bounds``."""
    check_instant(moment)
    return moment if moment.tzinfo is not None else as_instant(moment, zone)


_UNTIL_YEAR = re.compile(r"UNTIL=(\d{1,4})", re.IGNORECASE)


def check_until(rrule: str) -> None:
    """A series' UNTIL is an instant like any other: outside the range, the expansion's
    zone arithmetic would overflow at the calendar's ends."""
    for year in _UNTIL_YEAR.findall(rrule):
        if not EARLIEST.year <= int(year) < LATEST.year:
            check_instant(EARLIEST.replace(year=max(int(year), 1)))


_DURATION = re.compile(r"^P(?:(?P<d>\d{1,6})D)?(?:T(?:(?P<h>\d{1,8})H)?(?:(?P<m>\d{1,9})M)?)?$")
# No rule allows a booking longer than the longest max_duration_minutes.
MAX_DURATION = timedelta(minutes=RULE_RANGES["max_duration_minutes"][1])


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip().upper()) if text else None
    if not match or text.strip().upper() in {"P", "PT"}:
        raise RuleViolation("invalid_duration",
                            "The duration must be ISO 8601, such as PT2H or PT90M.")
    delta = timedelta(days=int(match["d"] or 0), hours=int(match["h"] or 0),
                      minutes=int(match["m"] or 0))
    if delta <= timedelta(0):
        raise RuleViolation("invalid_duration",
                            "The duration must be ISO 8601, such as PT2H or PT90M.")
    if delta > MAX_DURATION:
        raise RuleViolation("duration_too_long", "Ask for at most %(days)s days.",
                            params={"days": MAX_DURATION.days})
    return delta
