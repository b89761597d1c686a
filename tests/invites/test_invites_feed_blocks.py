"""Stored feed blocks: the same bytes as a fresh build, rebuilt on change, filled by the
background sweep, and never needed for a feed to work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from booking.invites import feed_blocks, feed_build
from booking.invites.tables import FeedBlock
from calendars.ical import build_calendar
from tests.invites.test_invites_feeds import feed_path, subscribe
from tests.support.resources import at, local_day


@pytest.fixture(autouse=True)
def no_feed_in_memory():
    feed_build._feeds.clear()
    yield
    feed_build._feeds.clear()


@pytest.fixture
def serialised(monkeypatch):
    """Counts the VEVENTs icalendar writes; ``forbid()`` makes any further one fail."""
    real = feed_blocks.serialise
    calls = {"n": 0, "forbidden": False}

    def counting(row, flav, directory):
        assert not calls["forbidden"], f"booking {row['id']} serialised again"
        calls["n"] += 1
        return real(row, flav, directory)

    monkeypatch.setattr(feed_blocks, "serialise", counting)
    calls["forbid"] = lambda: calls.update(forbidden=True)  # type: ignore[assignment]
    return calls


async def fetch(client, path: str) -> bytes:
    feed_build._feeds.clear()  # as in a fresh process: only the database remembers
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.content


async def test_stored_blocks_give_the_same_bytes_as_a_fresh_build(client, people, book,
                                                                  instrument, parse, settings,
                                                                  serialised):
    engineer = await people.engineer()
    made = [await book(engineer, instrument, hour, hour + 1, note="第一行; 备注：要点")
            for hour in (9, 11, 14)]
    path = feed_path(await subscribe(client, engineer, "user"))
    assert await FeedBlock.count() == 0
    fresh = await fetch(client, path)  # nothing stored yet: every block serialised, then kept
    assert serialised["n"] == 3
    rows = await FeedBlock.select().order_by(FeedBlock.booking)
    assert [(r["booking"], r["variant"], r["locale"], r["zone"]) for r in rows] == [
        (b["id"], "personal", "zh_CN", "Asia/Shanghai") for b in made]
    serialised["forbid"]()
    assert await fetch(client, path) == fresh  # from the store, byte for byte
    calendar = parse(fresh)
    events = calendar.walk("VEVENT")
    assert [e["UID"] for e in events] == [b["uid"] for b in made]
    for event in events:  # deterministic: DTSTAMP is the booking's last change
        assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt
        assert len(event.walk("VALARM")) == 1
    # Each block is what build_calendar writes for that event alone.
    from booking.reservations.tables import Booking

    cols = [getattr(Booking, c) for c in feed_blocks.BOOKING_COLUMNS]
    booking = await Booking.select(*cols).where(Booking.id == made[0]["id"]).first()
    flav = feed_blocks.flavour("user", locale=None, zone_name=None, base_url=settings.base_url)
    directory = await feed_blocks.load_directory(flav, [booking])
    alone = build_calendar([feed_blocks.event_data(booking, flav, directory)], method="PUBLISH",
                           zone=flav.tz, dtstamp=booking["updated_at"], language="zh-CN")
    assert rows[0]["body"].encode() in alone
    assert rows[0]["body"].encode() in fresh
    # Dropping the store changes nothing but the work done.
    await FeedBlock.delete(force=True)
    serialised["forbidden"] = False
    assert await fetch(client, path) == fresh
    assert serialised["n"] == 6


async def test_moved_and_cancelled_bookings_are_rebuilt_or_dropped(client, people, book,
                                                                  instrument, serialised):
    engineer = await people.engineer()
    moving = await book(engineer, instrument, 9, 10)
    cancelled = await book(engineer, instrument, 13, 14)
    path = feed_path(await subscribe(client, engineer, "user"))
    await fetch(client, path)
    assert serialised["n"] == 2
    day = local_day(3)
    moved = await client.post(f"/api/bookings/{moving['id']}/move", headers=engineer.headers,
                              json={"start": at(day, 15).isoformat(),
                                    "end": at(day, 16).isoformat()})
    assert moved.status_code == 200, moved.text
    body = await fetch(client, path)
    assert serialised["n"] == 3  # only the moved booking
    (event, _) = sorted(Calendar.from_ical(body).walk("VEVENT"), key=lambda e: e["DTSTART"].dt,
                        reverse=True)
    assert event["UID"] == moving["uid"] and event["SEQUENCE"] == 1
    assert event["DTSTART"].dt.hour == 15
    row = await FeedBlock.select().where(FeedBlock.booking == moving["id"]).first()
    assert row["booking_sequence"] == 1 and "DTSTART;TZID=Asia/Shanghai:" in row["body"]
    assert "T150000" in row["body"]
    await client.post(f"/api/bookings/{cancelled['id']}/cancel", headers=engineer.headers)
    body = await fetch(client, path)
    assert [e["UID"] for e in Calendar.from_ical(body).walk("VEVENT")] == [moving["uid"]]
    # The sweep drops the block of the cancelled booking.
    await feed_blocks.refresh_stale("http://unused.test")
    assert await FeedBlock.count().where(FeedBlock.booking == cancelled["id"]) == 0


async def test_a_renamed_resource_is_never_served_from_an_old_block(client, people, book,
                                                                    instrument):
    from platforms.tables import Resource

    engineer = await people.engineer()
    await book(engineer, instrument, 9, 10)
    path = feed_path(await subscribe(client, engineer, "user"))
    assert "深硅刻蚀机".encode() in await fetch(client, path)
    await Resource.update({Resource.name_zh: "等离子刻蚀机"}).where(Resource.id == instrument)
    body = await fetch(client, path)
    assert "等离子刻蚀机".encode() in body and "深硅刻蚀机".encode() not in body


async def test_the_sweep_fills_blocks_for_feeds_and_defaults(client, people, book, instrument,
                                                             settings, serialised):
    from booking.jobs import run_once

    engineer = await people.engineer(locale="en")
    await book(engineer, instrument, 9, 10)
    await book(engineer, instrument, 11, 12)
    mine = feed_path(await subscribe(client, engineer, "user"))
    busy = feed_path(await subscribe(client, engineer, "resource", instrument))
    results = await run_once(settings)
    # Per booking: personal/en (the token), busy/en (the token), and the defaults
    # personal/zh_CN and busy/zh_CN.
    assert results["feed_blocks"] == 8
    flavours = {(r["variant"], r["locale"], r["zone"]) for r in await FeedBlock.select()}
    assert flavours == {("personal", "en", "Asia/Shanghai"), ("busy", "en", "Asia/Shanghai"),
                        ("personal", "zh_CN", "Asia/Shanghai"),
                        ("busy", "zh_CN", "Asia/Shanghai")}
    assert (await run_once(settings))["feed_blocks"] == 0  # nothing changed since
    serialised["forbid"]()
    body = await fetch(client, mine)
    assert b"LANGUAGE=en:Booking" in body
    busy_body = await fetch(client, busy)
    assert busy_body.count(b"BEGIN:VEVENT") == 2 and b"SUMMARY;LANGUAGE=en:Busy" in busy_body


async def test_an_older_build_never_replaces_a_newer_block(people, book, instrument):
    from booking.reservations.tables import Booking

    engineer = await people.engineer()
    made = await book(engineer, instrument, 9, 10)
    cols = [getattr(Booking, c) for c in feed_blocks.BOOKING_COLUMNS]
    row = await Booking.select(*cols).where(Booking.id == made["id"]).first()
    flav = feed_blocks.flavour("user", locale=None, zone_name=None, base_url="http://x.test")
    newer = feed_blocks.Built(row["id"], 1, row["updated_at"], "c", "new")
    older = feed_blocks.Built(row["id"], 0, row["updated_at"] - timedelta(seconds=1), "c", "old")
    await feed_blocks.store(flav, [newer])
    await feed_blocks.store(flav, [older])
    (stored,) = await FeedBlock.select(FeedBlock.body, FeedBlock.booking_sequence)
    assert stored == {"body": "new", "booking_sequence": 1}
