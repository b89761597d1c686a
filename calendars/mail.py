"""Invite e-mails and their SMTP transport (aiosmtplib).

Message shape, the one Google Calendar itself sends and which Outlook, Gmail
and Apple Mail all turn into an invite with accept/decline controls:

    multipart/mixed
      multipart/alternative
        text/plain                      (for clients without calendar support)
        text/calendar; method=REQUEST   (the part clients act on)
      application/ics; name=invite.ics  (attachment, for manual import)

The calendar parts are base64-encoded: they carry CRLF line endings and
folded UTF-8 lines that quoted-printable or 8bit transports could alter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from typing import Literal

import aiosmtplib

MailMethod = Literal["REQUEST", "CANCEL", "PUBLISH"]


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    start_tls: bool | None = None  # None: upgrade when the server offers it
    timeout: float = 10.0


class MailTransportError(Exception):
    """Sending failed; `permanent` means retrying the same message is pointless."""

    def __init__(self, detail: str, permanent: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent


def _address(email: str, name: str | None) -> Address:
    username, _, domain = email.rpartition("@")
    if not username or not domain:
        raise ValueError(f"not an e-mail address: {email!r}")
    return Address(display_name=name or "", username=username, domain=domain)


def build_invite_email(
    *,
    sender: str,
    sender_name: str | None,
    to: str,
    to_name: str | None,
    subject: str,
    text_body: str,
    calendar: bytes,
    method: MailMethod,
    message_id_domain: str = "parkbench.test",
) -> EmailMessage:
    """A ready-to-send invite; non-ASCII headers are RFC 2047-encoded on output."""
    # The SMTP policy writes CRLF line endings, as the wire format requires.
    message = EmailMessage(policy=SMTP)
    message["From"] = _address(sender, sender_name)
    message["To"] = _address(to, to_name)
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=message_id_domain)

    message.set_content(text_body, subtype="plain", charset="utf-8", cte="base64")
    message.add_alternative(
        calendar,
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"method": method, "charset": "UTF-8"},
    )
    message.add_attachment(
        calendar,
        maintype="application",
        subtype="ics",
        filename="invite.ics",
        cte="base64",
    )
    return message


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600


async def send_email(message: EmailMessage, settings: SmtpSettings) -> None:
    """Deliver `message` to the relay or raise MailTransportError."""
    try:
        errors, _ = await aiosmtplib.send(
            message,
            hostname=settings.host,
            port=settings.port,
            username=settings.username,
            password=settings.password,
            use_tls=settings.use_tls,
            start_tls=settings.start_tls,
            timeout=settings.timeout,
        )
    except aiosmtplib.SMTPRecipientsRefused as error:
        codes = [refused.code for refused in error.recipients]
        raise MailTransportError(
            f"recipients refused: {error.recipients}",
            permanent=bool(codes) and all(_is_permanent(code) for code in codes),
        ) from error
    except aiosmtplib.SMTPResponseException as error:
        raise MailTransportError(
            f"SMTP {error.code}: {error.message}", permanent=_is_permanent(error.code)
        ) from error
    except (aiosmtplib.SMTPException, OSError) as error:
        # Connection refused, timeouts, disconnects: the relay may come back.
        raise MailTransportError(f"{type(error).__name__}: {error}", permanent=False) from error
    if errors:
        # Some recipients were refused while others were accepted.
        codes = [response.code for response in errors.values()]
        raise MailTransportError(
            f"recipients refused: {errors}",
            permanent=all(_is_permanent(code) for code in codes),
        )
