"""Reservations, their history, series and the waitlist.

A booking takes capacity while ``holds`` is true, over [start_at, block_end_at).
``block_end_at`` equals ``end_at`` until a no-show or an early check-out releases the
rest of the slot; ``end_at`` keeps the booked end for billing and invites.
"""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.accounts.tables import Account, Enterprise
from booking.reservations.status import WaitlistStatus
from platforms.tables import Platform, Resource


class Series(Table):
    id = Serial(primary_key=True)
    uid = Varchar(length=100, unique=True)
    resource = ForeignKey(references=Resource, index=True)
    account = ForeignKey(references=Account, index=True)
    enterprise = ForeignKey(references=Enterprise, index=True)
    rrule = Varchar(length=300)
    first_start_at = Timestamptz()
    first_end_at = Timestamptz()
    quantity = Integer(default=1)
    sequence = Integer(default=0)
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Booking(Table):
    id = Serial(primary_key=True)
    uid = Varchar(length=100, unique=True)
    resource = ForeignKey(references=Resource, index=True)
    platform = ForeignKey(references=Platform, index=True)
    enterprise = ForeignKey(references=Enterprise, index=True)
    account = ForeignKey(references=Account, index=True)
    created_by = ForeignKey(references=Account, null=True)
    exclusive = Boolean(default=True)  # copy of resource kind, for the exclusion constraint
    start_at = Timestamptz(index=True)
    end_at = Timestamptz()
    block_end_at = Timestamptz()
    quantity = Integer(default=1)
    status = Varchar(length=16, index=True)  # a BookingStatus code
    holds = Boolean(default=True, index=True)
    hold_expires_at = Timestamptz(null=True, default=None)
    checked_in_at = Timestamptz(null=True, default=None)
    checked_out_at = Timestamptz(null=True, default=None)
    late_cancel = Boolean(default=False)
    # Run by the platform's staff for the enterprise (代测): no engineer of theirs is
    # named, the operator is the booker of record and the enterprise is charged.
    staff_operated = Boolean(default=False)
    series = ForeignKey(references=Series, null=True, index=True)
    note = Text(default="")
    idempotency_key = Varchar(length=200, null=True, default=None, unique=True)
    # What was asked under that key, so a reused key with another request is refused
    # rather than answered with the first booking.
    idempotency_digest = Varchar(length=64, null=True, default=None)
    sequence = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class BookingEvent(Table):
    id = Serial(primary_key=True)
    booking = ForeignKey(references=Booking, index=True)
    at = Timestamptz(default=TimestamptzNow())
    actor = ForeignKey(references=Account, null=True)
    action = Varchar(length=32)
    from_status = Varchar(length=16, null=True, default=None)
    to_status = Varchar(length=16, null=True, default=None)
    reason = Text(default="")


class WaitlistEntry(Table):
    id = Serial(primary_key=True)
    resource = ForeignKey(references=Resource, index=True)
    account = ForeignKey(references=Account, index=True)
    enterprise = ForeignKey(references=Enterprise)
    start_at = Timestamptz()
    end_at = Timestamptz()
    quantity = Integer(default=1)
    status = Varchar(length=16, default=WaitlistStatus.WAITING.value, index=True)
    booking = ForeignKey(references=Booking, null=True)
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Notification(Table):
    id = Serial(primary_key=True)
    account = ForeignKey(references=Account, index=True)
    kind = Varchar(length=32)
    booking = ForeignKey(references=Booking, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)
