"""Fixtures for the invites tests: bookings through the API, a real SMTP server,
and a parser that reads every calendar with both icalendar and vobject."""

from __future__ import annotations

import logging
import socket
from dataclasses import replace

import pytest
import vobject
from aiosmtpd.controller import Controller
from icalendar import Calendar

from tests.support.resources import at, local_day, make_resource


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings, smtp):
    return replace(settings, smtp_host="127.0.0.1", smtp_port=smtp.port,
                   mail_from="bookings@parkbench.test")


def parse_both(data: bytes) -> Calendar:
    """icalendar reads it and vobject validates it: two independent opinions."""
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
    calendar = Calendar.from_ical(data)
    vobject.readOne(data.decode("utf-8")).validate()
    return calendar


@pytest.fixture
def parse():
    return parse_both


@pytest.fixture
def book(client):
    """POST /api/bookings for ``person`` on ``resource_id`` from hour to hour, local time."""

    async def make(person, resource_id: int, start_hour: int = 9, end_hour: int = 11,
                   days_ahead: int = 3, note: str = "", expect: int = 201) -> dict:
        day = local_day(days_ahead)
        response = await client.post("/api/bookings", headers=person.headers, json={
            "resource_id": resource_id, "start": at(day, start_hour).isoformat(),
            "end": at(day, end_hour).isoformat(), "note": note})
        assert response.status_code == expect, response.text
        return response.json()

    return make


RESOURCE_NAME_ZH = "深硅刻蚀机：博世工艺，高深宽比；适用于 MEMS 结构"


@pytest.fixture
async def instrument():
    """An instrument whose Chinese name has colons, commas and semicolons."""
    from platforms.tables import Resource

    resource_id = await make_resource()
    await Resource.update({Resource.name_zh: RESOURCE_NAME_ZH,
                           Resource.name_en: "Deep silicon etcher",
                           Resource.building_zh: "微纳楼", Resource.building_en: "MEMS Building",
                           Resource.room: "A101"}).where(Resource.id == resource_id)
    return resource_id


logging.getLogger("mail.log").setLevel(logging.WARNING)
