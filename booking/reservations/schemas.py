"""JSON shapes of the reservations API. Times leave in ISO 8601 with the viewer's offset."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec

from booking.errors import RuleViolation
from booking.reservations.rows import BookingRow
from booking.reservations.status import BookingStatus, SeriesMode
from calendars.zones import as_instant
from platforms.choices import ClosureKind

Note = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[str, msgspec.Meta(max_length=2000)]


class BookingIn(msgspec.Struct, forbid_unknown_fields=True):
    resource_id: int
    start: datetime
    end: datetime
    quantity: Annotated[int, msgspec.Meta(ge=1, le=100000)] = 1
    note: Note = ""
    enterprise_id: int | None = None  # operators booking on behalf
    account_id: int | None = None


class MoveIn(msgspec.Struct, forbid_unknown_fields=True):
    start: datetime
    end: datetime


class ReasonIn(msgspec.Struct):
    reason: Reason = ""


class SeriesIn(msgspec.Struct, forbid_unknown_fields=True):
    resource_id: int
    start: datetime
    end: datetime
    rrule: Annotated[str, msgspec.Meta(max_length=300)]
    mode: SeriesMode = SeriesMode.ALL_OR_NOTHING
    quantity: Annotated[int, msgspec.Meta(ge=1, le=100000)] = 1
    note: Note = ""
    enterprise_id: int | None = None
    account_id: int | None = None


class WaitlistIn(msgspec.Struct, forbid_unknown_fields=True):
    resource_id: int
    start: datetime
    end: datetime
    quantity: Annotated[int, msgspec.Meta(ge=1, le=100000)] = 1
    note: Note = ""


class ClosureIn(msgspec.Struct, forbid_unknown_fields=True):
    start: datetime
    end: datetime
    kind: ClosureKind = ClosureKind.MAINTENANCE
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class RulesIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    capacity: int | msgspec.UnsetType = msgspec.UNSET
    slot_minutes: int | msgspec.UnsetType = msgspec.UNSET
    min_duration_minutes: int | msgspec.UnsetType = msgspec.UNSET
    max_duration_minutes: int | msgspec.UnsetType = msgspec.UNSET
    min_notice_minutes: int | msgspec.UnsetType = msgspec.UNSET
    max_advance_days: int | msgspec.UnsetType = msgspec.UNSET
    buffer_minutes: int | msgspec.UnsetType = msgspec.UNSET
    approval_required: bool | msgspec.UnsetType = msgspec.UNSET
    cancel_cutoff_hours: int | msgspec.UnsetType = msgspec.UNSET
    no_show_grace_minutes: int | msgspec.UnsetType = msgspec.UNSET
    pending_hold_minutes: int | msgspec.UnsetType = msgspec.UNSET
    quota_hours_per_week: int | None | msgspec.UnsetType = msgspec.UNSET

    def changes(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__
                if getattr(self, f) is not msgspec.UNSET}


class HoursIn(msgspec.Struct):
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6)]
    opens: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]
    closes: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]


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
    time with an offset is kept as it is."""
    return moment if moment.tzinfo is not None else as_instant(moment, zone)


_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?)?$")


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
    return delta
