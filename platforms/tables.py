"""Catalog tables. Money is integer fen; instants are UTC ``Timestamptz``."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from calendars.zones import DEFAULT_ZONE_NAME
from platforms.choices import BillingBasis, ClosureKind, ResourceKind, Tier, Unit

# The codes as tuples, for callers that check membership or iterate in order.
KINDS = ResourceKind.values()
TIERS = Tier.values()
UNITS = Unit.values()
BILLING_BASES = BillingBasis.values()
CLOSURE_KINDS = ClosureKind.values()


class Platform(Table):
    id = Serial(primary_key=True)
    code = Varchar(length=16, unique=True)
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200)
    description_zh = Text(default="")
    description_en = Text(default="")
    operator_zh = Varchar(length=200, default="")
    operator_en = Varchar(length=200, default="")
    mailbox = Varchar(length=200, default="")
    phone = Varchar(length=50, default="")
    timezone = Varchar(length=64, default=DEFAULT_ZONE_NAME)
    # Hours per enterprise per week across the platform's slotted resources; None = no quota.
    quota_hours_per_week = Integer(null=True, default=None)
    position = SmallInt(default=0)


class Qualification(Table):
    id = Serial(primary_key=True)
    code = Varchar(length=64, unique=True)
    platform = ForeignKey(references=Platform)
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200)
    valid_days = Integer(default=365)


class Resource(Table):
    id = Serial(primary_key=True)
    code = Varchar(length=64, unique=True)
    platform = ForeignKey(references=Platform, index=True)
    kind = Varchar(length=16, choices=None, index=True)
    category = Varchar(length=64, default="", index=True)
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200)
    description_zh = Text(default="")
    description_en = Text(default="")
    building_zh = Varchar(length=200, default="")
    building_en = Varchar(length=200, default="")
    room = Varchar(length=50, default="")
    capacity = Integer(default=1)
    capacity_unit_zh = Varchar(length=50, default="")
    capacity_unit_en = Varchar(length=50, default="")
    unit = Varchar(length=16, default=Unit.HOUR.value)
    # Billing
    increment_minutes = Integer(default=30)
    minimum_minutes = Integer(default=0)
    billing_basis = Varchar(length=8, default=BillingBasis.ACTUAL.value)
    late_cancel_percent = SmallInt(default=0)
    no_show_percent = SmallInt(default=0)
    # Booking policy
    slot_minutes = Integer(default=30)
    min_duration_minutes = Integer(default=30)
    max_duration_minutes = Integer(default=480)
    min_notice_minutes = Integer(default=0)
    max_advance_days = Integer(default=60)
    buffer_minutes = Integer(default=0)
    approval_required = Boolean(default=False)
    cancel_cutoff_hours = Integer(default=24)
    no_show_grace_minutes = Integer(default=15)
    pending_hold_minutes = Integer(default=1440)
    quota_hours_per_week = Integer(null=True, default=None)
    lead_time_days = Integer(null=True, default=None)
    qualification = ForeignKey(references=Qualification, null=True)
    active = Boolean(default=True)
    # Bumped on every change of rules or capacity so caches and invites notice.
    revision = Integer(default=0)
    updated_at = Timestamptz(default=TimestamptzNow())


class OpeningHours(Table):
    id = Serial(primary_key=True)
    resource = ForeignKey(references=Resource, index=True)
    weekday = SmallInt()  # 0 = Monday, in the platform's zone
    opens = Time()
    closes = Time()  # 00:00 means midnight at the end of the day


class Closure(Table):
    id = Serial(primary_key=True)
    resource = ForeignKey(references=Resource, index=True)
    start_at = Timestamptz(index=True)
    end_at = Timestamptz()
    kind = Varchar(length=16, default=ClosureKind.MAINTENANCE.value)
    reason = Varchar(length=500, default="")
    # Set for closures that came from an imported calendar, so a re-import updates them.
    source_uid = Varchar(length=500, null=True, default=None, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Tariff(Table):
    id = Serial(primary_key=True)
    resource = ForeignKey(references=Resource, index=True)
    tier = Varchar(length=16)
    price_fen = Integer()


__all__ = [
    "BILLING_BASES",
    "CLOSURE_KINDS",
    "KINDS",
    "TIERS",
    "UNITS",
    "Closure",
    "OpeningHours",
    "Platform",
    "Qualification",
    "Resource",
    "Tariff",
]
