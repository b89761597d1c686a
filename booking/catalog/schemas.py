"""JSON shapes of the catalog API. Codes are the ``platforms.choices`` enums, so the
OpenAPI schema lists every allowed value."""

from __future__ import annotations

import msgspec

from platforms.choices import BillingBasis, Category, ResourceKind, Tier, Unit
from platforms.pricing import yuan_text


class Text(msgspec.Struct):
    zh: str
    en: str


class PlatformOut(msgspec.Struct):
    id: int
    code: str
    name: Text
    description: Text
    operator: Text
    mailbox: str
    phone: str
    timezone: str
    resource_counts: dict[str, int]


class Location(msgspec.Struct):
    building: Text
    room: str


class Price(msgspec.Struct):
    tier: Tier
    price_fen: int
    price: str  # CNY with two decimals, exact
    unit: Unit


class Policy(msgspec.Struct):
    slot_minutes: int
    min_duration_minutes: int
    max_duration_minutes: int
    min_notice_minutes: int
    max_advance_days: int
    buffer_minutes: int
    approval_required: bool
    cancel_cutoff_hours: int
    no_show_grace_minutes: int
    pending_hold_minutes: int
    quota_hours_per_week: int | None


class Billing(msgspec.Struct):
    increment_minutes: int
    minimum_minutes: int
    basis: BillingBasis
    late_cancel_percent: int
    no_show_percent: int


class HoursOut(msgspec.Struct):
    weekday: int
    opens: str
    closes: str


class QualificationOut(msgspec.Struct):
    id: int
    code: str
    name: Text


class ResourceSummary(msgspec.Struct):
    id: int
    code: str
    platform: str
    kind: ResourceKind
    category: Category
    name: Text
    capacity: int
    unit: Unit
    approval_required: bool
    requires_qualification: bool
    location: Location


class ResourceOut(msgspec.Struct):
    id: int
    code: str
    platform: str
    kind: ResourceKind
    category: Category
    name: Text
    description: Text
    location: Location
    capacity: int
    capacity_unit: Text
    unit: Unit
    timezone: str
    tariffs: list[Price]
    billing: Billing
    policy: Policy | None
    opening_hours: list[HoursOut]
    qualification: QualificationOut | None
    lead_time_days: int | None


def _text(row: dict, field: str) -> Text:
    return Text(zh=row.get(f"{field}_zh") or "", en=row.get(f"{field}_en") or "")


def platform_out(row: dict) -> PlatformOut:
    return PlatformOut(
        id=row["id"], code=row["code"], name=_text(row, "name"),
        description=_text(row, "description"), operator=_text(row, "operator"),
        mailbox=row["mailbox"], phone=row["phone"], timezone=row["timezone"],
        resource_counts=row.get("resource_counts", {}),
    )


def _location(row: dict) -> Location:
    return Location(building=_text(row, "building"), room=row["room"])


def resource_summary(row: dict) -> ResourceSummary:
    return ResourceSummary(
        id=row["id"], code=row["code"], platform=row["platform_code"], kind=row["kind"],
        category=row["category"], name=_text(row, "name"), capacity=row["capacity"],
        unit=row["unit"], approval_required=row["approval_required"],
        requires_qualification=row["qualification"] is not None, location=_location(row),
    )


def resource_out(row: dict) -> ResourceOut:
    slotted = row["kind"] != ResourceKind.SERVICE
    qual = row.get("qualification_detail")
    return ResourceOut(
        id=row["id"], code=row["code"], platform=row["platform_code"], kind=row["kind"],
        category=row["category"], name=_text(row, "name"),
        description=_text(row, "description"), location=_location(row),
        capacity=row["capacity"], capacity_unit=_text(row, "capacity_unit"), unit=row["unit"],
        timezone=row["timezone"],
        tariffs=[
            Price(tier=Tier(tier), price_fen=fen, price=yuan_text(fen), unit=Unit(row["unit"]))
            for tier, fen in sorted(row["tariffs"].items())
        ],
        billing=Billing(
            increment_minutes=row["increment_minutes"], minimum_minutes=row["minimum_minutes"],
            basis=row["billing_basis"], late_cancel_percent=row["late_cancel_percent"],
            no_show_percent=row["no_show_percent"],
        ),
        policy=Policy(
            slot_minutes=row["slot_minutes"], min_duration_minutes=row["min_duration_minutes"],
            max_duration_minutes=row["max_duration_minutes"],
            min_notice_minutes=row["min_notice_minutes"],
            max_advance_days=row["max_advance_days"], buffer_minutes=row["buffer_minutes"],
            approval_required=row["approval_required"],
            cancel_cutoff_hours=row["cancel_cutoff_hours"],
            no_show_grace_minutes=row["no_show_grace_minutes"],
            pending_hold_minutes=row["pending_hold_minutes"],
            quota_hours_per_week=row["quota_hours_per_week"],
        ) if slotted else None,
        opening_hours=[
            HoursOut(weekday=h["weekday"], opens=h["opens"].strftime("%H:%M"),
                     closes="24:00" if h["closes"].hour == 0 and h["closes"].minute == 0
                     else h["closes"].strftime("%H:%M"))
            for h in row["hours"]
        ],
        qualification=QualificationOut(id=qual["id"], code=qual["code"], name=_text(qual, "name"))
        if qual else None,
        lead_time_days=row["lead_time_days"],
    )
