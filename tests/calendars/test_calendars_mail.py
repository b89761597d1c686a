import email
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.policy import default
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from calendars.ical import EventData, build_calendar
from calendars.mail import MailTransportError, SmtpSettings, build_invite_email, send_email

SHANGHAI = ZoneInfo("Asia/Shanghai")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """aiosmtpd handler keeping what it received; refuses one mailbox."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Recorder, SmtpSettings]]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, SmtpSettings(host="127.0.0.1", port=port, timeout=5)
    finally:
        controller.stop()


def invite(method: str = "REQUEST", to: str = "zhang.san@example.com") -> EmailMessage:
    start = datetime(2025, 3, 3, 7, tzinfo=SHANGHAI)
    event = EventData(
        uid="booking-7@parkbench.test",
        sequence=0,
        start=start,
        end=start + timedelta(hours=2),
        summary="光刻机 EVG610",
        organizer_email="ops@parkbench.test",
        attendee_email=to,
        attendee_name="张三",
    )
    calendar = build_calendar([event], method=method, zone=SHANGHAI, dtstamp=start)
    return build_invite_email(
        sender="ops@parkbench.test",
        sender_name="MEMS 平台",
        to=to,
        to_name="张三",
        subject="预约确认：光刻机 EVG610，3月3日",
        text_body="您的预约已确认。",
        calendar=calendar,
        method=method,
    )


def test_message_structure_and_headers():
    message = invite()
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, calendar_part = alternative.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset() == "utf-8"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert message["Message-ID"].endswith("@parkbench.test>")
    assert message["Date"]
    wire = message.as_bytes()
    assert wire.isascii()  # every header and body encoded for 7-bit transport
    raw_subject = email.message_from_bytes(wire)["Subject"]
    assert str(make_header(decode_header(raw_subject))) == "预约确认：光刻机 EVG610，3月3日"


@pytest.mark.asyncio
async def test_invite_reaches_the_server_and_parses_back(smtp_server):
    recorder, settings = smtp_server
    await send_email(invite(), settings)
    ((recipients, raw),) = recorder.messages
    assert recipients == ["zhang.san@example.com"]
    received = email.message_from_bytes(raw, policy=default)
    assert received["Subject"] == "预约确认：光刻机 EVG610，3月3日"
    calendar_part = next(
        part for part in received.walk() if part.get_content_type() == "text/calendar"
    )
    assert calendar_part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(calendar_part.get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.walk("VEVENT")[0]["UID"] == "booking-7@parkbench.test"


@pytest.mark.asyncio
async def test_refused_recipient_is_permanent(smtp_server):
    _, settings = smtp_server
    with pytest.raises(MailTransportError) as raised:
        await send_email(invite(to="nobody@example.com"), settings)
    assert raised.value.permanent


@pytest.mark.asyncio
async def test_closed_port_is_temporary():
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2)
    with pytest.raises(MailTransportError) as raised:
        await send_email(invite(), settings)
    assert not raised.value.permanent
