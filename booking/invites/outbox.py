"""E-mailed invites: queued inside the booking's transaction, delivered later.

``install(settings)`` (called by ``create_app``) subscribes to the reservation
events. The listener runs inside the write transaction of the change, so the
outbox row commits or rolls back with the booking. ``deliver_due()`` (a
background job) sends what is due through ``calendars.mail`` and retries
temporary failures with exponential back-off; nothing is lost while the SMTP
server is down, and without SMTP settings the rows wait, visible to operators.
"""

from __future__ import annotations

import email
import json
import logging
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from typing import Any

from booking.accounts import events as account_events
from booking.accounts import invitation_mail
from booking.accounts.permissions import restrict
from booking.clock import precise_now as now
from booking.invites import content, feeds
from booking.invites.status import OutboxStatus
from booking.invites.tables import OutboxMessage
from booking.reservations.events import BookingChange, ChangeKind, subscribe
from booking.reservations.status import BookingStatus
from booking.reservations.tables import Series
from booking.settings import Settings
from calendars.ical import build_calendar
from calendars.mail import MailTransportError, SmtpSettings, build_invite_email, send_email
from calendars.zones import zone_named
from i18n import gettext, use_locale
from i18n.translations import localized

log = logging.getLogger("parkbench.outbox")

BATCH = 100
MAX_BACKOFF = timedelta(hours=1)
FIRST_BACKOFF = timedelta(minutes=1)
MAX_PERMANENT_FAILURES = 3
# A claimed row is invisible to other workers for this long while it is being sent.
LEASE = timedelta(minutes=5)

_settings: Settings | None = None

REQUEST_CHANGES = frozenset({ChangeKind.CREATED, ChangeKind.CONFIRMED, ChangeKind.MOVED,
                             ChangeKind.PROMOTED})
CANCEL_CHANGES = frozenset({ChangeKind.CANCELLED, ChangeKind.REJECTED, ChangeKind.EXPIRED})



def install(settings: Settings) -> None:
    """Called by the app factory: remember the settings and listen to bookings and to
    account mail (invitations)."""
    global _settings
    _settings = settings
    subscribe(on_booking_change)
    account_events.subscribe(on_invitation)


async def on_invitation(event: account_events.InvitationIssued) -> None:
    if _settings is None:
        return
    subject, body = invitation_mail.compose(event, _settings.base_url)
    await queue_mail(recipient=event.email, recipient_name=event.display_name,
                     subject=subject, body=body, kind="mail:invitation", settings=_settings)


