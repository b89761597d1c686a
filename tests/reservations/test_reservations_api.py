"""Booking through the JSON API: the happy path, every rule's error code, permissions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from tests.support.resources import SHANGHAI, at, iso, local_day, make_resource


async def book(client, person, resource_id, start, end, **extra):
    body = {"resource_id": resource_id, "start": iso(start), "end": iso(end), **extra}
    return await client.post("/api/bookings", json=body, headers=person.headers)


async def test_engineer_books_a_free_slot_and_gets_it_back_with_offsets(client, people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    response = await book(client, engineer, resource, at(day, 9), at(day, 11), note="etch run")
    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["status"] == "confirmed"
    assert booking["start"] == at(day, 9).isoformat()  # +08:00, the viewer's zone
    assert booking["end"].endswith("+08:00")
    assert response.headers["location"] == f"/api/bookings/{booking['id']}"
    fetched = await client.get(f"/api/bookings/{booking['id']}", headers=engineer.headers)
    assert fetched.json()["note"] == "etch run"
    mine = await client.get("/api/bookings", headers=engineer.headers)
    assert [b["id"] for b in mine.json()] == [booking["id"]]


async def test_a_time_without_offset_is_read_in_the_resource_zone(client, people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    naive = at(day, 9).replace(tzinfo=None).isoformat()
    response = await client.post("/api/bookings", headers=engineer.headers, json={
        "resource_id": resource, "start": naive,
        "end": at(day, 10).replace(tzinfo=None).isoformat()})
    assert response.status_code == 201
    assert response.json()["start"] == at(day, 9).isoformat()


async def test_idempotency_key_returns_the_same_booking_and_creates_no_second(client, people):
    engineer = await people.engineer()
    resource = await make_resource(kind="pool", capacity=5)
    day = local_day(3)
    headers = {**engineer.headers, "Idempotency-Key": "retry-42"}
    body = {"resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))}
    first = await client.post("/api/bookings", json=body, headers=headers)
    second = await client.post("/api/bookings", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second.headers.get("idempotent-replayed") == "true"
    mine = (await client.get("/api/bookings", headers=engineer.headers)).json()
    assert len(mine) == 1


async def test_taken_slot_is_409_naming_only_the_conflicting_interval(client, people):
    first, second = await people.engineer("acme"), await people.engineer("globex")
    resource = await make_resource()
    day = local_day(3)
    assert (await book(client, first, resource, at(day, 9), at(day, 11), note="secret")).status_code == 201
    response = await book(client, second, resource, at(day, 10), at(day, 12))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "slot_unavailable"
    assert body["conflict"] == {"start": at(day, 9).isoformat(), "end": at(day, 11).isoformat()}
    assert "secret" not in response.text and "acme" not in response.text


async def test_touching_bookings_do_not_conflict_but_the_buffer_keeps_them_apart(client, people):
    engineer = await people.engineer()
    plain = await make_resource()
    buffered = await make_resource(buffer_minutes=30)
    day = local_day(3)
    assert (await book(client, engineer, plain, at(day, 9), at(day, 10))).status_code == 201
    assert (await book(client, engineer, plain, at(day, 10), at(day, 11))).status_code == 201
    assert (await book(client, engineer, buffered, at(day, 9), at(day, 10))).status_code == 201
    too_close = await book(client, engineer, buffered, at(day, 10), at(day, 11))
    assert too_close.status_code == 409
    assert (await book(client, engineer, buffered, at(day, 10, 30), at(day, 11))).status_code == 201


async def test_each_broken_rule_has_its_own_code(client, people):
    engineer = await people.engineer()
    day = local_day(3)
    weekday_hours = [(d, time(9), time(17)) for d in range(7)]
    now = datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    soon = now + timedelta(minutes=90 - now.minute % 30)  # on the grid, an hour or two away
    resource = await make_resource(hours=weekday_hours, min_duration_minutes=60,
                                   max_duration_minutes=240, min_notice_minutes=24 * 60,
                                   max_advance_days=30)
    cases = [
        ((at(day, 7), at(day, 9)), "outside_opening_hours"),
        ((at(day, 9), at(day, 9, 30)), "too_short"),
        ((at(day, 9), at(day, 14)), "too_long"),
        ((at(day, 9, 10), at(day, 10, 10)), "misaligned"),
        ((soon, soon + timedelta(hours=1)), "notice_too_short"),
        ((at(local_day(40), 9), at(local_day(40), 10)), "too_far_ahead"),
        ((at(day, 11), at(day, 10)), "invalid_interval"),
    ]
    for (start, end), code in cases:
        response = await book(client, engineer, resource, start, end)
        assert response.status_code == 422, (code, response.text)
        assert response.json()["code"] == code


async def test_pool_quantity_beyond_capacity_and_instrument_quantity_are_refused(client, people):
    engineer = await people.engineer()
    pool = await make_resource(kind="pool", capacity=3)
    instrument = await make_resource()
    day = local_day(3)
    over = await book(client, engineer, pool, at(day, 9), at(day, 10), quantity=4)
    assert over.json()["code"] == "quantity_exceeds_capacity"
    double = await book(client, engineer, instrument, at(day, 9), at(day, 10), quantity=2)
    assert double.json()["code"] == "invalid_quantity"


async def test_closure_blocks_bookings(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    resource = await make_resource()
    day = local_day(3)
    closure = await client.post(f"/api/resources/{resource}/closures", headers=operator.headers,
                                json={"start": iso(at(day, 8)), "end": iso(at(day, 12)),
                                      "reason": "chamber clean"})
    assert closure.status_code == 201
    response = await book(client, engineer, resource, at(day, 11), at(day, 13))
    assert response.status_code == 422
    assert response.json()["code"] == "resource_closed"


async def test_qualification_is_required_and_must_be_unexpired(client, people):
    from platforms.tables import Qualification

    qual = await Qualification.select().where(Qualification.code == "mems-lithography").first()
    resource = await make_resource(qualification=qual["id"])
    day = local_day(3)
    unqualified = await people.engineer()
    response = await book(client, unqualified, resource, at(day, 9), at(day, 10))
    assert response.status_code == 422 and response.json()["code"] == "not_qualified"
    qualified = await people.engineer(qualifications=["mems-lithography"])
    assert (await book(client, qualified, resource, at(day, 9), at(day, 10))).status_code == 201


async def test_weekly_enterprise_quota_counts_every_engineer_of_the_enterprise(client, people):
    a1, a2 = await people.engineer("acme"), await people.engineer("acme")
    other = await people.engineer("globex")
    resource = await make_resource(kind="pool", capacity=10, quota_hours_per_week=3)
    day = local_day(7)
    day = day - timedelta(days=day.weekday())  # a Monday, so all three days share a week
    assert (await book(client, a1, resource, at(day, 9), at(day, 11))).status_code == 201
    over = await book(client, a2, resource, at(day + timedelta(days=1), 9),
                      at(day + timedelta(days=1), 11))
    assert over.status_code == 422
    assert over.json()["code"] == "quota_exceeded"
    assert (await book(client, a2, resource, at(day, 12), at(day, 13))).status_code == 201
    assert (await book(client, other, resource, at(day, 9), at(day, 12))).status_code == 201


async def test_another_enterprises_booking_is_403_and_unknown_is_404(client, people):
    owner, stranger = await people.engineer("acme"), await people.engineer("globex")
    resource = await make_resource()
    day = local_day(3)
    booking = (await book(client, owner, resource, at(day, 9), at(day, 10))).json()
    for method, path in [("GET", f"/api/bookings/{booking['id']}"),
                         ("POST", f"/api/bookings/{booking['id']}/cancel")]:
        response = await client.request(method, path, headers=stranger.headers)
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden_booking"
    missing = await client.get("/api/bookings/987654", headers=owner.headers)
    assert missing.status_code == 404 and missing.json()["code"] == "booking_not_found"


async def test_api_requires_authentication(client):
    response = await client.get("/api/bookings")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_required"


async def test_error_messages_follow_the_language(client, people):
    engineer = await people.engineer()
    resource = await make_resource(min_duration_minutes=60)
    day = local_day(3)
    body = {"resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 9, 30))}
    zh = await client.post("/api/bookings", json=body,
                           headers={**engineer.headers, "Accept-Language": "zh-Hans-CN,zh;q=0.9"})
    en = await client.post("/api/bookings", json=body,
                           headers={**engineer.headers, "Accept-Language": "en-US,en;q=0.8"})
    assert zh.json()["code"] == en.json()["code"] == "too_short"
    assert en.json()["message"] == "The booking must last at least 60 minutes."
    assert zh.json()["message"] != en.json()["message"] and "60" in zh.json()["message"]
