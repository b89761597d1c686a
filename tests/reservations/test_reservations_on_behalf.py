"""Booking on behalf: only by the staff of the resource's platform, and staff-operated
bookings (代测) when no engineer of the enterprise is named."""

from __future__ import annotations

from booking.reservations.tables import Booking, BookingEvent, Series
from platforms.tables import Qualification
from tests.support.resources import at, iso, local_day, make_resource


async def book(client, person, resource_id, start, end, **extra):
    body = {"resource_id": resource_id, "start": iso(start), "end": iso(end), **extra}
    return await client.post("/api/bookings", json=body, headers=person.headers)


async def book_series(client, person, resource_id, start, end, **extra):
    body = {"resource_id": resource_id, "start": iso(start), "end": iso(end),
            "rrule": "FREQ=DAILY;COUNT=3", **extra}
    return await client.post("/api/series", json=body, headers=person.headers)


async def gated_resource(**rules) -> int:
    qual = await Qualification.select().where(Qualification.code == "mems-lithography").first()
    return await make_resource(qualification=qual["id"], **rules)


async def test_an_operator_cannot_book_another_platforms_resource_on_behalf(client, people):
    engineer = await people.engineer("acme")
    mems_operator = await people.operator("mems")
    foreign = await make_resource(kind="pool", capacity=250, platform="ic")
    day = local_day(3)
    for extra in ({"account_id": engineer.id},
                  {"enterprise_id": engineer.enterprise_id},
                  {"enterprise_id": engineer.enterprise_id, "account_id": engineer.id}):
        response = await book(client, mems_operator, foreign, at(day, 9), at(day, 10),
                              quantity=250, **extra)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "forbidden"
    assert await Booking.count().where(Booking.resource == foreign) == 0


async def test_the_same_hole_is_closed_for_series(client, people):
    engineer = await people.engineer("acme")
    mems_operator = await people.operator("mems")
    foreign = await make_resource(platform="bio")
    day = local_day(3)
    for extra in ({"account_id": engineer.id}, {"enterprise_id": engineer.enterprise_id}):
        response = await book_series(client, mems_operator, foreign, at(day, 9), at(day, 10),
                                     **extra)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "forbidden"
    assert await Booking.count().where(Booking.resource == foreign) == 0
    assert await Series.count().where(Series.resource == foreign) == 0


async def test_an_operator_books_on_behalf_on_their_own_platform_directly_and_by_series(
        client, people):
    engineer = await people.engineer("acme")
    operator = await people.operator("mems")
    resource = await make_resource(approval_required=True)
    day = local_day(3)
    single = await book(client, operator, resource, at(day, 9), at(day, 10),
                        account_id=engineer.id)
    assert single.status_code == 201, single.text
    body = single.json()
    assert body["account_id"] == engineer.id and body["status"] == "confirmed"
    assert body["staff_operated"] is False
    series = await book_series(client, operator, resource, at(day, 12), at(day, 13),
                               account_id=engineer.id)
    assert series.status_code == 201, series.text
    assert [o["status"] for o in series.json()["occurrences"]] == ["booked"] * 3
    rows = await Booking.select().where(Booking.resource == resource)
    assert len(rows) == 4
    assert all(r["account"] == engineer.id and r["created_by"] == operator.id for r in rows)


async def test_the_park_admin_books_on_behalf_on_every_platform(client, people):
    engineer = await people.engineer("acme")
    admin = await people.park_admin()
    day = local_day(3)
    for platform in ("mems", "bio", "ic"):
        resource = await make_resource(platform=platform)
        response = await book(client, admin, resource, at(day, 9), at(day, 10),
                              account_id=engineer.id)
        assert response.status_code == 201, (platform, response.text)


async def test_members_cannot_book_on_behalf_even_for_themselves(client, people):
    engineer = await people.engineer("acme")
    admin = await people.enterprise_admin("acme")
    resource = await make_resource()
    day = local_day(3)
    for person in (engineer, admin):
        response = await book(client, person, resource, at(day, 9), at(day, 10),
                              enterprise_id=person.enterprise_id)
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert await Booking.count().where(Booking.resource == resource) == 0


async def test_for_the_enterprise_alone_on_a_gated_resource_it_is_staff_operated(client, people):
    enterprise_id = await people.enterprise("globex")
    operator = await people.operator("mems")
    resource = await gated_resource()
    day = local_day(3)
    response = await book(client, operator, resource, at(day, 9), at(day, 11),
                          enterprise_id=enterprise_id)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["staff_operated"] is True
    assert body["enterprise_id"] == enterprise_id and body["account_id"] == operator.id
    row = await Booking.select().where(Booking.id == body["id"]).first()
    assert row["staff_operated"] is True and row["created_by"] == operator.id
    history = (await client.get(f"/api/bookings/{body['id']}/history",
                                headers=operator.headers)).json()
    assert [(e["action"], e["reason"]) for e in history] == [("created", "staff operated")]
    again = (await client.get(f"/api/bookings/{body['id']}", headers=operator.headers)).json()
    assert again["staff_operated"] is True


async def test_a_staff_operated_series_is_marked_on_every_occurrence(client, people):
    enterprise_id = await people.enterprise("globex")
    operator = await people.operator("mems")
    resource = await gated_resource()
    day = local_day(3)
    response = await book_series(client, operator, resource, at(day, 9), at(day, 10),
                                 enterprise_id=enterprise_id)
    assert response.status_code == 201, response.text
    rows = await Booking.select().where(Booking.resource == resource)
    assert len(rows) == 3 and all(r["staff_operated"] for r in rows)
    reasons = await BookingEvent.select(BookingEvent.reason).where(
        BookingEvent.booking.is_in([r["id"] for r in rows]))
    assert {e["reason"] for e in reasons} == {"series, staff operated"}


async def test_a_named_engineer_still_needs_the_qualification(client, people):
    unqualified = await people.engineer("acme")
    qualified = await people.engineer("acme", qualifications=["mems-lithography"])
    operator = await people.operator("mems")
    resource = await gated_resource()
    day = local_day(3)
    refused = await book(client, operator, resource, at(day, 9), at(day, 10),
                         account_id=unqualified.id)
    assert refused.status_code == 422 and refused.json()["code"] == "not_qualified"
    refused_series = await book_series(client, operator, resource, at(day, 9), at(day, 10),
                                       account_id=unqualified.id)
    assert refused_series.status_code == 422
    assert refused_series.json()["code"] == "not_qualified"
    assert await Booking.count().where(Booking.resource == resource) == 0
    granted = await book(client, operator, resource, at(day, 9), at(day, 10),
                         account_id=qualified.id)
    assert granted.status_code == 201 and granted.json()["staff_operated"] is False


async def test_own_bookings_are_not_staff_operated(client, people):
    engineer = await people.engineer("acme")
    resource = await make_resource()
    day = local_day(3)
    response = await book(client, engineer, resource, at(day, 9), at(day, 10))
    assert response.status_code == 201 and response.json()["staff_operated"] is False
