"""Subscription feeds: secret URLs, who may subscribe, privacy, ETag and 304."""

from __future__ import annotations

import recurring_ical_events
from icalendar import Calendar

from tests.support.resources import local_day


async def subscribe(client, person, scope: str, target_id: int | None = None,
                    expect: int = 201) -> dict:
    response = await client.post("/api/feeds", headers=person.headers,
                                 json={"scope": scope, "target_id": target_id})
    assert response.status_code == expect, response.text
    return response.json()


def feed_path(token: dict) -> str:
    return "/" + token["url"].split("/", 3)[3]


async def test_my_feed_lists_my_bookings_in_my_language(client, people, book, instrument, parse):
    engineer = await people.engineer(locale="zh_CN")
    colleague = await people.engineer()
    mine = await book(engineer, instrument, 9, 10)
    await book(colleague, instrument, 12, 13)
    token = await subscribe(client, engineer, "user")
    assert len(token["token"]) >= 2 + 43  # scope letter + 256 random bits
    response = await client.get(feed_path(token))  # no login: the token is the credential
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Parkbench：我的预约"
    assert "REFRESH-INTERVAL" in calendar
    assert [e["UID"] for e in calendar.walk("VEVENT")] == [mine["uid"]]
    day = local_day(3)
    occurrences = recurring_ical_events.of(calendar).between(day, day.replace(hour=23))
    assert [o["DTSTART"].dt.hour for o in occurrences] == [9]


async def test_only_the_hash_is_stored(client, people):
    from booking.invites.tables import FeedToken

    engineer = await people.engineer()
    token = await subscribe(client, engineer, "user")
    (row,) = await FeedToken.select(FeedToken.token_hash)
    assert token["token"] not in row["token_hash"] and len(row["token_hash"]) == 64
    listed = (await client.get("/api/feeds", headers=engineer.headers)).json()
    assert [t["id"] for t in listed] == [token["id"]] and "token" not in listed[0]


async def test_wrong_revoked_and_rotated_tokens_are_404(client, people):
    engineer = await people.engineer()
    token = await subscribe(client, engineer, "user")
    for path in ("/feeds/u_" + "A" * 43 + ".ics", "/feeds/nonsense.ics",
                 feed_path(token).removesuffix(".ics")):
        wrong = await client.get(path, headers={"Accept": "text/calendar"})
        assert wrong.status_code == 404
        assert wrong.json()["code"] == "feed_not_found"
    rotated = await client.post(f"/api/feeds/{token['id']}/rotate", headers=engineer.headers)
    assert rotated.status_code == 201
    assert (await client.get(feed_path(token))).status_code == 404
    assert (await client.get(feed_path(rotated.json()))).status_code == 200
    revoked = await client.delete(f"/api/feeds/{rotated.json()['id']}", headers=engineer.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert (await client.get(feed_path(rotated.json()))).status_code == 404
    # Someone else's token cannot be revoked or rotated.
    other = await people.engineer()
    mine = await subscribe(client, engineer, "user")
    assert (await client.delete(f"/api/feeds/{mine['id']}",
                                headers=other.headers)).status_code == 404


async def test_etag_304_and_a_new_tag_after_a_change(client, people, book, instrument):
    engineer = await people.engineer()
    booking = await book(engineer, instrument, 9, 10)
    path = feed_path(await subscribe(client, engineer, "user"))
    first = await client.get(path)
    etag = first.headers["etag"]
    again = await client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    await client.post(f"/api/bookings/{booking['id']}/cancel", headers=engineer.headers)
    changed = await client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert Calendar.from_ical(changed.content).walk("VEVENT") == []


async def test_resource_feed_shows_busy_blocks_without_names_or_notes(client, people, book,
                                                                      instrument, parse):
    owner = await people.engineer("acme")
    await book(owner, instrument, 9, 10, note="secret project 机密")
    viewer = await people.engineer("globex")
    token = await subscribe(client, viewer, "resource", instrument)
    body = (await client.get(feed_path(token))).content
    calendar = parse(body)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) in ("Busy", "占用")
    for leak in (b"secret", "机密".encode(), owner.email.encode(), b"acme", b"/bookings/",
                 b"ATTENDEE", b"ORGANIZER", b"DESCRIPTION"):
        assert leak not in body


async def test_enterprise_feed_is_for_its_admin_only(client, people, book, instrument):
    engineer = await people.engineer("acme")
    await book(engineer, instrument)
    admin = await people.enterprise_admin("acme")
    enterprise_id = people.enterprises["acme"]
    token = await subscribe(client, admin, "enterprise", enterprise_id)
    events = Calendar.from_ical((await client.get(feed_path(token))).content).walk("VEVENT")
    assert len(events) == 1
    assert engineer.email.split("@")[0] in str(events[0]["DESCRIPTION"])
    other_admin = await people.enterprise_admin("globex")
    denied = await subscribe(client, other_admin, "enterprise", enterprise_id, expect=403)
    assert denied["code"] == "forbidden_feed"
    await subscribe(client, engineer, "enterprise", enterprise_id, expect=403)
    # Nor can anyone subscribe to another person's bookings.
    await subscribe(client, other_admin, "user", engineer.id, expect=403)


async def test_platform_feed_is_for_its_operators(client, people, book, instrument):
    from platforms.tables import Platform

    engineer = await people.engineer()
    await book(engineer, instrument)
    mems = (await Platform.select(Platform.id).where(Platform.code == "mems").first())["id"]
    operator = await people.operator("mems")
    token = await subscribe(client, operator, "platform", mems)
    assert len(Calendar.from_ical((await client.get(feed_path(token))).content
                                  ).walk("VEVENT")) == 1
    await subscribe(client, await people.operator("bio"), "platform", mems, expect=403)
