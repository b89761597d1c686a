"""GET /api/bookings/{id}/invite.ics: what an engineer imports into their calendar."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from tests.invites.conftest import RESOURCE_NAME_ZH
from tests.support.resources import SHANGHAI, at, local_day

NOTE = "带上样品盒, 第二层; 温度: 25°C\n第二行：谢谢"


async def test_invite_parses_in_both_parsers_with_chinese_text_and_local_times(
        client, people, book, instrument, parse):
    engineer = await people.engineer(locale="zh_CN")
    booking = await book(engineer, instrument, 9, 11, note=NOTE)
    response = await client.get(f"/api/bookings/{booking['id']}/invite.ics",
                                headers=engineer.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == booking["uid"]
    assert event["SEQUENCE"] == 0
    assert "DTSTAMP" in event
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"
    assert event["DTSTART"].dt == at(local_day(3), 9)
    assert event["DTEND"].dt == at(local_day(3), 11)
    assert event["STATUS"] == "CONFIRMED"
    assert RESOURCE_NAME_ZH in str(event["SUMMARY"])
    # Commas, semicolons, colons and newlines survive escaping and folding.
    assert NOTE in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]).endswith("微纳楼, A101")
    assert f"/bookings/{booking['id']}" in str(event["URL"])
    assert f"/bookings/{booking['id']}" in str(event["DESCRIPTION"])
    assert calendar.walk("VALARM"), "a reminder comes with the invite"


async def test_invite_is_in_english_for_an_english_user(client, people, book, instrument, parse):
    engineer = await people.engineer(locale="en")
    booking = await book(engineer, instrument)
    response = await client.get(f"/api/bookings/{booking['id']}/invite.ics",
                                headers=engineer.headers)
    event = parse(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Booking: Deep silicon etcher"
    assert "MEMS Building" in str(event["LOCATION"])
    assert event["SUMMARY"].params["LANGUAGE"] == "en"


async def test_sequence_rises_on_move_and_cancel_and_uid_stays(client, people, book, instrument):
    engineer = await people.engineer()
    booking = await book(engineer, instrument, 9, 10)
    url = f"/api/bookings/{booking['id']}/invite.ics"

    async def event():
        return Calendar.from_ical((await client.get(url, headers=engineer.headers)).content
                                  ).walk("VEVENT")[0]

    first = await event()
    day = local_day(3)
    moved = await client.post(f"/api/bookings/{booking['id']}/move", headers=engineer.headers,
                              json={"start": at(day, 14).isoformat(),
                                    "end": at(day, 15).isoformat()})
    assert moved.status_code == 200, moved.text
    second = await event()
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second["DTSTART"].dt == at(day, 14)
    cancelled = await client.post(f"/api/bookings/{booking['id']}/cancel",
                                  headers=engineer.headers)
    assert cancelled.status_code == 200
    third = await event()
    assert third["UID"] == first["UID"]
    assert third["SEQUENCE"] > second["SEQUENCE"]
    assert third["STATUS"] == "CANCELLED"


async def test_pending_booking_is_tentative(client, people, book):
    from tests.support.resources import make_resource

    resource = await make_resource(approval_required=True)
    engineer = await people.engineer()
    booking = await book(engineer, resource)
    assert booking["status"] == "pending"
    response = await client.get(f"/api/bookings/{booking['id']}/invite.ics",
                                headers=engineer.headers)
    assert Calendar.from_ical(response.content).walk("VEVENT")[0]["STATUS"] == "TENTATIVE"


async def test_other_enterprises_cannot_download_and_unknown_is_404(
        client, people, book, instrument):
    owner = await people.engineer("acme")
    stranger = await people.engineer("globex")
    booking = await book(owner, instrument)
    denied = await client.get(f"/api/bookings/{booking['id']}/invite.ics",
                              headers=stranger.headers)
    assert denied.status_code == 403
    assert denied.json()["code"] == "forbidden_booking"
    missing = await client.get("/api/bookings/999999/invite.ics", headers=owner.headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "booking_not_found"
    anonymous = await client.get(f"/api/bookings/{booking['id']}/invite.ics")
    assert anonymous.status_code == 401


async def test_invite_uses_the_viewers_zone(client, people, book, instrument):
    from booking.accounts.service import update_preferences

    engineer = await people.engineer()
    await update_preferences(engineer.id, locale="en", timezone="Europe/Berlin")
    booking = await book(engineer, instrument, 9, 10)
    response = await client.get(f"/api/bookings/{booking['id']}/invite.ics",
                                headers=engineer.headers)
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTSTART"].dt == at(local_day(3), 9)  # the same instant
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(hours=1)
    assert event["DTSTART"].dt.astimezone(SHANGHAI).hour == 9


async def test_booking_page_offers_the_same_file(client, people, book, instrument):
    engineer = await people.engineer()
    booking = await book(engineer, instrument)
    api = await client.get(f"/api/bookings/{booking['id']}/invite.ics", headers=engineer.headers)
    page = await client.get(f"/bookings/{booking['id']}/invite.ics", headers=engineer.headers)
    assert page.status_code == 200
    assert "attachment" in page.headers["content-disposition"]
    assert (Calendar.from_ical(page.content).walk("VEVENT")[0]["UID"]
            == Calendar.from_ical(api.content).walk("VEVENT")[0]["UID"])
