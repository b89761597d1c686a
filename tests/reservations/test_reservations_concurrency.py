"""Real concurrent requests, each in its own database transaction, racing for capacity."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from tests.support.invariants import assert_never_overbooked
from tests.support.resources import at, iso, local_day, make_resource

HERD = 100


async def engineers(people, count: int):
    # Separate enterprises, so no quota or ownership rule stands between them.
    return [await people.engineer(f"herd-{i % 10}") for i in range(count)]


async def test_100_requests_for_one_instrument_slot_book_it_exactly_once(client, people):
    crowd = await engineers(people, 20)
    resource = await make_resource()
    day = local_day(3)
    body = {"resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 11))}
    responses = await asyncio.gather(*[
        client.post("/api/bookings", json=body, headers=crowd[i % len(crowd)].headers)
        for i in range(HERD)
    ])
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1, sorted(set(statuses))
    assert statuses.count(409) == HERD - 1
    assert all(r.json()["code"] == "slot_unavailable" for r in responses if r.status_code == 409)
    await assert_never_overbooked(resource)


async def test_100_requests_for_a_pool_of_n_grant_exactly_n_units(client, people):
    crowd = await engineers(people, 20)
    capacity = 7
    pool = await make_resource(kind="pool", capacity=capacity)
    day = local_day(3)
    body = {"resource_id": pool, "start": iso(at(day, 9)), "end": iso(at(day, 11))}
    responses = await asyncio.gather(*[
        client.post("/api/bookings", json=body, headers=crowd[i % len(crowd)].headers)
        for i in range(HERD)
    ])
    granted = [r for r in responses if r.status_code == 201]
    assert len(granted) == capacity
    assert sum(r.json()["quantity"] for r in granted) == capacity
    assert all(r.status_code in (201, 409) for r in responses)
    await assert_never_overbooked(pool)


async def test_mixed_quantities_racing_for_overlapping_pool_windows(client, people):
    crowd = await engineers(people, 20)
    pool = await make_resource(kind="pool", capacity=10)
    day = local_day(3)
    rng = random.Random(7)
    bodies = []
    for _ in range(HERD):
        start = at(day, 8) + timedelta(minutes=30 * rng.randrange(0, 12))
        bodies.append({"resource_id": pool, "start": iso(start),
                       "end": iso(start + timedelta(minutes=30 * rng.randrange(1, 6))),
                       "quantity": rng.randrange(1, 4)})
    responses = await asyncio.gather(*[
        client.post("/api/bookings", json=b, headers=crowd[i % len(crowd)].headers)
        for i, b in enumerate(bodies)
    ])
    assert {r.status_code for r in responses} <= {201, 409}
    assert any(r.status_code == 201 for r in responses)
    await assert_never_overbooked(pool)


async def test_moves_and_series_racing_against_creates_never_overlap(client, people):
    crowd = await engineers(people, 20)
    resource = await make_resource()
    day = local_day(3)
    # Bookings to move around, spread over the morning.
    movers = []
    for i, engineer in enumerate(crowd[:6]):
        start = at(day, 6 + 2 * i)
        response = await client.post("/api/bookings", headers=engineer.headers, json={
            "resource_id": resource, "start": iso(start), "end": iso(start + timedelta(hours=1))})
        movers.append((engineer, response.json()["id"]))
    rng = random.Random(11)
    tasks = []
    for engineer, booking_id in movers:
        for _ in range(5):
            start = at(day, 6) + timedelta(minutes=30 * rng.randrange(0, 28))
            tasks.append(client.post(f"/api/bookings/{booking_id}/move", headers=engineer.headers,
                                     json={"start": iso(start),
                                           "end": iso(start + timedelta(hours=1))}))
    for i in range(40):
        start = at(day, 6) + timedelta(minutes=30 * rng.randrange(0, 28))
        tasks.append(client.post("/api/bookings", headers=crowd[6 + i % 14].headers, json={
            "resource_id": resource, "start": iso(start), "end": iso(start + timedelta(hours=1))}))
    for i in range(4):
        start = at(day, 6) + timedelta(minutes=30 * rng.randrange(0, 28))
        tasks.append(client.post("/api/series", headers=crowd[19 - i].headers, json={
            "resource_id": resource, "start": iso(start), "end": iso(start + timedelta(hours=1)),
            "rrule": "FREQ=DAILY;COUNT=3", "mode": "skip_conflicts"}))
    rng.shuffle(tasks)
    responses = await asyncio.gather(*tasks)
    assert {r.status_code for r in responses} <= {200, 201, 409}, [
        r.text for r in responses if r.status_code not in (200, 201, 409)]
    await assert_never_overbooked(resource)


async def test_waitlist_promotion_racing_with_direct_bookings_never_overbooks(client, people):
    crowd = await engineers(people, 20)
    resource = await make_resource()
    day = local_day(3)
    slot = {"resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))}
    held = (await client.post("/api/bookings", json=slot, headers=crowd[0].headers)).json()
    for engineer in crowd[1:6]:
        await client.post("/api/waitlist", json=slot, headers=engineer.headers)
    racing = [client.post(f"/api/bookings/{held['id']}/cancel", headers=crowd[0].headers)]
    racing += [client.post("/api/bookings", json=slot, headers=e.headers) for e in crowd[6:]]
    await asyncio.gather(*racing)
    await assert_never_overbooked(resource)
