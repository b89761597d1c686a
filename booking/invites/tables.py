"""The mail outbox, calendar feed tokens and the stored VEVENT blocks of feeds."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.accounts.tables import Account
from booking.invites.status import OutboxStatus
from booking.reservations.tables import Booking


class OutboxMessage(Table):
    """An e-mail held until the SMTP server accepts it, so an outage loses nothing."""

    id = Serial(primary_key=True)
    booking = ForeignKey(references=Booking, null=True, index=True)
    recipient = Varchar(length=254)
    subject = Varchar(length=500)
    kind = Varchar(length=32, default="invite")
    mime = Text()  # the whole message as sent; empty until rendered
    # The booking as it was at the change, so the message can be rendered after commit
    # without holding the resource lock while the MIME is built.
    payload = Text(default="")
    status = Varchar(length=16, default=OutboxStatus.PENDING.value, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class FeedToken(Table):
    """A secret in a calendar subscription URL; only its hash is kept."""

    id = Serial(primary_key=True)
    account = ForeignKey(references=Account, index=True)
    scope = Varchar(length=16)  # user | enterprise | resource | platform
    target_id = Integer()
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class FeedBlock(Table):
    """One booking's VEVENT as a feed shows it, serialised by icalendar after commit.

    One row per booking and flavour: ``variant`` (personal | shared | busy), the
    feed owner's ``locale`` and the ``zone`` its times are written in. The block is
    current while the booking still has ``booking_sequence`` and
    ``booking_updated_at`` and the other inputs (names of resource, platform,
    person and enterprise, base URL, wording) still hash to ``context``; see
    ``booking.invites.feed_blocks``.
    """

    id = Serial(primary_key=True)
    booking = ForeignKey(references=Booking, on_delete=OnDelete.cascade)
    variant = Varchar(length=16)
    locale = Varchar(length=16)
    zone = Varchar(length=64)
    booking_sequence = Integer()
    booking_updated_at = Timestamptz()
    context = Varchar(length=32)
    body = Text()
    built_at = Timestamptz(default=TimestamptzNow())
    # UNIQUE (booking, variant, locale, zone) is the index ``feed_block_key``, made by
    # a raw migration: SQLite cannot add a constraint to an existing table, and
    # Piccolo adds a table's constraints after creating it.
