"""Operator changes never drop bookings silently; series, waitlist and availability."""

from __future__ import annotations

from datetime import time, timedelta

from tests.support.resources import SHANGHAI, at, iso, local_day, make_resource


async def book(client, person, resource_id, start, end, **extra):
    body = {"resource_id": resource_id, "start": iso(start), "end": iso(end), **extra}
    return await client.post("/api/bookings", json=body, headers=person.headers)


async def test_maintenance_closure_lists_colliding_bookings_and_keeps_them(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    resource = await make_resource()
    day = local_day(3)
    booking = (await book(client, engineer, resource, at(day, 9), at(day, 10))).json()
    response = await client.post(f"/api/resources/{resource}/closures", headers=operator.headers,
                                 json={"start": iso(at(day, 8)), "end": iso(at(day, 12)),
                                       "kind": "maintenance", "reason": "pump swap"})
    assert response.status_code == 201
    colliding = response.json()["colliding_bookings"]
    assert [c["id"] for c in colliding] == [booking["id"]]
    still = (await client.get(f"/api/bookings/{booking['id']}", headers=engineer.headers)).json()
    assert still["status"] == "confirmed"
    assert (await client.post(f"/api/resources/{resource}/closures", headers=engineer.headers,
                              json={"start": iso(at(day, 8)), "end": iso(at(day, 9))})
            ).status_code == 403


async def test_capacity_cut_below_booked_is_refused_with_the_bookings(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    pool = await make_resource(kind="pool", capacity=5)
    day = local_day(3)
    a = (await book(client, engineer, pool, at(day, 9), at(day, 11), quantity=2)).json()
    b = (await book(client, engineer, pool, at(day, 10), at(day, 12), quantity=2)).json()
    await book(client, engineer, pool, at(day, 13), at(day, 14), quantity=1)
    refused = await client.patch(f"/api/resources/{pool}/rules", headers=operator.headers,
                                 json={"capacity": 3})
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "capacity_below_booked" and body["peak"] == 4
    assert {c["id"] for c in body["colliding_bookings"]} == {a["id"], b["id"]}
    detail = (await client.get(f"/api/resources/{pool}")).json()
    assert detail["capacity"] == 5
    accepted = await client.patch(f"/api/resources/{pool}/rules", headers=operator.headers,
                                  json={"capacity": 4, "buffer_minutes": 10})
    assert accepted.status_code == 200 and accepted.json()["capacity"] == 4
    over = await book(client, engineer, pool, at(day, 10), at(day, 11), quantity=1)
    assert over.status_code == 409


async def test_rule_change_applies_to_the_next_booking(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    resource = await make_resource()
    day = local_day(3)
    await client.patch(f"/api/resources/{resource}/rules", headers=operator.headers,
                       json={"max_duration_minutes": 60})
    response = await book(client, engineer, resource, at(day, 9), at(day, 11))
    assert response.status_code == 422 and response.json()["code"] == "too_long"
    bad = await client.patch(f"/api/resources/{resource}/rules", headers=operator.headers,
                             json={"min_duration_minutes": 600})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_durations"


async def test_opening_hours_change_lists_bookings_now_outside(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    resource = await make_resource()
    day = local_day(3)
    early = (await book(client, engineer, resource, at(day, 7), at(day, 8))).json()
    await book(client, engineer, resource, at(day, 10), at(day, 11))
    hours = [{"weekday": d, "opens": "09:00", "closes": "18:00"} for d in range(7)]
    response = await client.put(f"/api/resources/{resource}/hours", headers=operator.headers,
                                json=hours)
    assert response.status_code == 200
    assert [b["id"] for b in response.json()["bookings_outside_hours"]] == [early["id"]]


async def test_weekly_series_is_expanded_in_shanghai_and_reports_each_occurrence(client, people):
    engineer = await people.engineer()
    rival = await people.engineer("globex")
    resource = await make_resource()
    monday = local_day(7)
    monday = monday - timedelta(days=monday.weekday())
    # Monday 07:00 in Shanghai is Sunday 23:00 UTC: the rule must still land on Mondays.
    taken = (await book(client, rival, resource, at(monday + timedelta(days=7), 7),
                        at(monday + timedelta(days=7), 8))).json()
    body = {"resource_id": resource, "start": iso(at(monday, 7)), "end": iso(at(monday, 8)),
            "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=4"}
    all_or_nothing = await client.post("/api/series", json=body, headers=engineer.headers)
    assert all_or_nothing.status_code == 409
    assert all_or_nothing.json()["code"] == "series_conflict"
    assert (await client.get("/api/bookings", headers=engineer.headers)).json() == []
    skipping = await client.post("/api/series", json={**body, "mode": "skip_conflicts"},
                                 headers=engineer.headers)
    assert skipping.status_code == 201, skipping.text
    outcomes = skipping.json()["occurrences"]
    assert [o["status"] for o in outcomes] == ["booked", "skipped", "booked", "booked"]
    assert outcomes[1]["code"] == "slot_unavailable"
    mine = (await client.get("/api/bookings", headers=engineer.headers)).json()
    assert len(mine) == 3
    for booking in mine:
        assert booking["start"].endswith("T07:00:00+08:00")
        from datetime import datetime

        assert datetime.fromisoformat(booking["start"]).astimezone(SHANGHAI).weekday() == 0
    assert taken["status"] == "confirmed"


async def test_series_rejects_unbounded_rules(client, people):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    response = await client.post("/api/series", headers=engineer.headers, json={
        "resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10)),
        "rrule": "FREQ=DAILY"})
    assert response.status_code == 422
    assert response.json()["code"] == "series_unbounded"


async def test_waitlist_gives_the_freed_slot_to_the_first_waiter_as_pending(client, people):
    holder = await people.engineer("acme")
    first, second = await people.engineer("globex"), await people.engineer("initech")
    resource = await make_resource()
    day = local_day(3)
    booking = (await book(client, holder, resource, at(day, 9), at(day, 10))).json()
    free = await client.post("/api/waitlist", headers=first.headers, json={
        "resource_id": resource, "start": iso(at(day, 11)), "end": iso(at(day, 12))})
    assert free.status_code == 409 and free.json()["code"] == "slot_available"
    slot = {"resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))}
    assert (await client.post("/api/waitlist", headers=first.headers, json=slot)).status_code == 201
    assert (await client.post("/api/waitlist", headers=second.headers, json=slot)).status_code == 201
    await client.post(f"/api/bookings/{booking['id']}/cancel", headers=holder.headers)
    promoted = (await client.get("/api/bookings", headers=first.headers)).json()
    assert len(promoted) == 1 and promoted[0]["status"] == "pending"
    assert (await client.get("/api/bookings", headers=second.headers)).json() == []
    told = (await client.get("/api/notifications", headers=first.headers)).json()
    assert told[0]["kind"] == "waitlist_promoted" and told[0]["booking_id"] == promoted[0]["id"]
    entries = (await client.get("/api/waitlist", headers=first.headers)).json()
    assert entries[0]["status"] == "promoted"


async def test_availability_shows_open_minus_closures_and_bookings(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    resource = await make_resource(hours=[(d, time(9), time(17)) for d in range(7)])
    day = local_day(3)
    await book(client, engineer, resource, at(day, 10), at(day, 11))
    await client.post(f"/api/resources/{resource}/closures", headers=operator.headers,
                      json={"start": iso(at(day, 15)), "end": iso(at(day, 16))})
    response = await client.get(f"/api/resources/{resource}/availability",
                                params={"start": iso(day), "end": iso(day + timedelta(days=1))})
    body = response.json()
    assert body["open"] == [{"start": iso(at(day, 9)), "end": iso(at(day, 15))},
                            {"start": iso(at(day, 16)), "end": iso(at(day, 17))}]
    assert body["free"] == [{"start": iso(at(day, 9)), "end": iso(at(day, 10))},
                            {"start": iso(at(day, 11)), "end": iso(at(day, 15))},
                            {"start": iso(at(day, 16)), "end": iso(at(day, 17))}]


async def test_pool_availability_reports_free_units(client, people):
    engineer = await people.engineer()
    pool = await make_resource(kind="pool", capacity=4, hours=[(d, time(9), time(12))
                                                               for d in range(7)])
    day = local_day(3)
    await book(client, engineer, pool, at(day, 9), at(day, 11), quantity=3)
    await book(client, engineer, pool, at(day, 10), at(day, 11), quantity=1)
    body = (await client.get(f"/api/resources/{pool}/availability",
                             params={"start": iso(day), "end": iso(day + timedelta(days=1))})).json()
    assert [(u["start"], u["end"], u["free"]) for u in body["units"]] == [
        (iso(at(day, 9)), iso(at(day, 10)), 1),
        (iso(at(day, 10)), iso(at(day, 11)), 0),
        (iso(at(day, 11)), iso(at(day, 12)), 4),
    ]


async def test_earliest_slot_search_across_resources(client, people):
    engineer = await people.engineer()
    day = local_day(2)
    busy = await make_resource(category="probe")
    free = await make_resource(category="probe", hours=[(d, time(13), time(18)) for d in range(7)])
    await book(client, engineer, busy, day, day + timedelta(days=1))
    response = await client.get("/api/availability", params={
        "kind": "instrument", "category": "probe", "duration": "PT2H", "after": iso(day)})
    assert response.status_code == 200
    slots = response.json()
    assert slots[0] == {**slots[0], "resource_id": free, "start": iso(at(day, 13)),
                        "end": iso(at(day, 15))}
    assert [s["resource_id"] for s in slots] == [free, busy]  # busy is free the next day
    bad = await client.get("/api/availability", params={"duration": "two hours"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_duration"