async def queue_mail(*, recipient: str, recipient_name: str, subject: str, body: str,
                     kind: str, settings: Settings) -> int:
    """Queue a plain-text e-mail that belongs to no booking, inside the caller's
    transaction; ``deliver_due()`` sends and retries it like an invite."""
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(display_name=gettext("Parkbench"), addr_spec=settings.mail_from)
    message["To"] = Address(display_name=recipient_name or "", addr_spec=recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(now())
    message["Message-ID"] = make_msgid(
        domain=settings.mail_from.rpartition("@")[2] or "parkbench.test")
    message.set_content(body, subtype="plain", charset="utf-8", cte="base64")
    moment = now()
    row = OutboxMessage(
        booking=None, recipient=recipient[:254], subject=subject[:500], kind=kind[:32],
        mime=message.as_string(), payload="", status=OutboxStatus.PENDING, attempts=0,
        next_attempt_at=moment, last_error="", created_at=moment,
    )
    await row.save()
    return row.id


async def on_booking_change(change: BookingChange) -> None:
    booking = change.booking
    feeds.forget(booking)
    if change.kind in CANCEL_CHANGES and booking.get("series"):
        # The series export lists cancelled occurrences as EXDATEs: a new version.
        row = await Series.select(Series.sequence).where(Series.id == booking["series"]).first()
        if row is not None:
            await Series.update({Series.sequence: row["sequence"] + 1}).where(
                Series.id == booking["series"])
    if _settings is None:
        return
    # A waiter promoted to a pending booking hears of it at once (a tentative event);
    # other pending bookings get their invite when approved.
    if change.kind in REQUEST_CHANGES and (booking["status"] == BookingStatus.CONFIRMED
                                           or change.kind == ChangeKind.PROMOTED):
        await enqueue(booking, change.kind, "REQUEST", _settings)
    elif change.kind in CANCEL_CHANGES and await _invited(booking["id"]):
        await enqueue(booking, change.kind, "CANCEL", _settings)


async def _invited(booking_id: int) -> bool:
    return await OutboxMessage.exists().where(
        (OutboxMessage.booking == booking_id) & (OutboxMessage.kind.like("request:%")))


def _subject(kind: str, resource: str, when: str) -> str:
    # Literal msgids, so that extraction finds them.
    if kind == ChangeKind.MOVED:
        return gettext("Booking moved: %(resource)s, %(when)s", resource=resource, when=when)
    if kind == ChangeKind.CANCELLED:
        return gettext("Booking cancelled: %(resource)s, %(when)s", resource=resource, when=when)
    if kind == ChangeKind.REJECTED:
        return gettext("Booking rejected: %(resource)s, %(when)s", resource=resource, when=when)
    if kind == ChangeKind.EXPIRED:
        return gettext("Booking expired: %(resource)s, %(when)s", resource=resource, when=when)
    if kind == ChangeKind.PROMOTED:
        return gettext("A slot you waited for is held for you: %(resource)s, %(when)s",
                       resource=resource, when=when)
    return gettext("Booking confirmed: %(resource)s, %(when)s", resource=resource, when=when)


def _intro(method: str, kind: str) -> str:
    if kind == ChangeKind.PROMOTED:
        return gettext("A slot you were waiting for came free and is now held for you. "
                       "The platform's operators still have to approve it; you will get "
                       "another message when they do.")
    if method == "CANCEL":
        return gettext("This booking no longer takes place. Your calendar removes it "
                       "when you open the attached invitation.")
    return gettext("Your booking is confirmed. Open the attached invitation to put it "
                   "in your calendar; later changes update it there.")


async def enqueue(booking: dict[str, Any], kind: str, method: str,
                  settings: Settings) -> int | None:
    """Queue the invite for ``booking``: a small row, inside the booking's transaction.

    Building the MIME message is left to ``render_pending()`` after the commit, so
    the resource lock is not held while the e-mail package does its work.
    """
    moment = now()
    row = OutboxMessage(
        booking=booking["id"], recipient="", subject="",
        kind=f"{method.lower()}:{kind}"[:32], mime="",
        payload=json.dumps({"booking": booking, "kind": kind, "method": method},
                           default=_encode),
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=moment, last_error="", created_at=moment,
    )
    await row.save()
    return row.id


def _encode(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot queue a {type(value).__name__}")


_INSTANTS = ("start_at", "end_at", "block_end_at", "hold_expires_at", "checked_in_at",
             "checked_out_at", "created_at", "updated_at")


def _decode(payload: str) -> tuple[dict[str, Any], str, str]:
    data = json.loads(payload)
    booking = data["booking"]
    for key in _INSTANTS:
        if booking.get(key):
            booking[key] = datetime.fromisoformat(booking[key])
    return booking, data["kind"], data["method"]


async def render_pending(settings: Settings) -> int:
    """Build the MIME of queued rows (outside any booking transaction)."""
    rows = await OutboxMessage.select(OutboxMessage.id, OutboxMessage.payload).where(
        (OutboxMessage.mime == "") & (OutboxMessage.status == OutboxStatus.PENDING)
    ).order_by(OutboxMessage.id).limit(BATCH)
    for row in rows:
        booking, kind, method = _decode(row["payload"])
        directory = await content.Directory.load([booking])
        try:
            message = _message(booking, directory, kind, method, settings)
        except ValueError as error:
            # A malformed address must not stop the queue; operators see why.
            log.exception("no invite e-mail for booking %s", booking["id"])
            await OutboxMessage.update({OutboxMessage.status: OutboxStatus.FAILED,
                                        OutboxMessage.last_error: str(error)[:2000]}).where(
                OutboxMessage.id == row["id"])
            continue
        if message is None:
            await OutboxMessage.update({OutboxMessage.status: OutboxStatus.FAILED,
                                        OutboxMessage.last_error: "no recipient"}).where(
                OutboxMessage.id == row["id"])
            continue
        await OutboxMessage.update({
            OutboxMessage.mime: message.as_string(),
            OutboxMessage.subject: str(message["Subject"])[:500],
            OutboxMessage.recipient: str(message["To"].addresses[0].addr_spec)[:254],
        }).where(OutboxMessage.id == row["id"])
    return len(rows)


def _message(booking: dict[str, Any], directory: content.Directory, kind: str,
             method: str, settings: Settings) -> EmailMessage | None:
    """The multipart invite in the recipient's language and zone (None: no address)."""
    account = directory.account(booking)
    if not account.get("email"):
        return None
    locale = content.account_locale(account)
    zone = zone_named(account.get("timezone"))
    data = content.booking_event(booking, directory, base_url=settings.base_url, locale=locale,
                                 zone=zone, organizer_email=settings.mail_from)
    calendar = build_calendar([data], method=method, zone=zone,  # type: ignore[arg-type]
                              dtstamp=now(), language=content.language_tag(locale))
    with use_locale(locale):
        resource_name = localized(directory.resource(booking), "name")
        when = content.when_text(booking, zone, locale)
        subject = _subject(kind, resource_name, when)
        body = "\n\n".join([_intro(method, kind), data.description]) + "\n"
    platform = directory.platform(booking)
    message = build_invite_email(
        sender=settings.mail_from, sender_name=data.organizer_name, to=account["email"],
        to_name=account.get("display_name") or None, subject=subject, text_body=body,
        calendar=calendar, method=method,  # type: ignore[arg-type]
        message_id_domain=settings.mail_from.rpartition("@")[2] or "parkbench.test",
    )
    if platform.get("mailbox"):
        message["Reply-To"] = platform["mailbox"]
    return message


def smtp_settings(settings: Settings) -> SmtpSettings | None:
    if not settings.smtp_host:
        return None
    return SmtpSettings(host=settings.smtp_host, port=settings.smtp_port,
                        username=settings.smtp_username, password=settings.smtp_password,
                        use_tls=settings.smtp_tls)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failure, at most an hour."""
    return min(FIRST_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


async def _claim(message_id: int, moment: datetime) -> bool:
    """Take the row for this worker; another worker running the sweep skips it."""
    claimed = await OutboxMessage.update({OutboxMessage.next_attempt_at: moment + LEASE}).where(
        (OutboxMessage.id == message_id) & (OutboxMessage.status == OutboxStatus.PENDING)
        & (OutboxMessage.next_attempt_at <= moment)
    ).returning(OutboxMessage.id)
    return bool(claimed)


async def deliver_due(settings: Settings) -> int:
    """Send the messages that are due; returns how many the server accepted."""
    await render_pending(settings)
    smtp = smtp_settings(settings)
    if smtp is None:
        return 0  # nowhere to send: the rows wait in the outbox
    moment = now()
    due = await OutboxMessage.select(OutboxMessage.id, OutboxMessage.mime,
                                     OutboxMessage.attempts).where(
        (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= moment)
        & (OutboxMessage.mime != "")
    ).order_by(OutboxMessage.id).limit(BATCH)
    sent = 0
    for row in due:
        if not await _claim(row["id"], moment):
            continue
        message = email.message_from_string(row["mime"], policy=SMTP)
        try:
            await send_email(message, smtp)  # type: ignore[arg-type]
        except MailTransportError as error:
            await _failed(row, error)
            continue
        await OutboxMessage.update({OutboxMessage.status: OutboxStatus.SENT, OutboxMessage.sent_at: now(),
                                    OutboxMessage.attempts: row["attempts"] + 1,
                                    OutboxMessage.last_error: ""}).where(
            OutboxMessage.id == row["id"])
        sent += 1
    return sent


async def _failed(row: dict[str, Any], error: MailTransportError) -> None:
    attempts = row["attempts"] + 1
    give_up = error.permanent and attempts >= MAX_PERMANENT_FAILURES
    log.warning("outbox message %s not sent (attempt %s): %s", row["id"], attempts, error.detail)
    await OutboxMessage.update({
        OutboxMessage.attempts: attempts,
        OutboxMessage.status: OutboxStatus.FAILED if give_up else OutboxStatus.PENDING,
        OutboxMessage.next_attempt_at: now() + backoff(attempts),
        OutboxMessage.last_error: error.detail[:2000],
    }).where(OutboxMessage.id == row["id"])


async def visible_messages(principal, *, status: OutboxStatus | None = None,
                           limit: int = 200) -> list[dict[str, Any]]:
    """Operators: their platforms' messages; the park admin: all of them."""
    query = OutboxMessage.select(
        OutboxMessage.id, OutboxMessage.booking, OutboxMessage.recipient, OutboxMessage.subject,
        OutboxMessage.kind, OutboxMessage.status, OutboxMessage.attempts,
        OutboxMessage.next_attempt_at, OutboxMessage.last_error, OutboxMessage.created_at,
        OutboxMessage.sent_at,
    )
    query = restrict(query, principal, platform=OutboxMessage.booking.platform)
    if query is None:
        return []
    if status:
        query = query.where(OutboxMessage.status == status)
    return await query.order_by(OutboxMessage.id, ascending=False).limit(limit)
