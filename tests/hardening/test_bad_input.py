"""Hostile input never reaches a 500: every class of bad value a fuzzing client found is
answered 4xx with ``{code, message}``, and nothing is written.

Each case names its class and the route it hits; ``{rid}``, ``{bid}``, ``{S}`` and ``{E}``
in a case stand for the test's resource, a booking of it and a valid start and end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from booking.accounts.tables import Enterprise, QualificationGrant
from booking.invites.tables import FeedToken, OutboxMessage
from booking.reservations import service
from booking.reservations.tables import Booking, BookingEvent, Series, WaitlistEntry
from platforms.tables import Closure, OpeningHours, Resource
from tests.support.resources import at, local_day, make_resource
from tests.support.web_session import login, post_form

BIG = 2**63
BIGGER = 2**64


@dataclass
class World:
    resource: int
    booking: int
    start: str
    end: str
    headers: dict[str, dict[str, str]]


@pytest.fixture
async def world(people) -> World:
    engineer = await people.engineer("acme")
    operator = await people.operator("mems")
    admin = await people.park_admin()
    resource = await make_resource(kind="pool", capacity=5)
    day = local_day(3)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=at(day, 8), end=at(day, 9))
    return World(resource, row["id"], at(day, 10).isoformat(), at(day, 11).isoformat(),
                 {"engineer": engineer.headers, "operator": operator.headers,
                  "admin": admin.headers})


async def snapshot(resource_id: int) -> dict[str, Any]:
    """What a refused request must leave as it was: row counts and the resource's rules."""
    tables = (Booking, BookingEvent, Series, WaitlistEntry, Closure, OpeningHours, Enterprise,
              OutboxMessage, FeedToken, QualificationGrant)
    counts = {t.__name__: await t.count() for t in tables}
    rules = await Resource.select().where(Resource.id == resource_id).first()
    return {"counts": counts, "resource": rules}


def fill(value: Any, w: World) -> Any:
    if isinstance(value, str):
        return (value.replace("{rid}", str(w.resource)).replace("{bid}", str(w.booking))
                .replace("{S}", w.start).replace("{E}", w.end))
    if isinstance(value, dict):
        return {k: fill(v, w) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, w) for v in value]
    return value


def case(kind: str, method: str, path: str, body: Any = None, actor: str = "engineer",
         *, raw: bytes | None = None, id_: str | None = None) -> Any:
    return pytest.param(method, path, body, actor, raw,
                        id=f"{kind}:{method} {id_ or path}"[:90])


ID_PATHS = [
    ("GET", "/api/resources/{x}", None, "engineer"),
    ("GET", "/api/resources/{x}/availability?start={S}&end={E}", None, "engineer"),
    ("GET", "/api/bookings/{x}", None, "engineer"),
    ("GET", "/api/bookings/{x}/history", None, "engineer"),
    ("GET", "/api/bookings/{x}/invite.ics", None, "engineer"),
    ("POST", "/api/bookings/{x}/cancel", {}, "engineer"),
    ("POST", "/api/bookings/{x}/move", {"start": "{S}", "end": "{E}"}, "engineer"),
    ("POST", "/api/bookings/{x}/check-in", None, "operator"),
    ("POST", "/api/bookings/{x}/approve", {}, "operator"),
    ("GET", "/api/series/{x}", None, "engineer"),
    ("GET", "/api/series/{x}/invite.ics", None, "engineer"),
    ("DELETE", "/api/waitlist/{x}", None, "engineer"),
    ("DELETE", "/api/closures/{x}", None, "operator"),
    ("PATCH", "/api/resources/{x}/rules", {"buffer_minutes": 5}, "operator"),
    ("PUT", "/api/resources/{x}/hours", [], "operator"),
    ("POST", "/api/resources/{x}/closures", {"start": "{S}", "end": "{E}"}, "operator"),
    ("POST", "/api/feeds/{x}/rotate", None, "engineer"),
    ("DELETE", "/api/feeds/{x}", None, "engineer"),
    ("DELETE", "/api/auth/tokens/{x}", None, "engineer"),
    ("POST", "/api/auth/tokens/{x}/revoke", None, "engineer"),
    ("POST", "/api/qualification-grants/{x}/revoke", None, "admin"),
    ("GET", "/api/enterprises/{x}", None, "admin"),
    ("GET", "/api/enterprises/{x}/members", None, "admin"),
]

BOOKING = {"resource_id": "{rid}", "start": "{S}", "end": "{E}"}
TIMED = [("POST", "/api/bookings", BOOKING, "engineer"),
         ("POST", "/api/waitlist", BOOKING, "engineer"),
         ("POST", "/api/series", {**BOOKING, "rrule": "FREQ=DAILY;COUNT=2"}, "engineer"),
         ("POST", "/api/resources/{rid}/closures", {"start": "{S}", "end": "{E}"}, "operator"),
         ("POST", "/api/bookings/{bid}/move", {"start": "{S}", "end": "{E}"}, "engineer")]
EDGE_INSTANTS = ["0001-01-01T00:00:00+05:00", "0001-01-01T00:00:00", "9999-12-31T23:00:00-05:00",
                 "9999-12-31T23:59:59", "1999-12-31T23:00:00+00:00", "2100-01-01T00:00:00Z"]
RULES = {"max_advance_days": 10**9, "buffer_minutes": 2**42, "cancel_cutoff_hours": 10**12,
         "pending_hold_minutes": 2**45, "slot_minutes": 2**40, "max_duration_minutes": 2**60,
         "min_duration_minutes": -1, "min_notice_minutes": 2**62, "no_show_grace_minutes": 2**50,
         "capacity": BIG, "quota_hours_per_week": 2**62}


def _cases() -> list[Any]:
    out = []
    for method, path, body, actor in ID_PATHS:
        out.append(case(f"id={BIG}", method, path.replace("{x}", str(BIG)), body, actor))
    for bad in (BIGGER, 0, -1):
        for method, path, body, actor in ID_PATHS[:6]:
            out.append(case(f"id={bad}", method, path.replace("{x}", str(bad)), body, actor))
    for bad in (BIG, BIGGER, 0, -1):
        for method, path, body, actor in TIMED[:3]:
            out.append(case(f"body id={bad}", method, path, {**body, "resource_id": bad}, actor))
        out.append(case(f"on-behalf id={bad}", "POST", "/api/bookings",
                        {**BOOKING, "enterprise_id": bad, "account_id": bad}, "operator"))
        out.append(case(f"grant id={bad}", "POST", "/api/qualification-grants",
                        {"account_id": bad, "qualification_id": bad}, "admin"))
        out.append(case(f"feed id={bad}", "POST", "/api/feeds",
                        {"scope": "resource", "target_id": bad}, "engineer"))
    for bad in (BIG, BIGGER, -1):
        for path in ("/api/bookings?offset={b}", "/api/resources?offset={b}",
                     "/api/enterprises?offset={b}", "/api/bookings?resource_id={b}"):
            out.append(case(f"query={bad}", "GET", path.format(b=bad), None, "admin"))
    for moment in EDGE_INSTANTS:
        for method, path, body, actor in TIMED:
            out.append(case(f"start={moment}", method, path, {**body, "start": moment}, actor))
            out.append(case(f"end={moment}", method, path, {**body, "end": moment}, actor))
        quoted = moment.replace("+", "%2B")
        for path in ("/api/resources/{rid}/availability?start=" + quoted + "&end={E}",
                     "/api/resources/{rid}/availability?start={S}&end=" + quoted,
                     f"/api/availability?after={quoted}", f"/api/bookings?start={quoted}",
                     f"/api/bookings?end={quoted}"):
            out.append(case(f"instant={moment}", "GET", path, None, "engineer"))
    for until in ("00010101T000000Z", "99991231T235959Z", "21000101"):
        out.append(case(f"until={until}", "POST", "/api/series",
                        {**BOOKING, "rrule": f"FREQ=DAILY;UNTIL={until}"}))
    for duration in ("PT99999999999H", "P99999999999D", "PT99999999999999999999M", "P3650000D",
                     "P31D"):
        out.append(case("duration", "GET", f"/api/availability?duration={duration}"))
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    nested = b'{"resource_id": 1, "note": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for method, path, actor in (("POST", "/api/bookings", "engineer"),
                                ("PUT", "/api/resources/{rid}/hours", "operator"),
                                ("PATCH", "/api/resources/{rid}/rules", "operator"),
                                ("POST", "/api/enterprises", "admin")):
        out.append(case("deep json", method, path, None, actor, raw=deep))
        out.append(case("deep field", method, path, None, actor, raw=nested))
    huge = json.dumps({**BOOKING, "note": "a" * 6_000_000}).encode()
    out.append(case("6 MB body", "POST", "/api/bookings", None, raw=huge))
    out.append(case("long note", "POST", "/api/bookings", {**BOOKING, "note": "a" * 2001}))
    bad_utf8 = [
        ("POST", "/api/bookings", b'{"resource_id": {rid}, "start": "{S}", "end": "{E}", '
                                  b'"note": "\xff\xfe"}', "engineer"),
        ("POST", "/api/bookings", b'{"resource_id": {rid}, "start": "{S}", "end": "{E}", '
                                  b'"account_id": "\xff", "enterprise_id": 1}', "operator"),
        ("POST", "/api/bookings/{bid}/cancel", b'{"reason": "\xc3\x28"}', "engineer"),
        ("POST", "/api/enterprises", b'{"name_zh": "\xff\xfe", "uscc": "x", "tier": "park"}',
         "admin"),
        ("PATCH", "/api/resources/{rid}/rules", b"\xff\xfe\x00", "operator"),
    ]
    for method, path, raw, actor in bad_utf8:
        out.append(case("invalid utf-8", method, path, None, actor, raw=raw,
                        id_=f"{path} {raw[-24:]!r}"))
    for name, value in (("resource_id", "{rid}"), ("resource_id", 1.0), ("quantity", "1"),
                        ("quantity", 1.0), ("start", 1_900_000_000), ("end", "1900000000")):
        out.append(case(f"lax {name}={value!r}", "POST", "/api/bookings",
                        {**BOOKING, name: value}))
    out.append(case("lax rule", "PATCH", "/api/resources/{rid}/rules", {"buffer_minutes": "5"},
                    "operator"))
    out.append(case("lax weekday", "PUT", "/api/resources/{rid}/hours",
                    [{"weekday": "1", "opens": "08:00", "closes": "12:00"}], "operator"))
    for rule, value in RULES.items():
        out.append(case(f"rule {rule}={value}", "PATCH", "/api/resources/{rid}/rules",
                        {rule: value}, "operator"))
    span = {"weekday": 0, "opens": "08:00", "closes": "12:00"}
    out.append(case("hours overlap", "PUT", "/api/resources/{rid}/hours",
                    [span, {"weekday": 0, "opens": "11:00", "closes": "14:00"}], "operator"))
    out.append(case("hours inside", "PUT", "/api/resources/{rid}/hours",
                    [{"weekday": 3, "opens": "00:00", "closes": "24:00"},
                     {"weekday": 3, "opens": "09:00", "closes": "10:00"}], "operator"))
    out.append(case("hours duplicate", "PUT", "/api/resources/{rid}/hours", [span, span],
                    "operator"))
    out.append(case("hours 10,000 rows", "PUT", "/api/resources/{rid}/hours", [span] * 10_000,
                    "operator", id_="/api/resources/{rid}/hours ×10000"))
    return out


@pytest.mark.parametrize(("method", "path", "body", "actor", "raw"), _cases())
async def test_bad_input_is_a_4xx_and_writes_nothing(client, world, method, path, body, actor,
                                                     raw):
    before = await snapshot(world.resource)
    url = fill(path, world).replace("+", "%2B")  # the offsets of {S} and {E}, in a query
    headers = dict(world.headers[actor])
    if raw is not None:
        content = raw
        for marker, value in ((b"{rid}", world.resource), (b"{bid}", world.booking),
                              (b"{S}", world.start), (b"{E}", world.end)):
            content = content.replace(marker, str(value).encode())
        response = await client.request(method, url, content=content,
                                        headers={**headers, "content-type": "application/json"})
    elif body is None:
        response = await client.request(method, url, headers=headers)
    else:
        response = await client.request(method, url, json=fill(body, world), headers=headers)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    answer = response.json()
    assert isinstance(answer.get("code"), str) and answer["code"]
    assert isinstance(answer.get("message"), str) and answer["message"]
    assert await snapshot(world.resource) == before


async def test_the_same_requests_with_valid_values_still_succeed(client, world):
    """The bounds refuse only what is out of range: the valid neighbours of the cases pass."""
    headers = world.headers
    made = await client.post("/api/bookings", json={"resource_id": world.resource,
                                                     "start": world.start, "end": world.end,
                                                     "quantity": 2}, headers=headers["engineer"])
    assert made.status_code == 201, made.text
    rules = {"max_advance_days": 3650, "buffer_minutes": 1440, "cancel_cutoff_hours": 8760,
             "pending_hold_minutes": 43_200, "quota_hours_per_week": None}
    patched = await client.patch(f"/api/resources/{world.resource}/rules", json=rules,
                                 headers=headers["operator"])
    assert patched.status_code == 200, patched.text
    hours = [{"weekday": 0, "opens": "08:00", "closes": "12:00"},
             {"weekday": 0, "opens": "12:00", "closes": "18:00"},
             {"weekday": 1, "opens": "08:00", "closes": "24:00"}]
    put = await client.put(f"/api/resources/{world.resource}/hours", json=hours,
                           headers=headers["operator"])
    assert put.status_code == 200 and put.json()["hours"] == 3
    found = await client.get("/api/availability", params={"duration": "P30D"},
                             headers=headers["engineer"])
    assert found.status_code == 200


async def test_an_out_of_range_rule_already_stored_is_read_clamped_and_can_be_repaired(
        client, world):
    """A row written before the bounds existed must not take the resource and the
    park-wide search down with it (the issue's permanent 500)."""
    largest = 2**31 - 1  # what a PostgreSQL integer column holds; far past any calendar
    await Resource.update({Resource.max_advance_days: 10**9, Resource.buffer_minutes: largest,
                           Resource.cancel_cutoff_hours: largest,
                           Resource.pending_hold_minutes: largest}).where(
        Resource.id == world.resource)
    engineer = world.headers["engineer"]
    for url in (f"/api/resources/{world.resource}/availability?start={world.start}"
                f"&end={world.end}".replace("+", "%2B"),
                "/api/availability", f"/api/resources/{world.resource}"):
        response = await client.get(url, headers=engineer)
        assert response.status_code == 200, (url, response.text[:300])
    booked = await client.post("/api/bookings", json={"resource_id": world.resource,
                                                       "start": world.start, "end": world.end},
                               headers=engineer)
    assert booked.status_code == 201, booked.text
    repaired = await client.patch(f"/api/resources/{world.resource}/rules",
                                  json={"max_advance_days": 90, "buffer_minutes": 0,
                                        "cancel_cutoff_hours": 24, "pending_hold_minutes": 60},
                                  headers=world.headers["operator"])
    assert repaired.status_code == 200, repaired.text
    assert repaired.json()["max_advance_days"] == 90


@pytest.mark.parametrize("quantity", ["-5", "abc", "0", "1.5", "6", str(10**30), "١"])
async def test_the_booking_form_refuses_a_quantity_it_cannot_book(client, people, quantity):
    engineer = await people.engineer(locale="zh_CN")
    await login(client, engineer.email)
    resource = await make_resource(kind="pool", capacity=5)
    day = local_day(3)
    response = await post_form(client, f"/resources/{resource}/book",
                               {"start": at(day, 9).strftime("%Y-%m-%dT%H:%M"),
                                "end": at(day, 10).strftime("%Y-%m-%dT%H:%M"),
                                "quantity": quantity}, htmx=True)
    assert response.status_code == 422, response.text[:300]
    assert 'role="alert"' in response.text and "请输入 1 到 5 之间的整数数量。" in response.text
    assert await Booking.count() == 0


async def test_the_openapi_schema_states_the_bounds(client):
    schema = (await client.get("/schema/openapi.json")).json()
    paths = schema["paths"]

    def parameter(path: str, method: str, name: str) -> dict[str, Any]:
        found = [p for p in paths[path][method]["parameters"] if p["name"] == name]
        assert found, (path, method, name)
        return found[0]["schema"]

    resource_id = parameter("/api/resources/{resource_id}", "get", "resource_id")
    assert resource_id["minimum"] == 1 and resource_id["maximum"] == 2**63 - 1
    booking_id = parameter("/api/bookings/{booking_id}/cancel", "post", "booking_id")
    assert booking_id["minimum"] == 1 and booking_id["maximum"] == 2**63 - 1
    offset = parameter("/api/bookings", "get", "offset")
    assert offset["minimum"] == 0 and offset["maximum"] == 2**63 - 1
    components = schema["components"]["schemas"]
    booking_in = next(v for k, v in components.items() if k.endswith("BookingIn"))
    assert booking_in["properties"]["resource_id"]["maximum"] == 2**63 - 1
    assert "2000-01-01" in booking_in["properties"]["start"]["description"]
    rules_in = next(v for k, v in components.items() if k.endswith("RulesIn"))

    def bound(field: str) -> int:
        prop = rules_in["properties"][field]
        arms = [prop, *prop.get("oneOf", ()), *prop.get("anyOf", ())]
        return next(a["maximum"] for a in arms if "maximum" in a)

    assert bound("max_advance_days") == 3650 and bound("buffer_minutes") == 1440
    assert bound("cancel_cutoff_hours") == 8760 and bound("pending_hold_minutes") == 43_200


@pytest.mark.parametrize("value", [0, BIG, BIGGER])
async def test_a_page_id_outside_the_range_is_refused_like_the_apis(client, app, people, value):
    """Page paths are not in the OpenAPI, but their ids are held to the same bounds: every
    page GET that takes an id answers 400 to one outside 1..2**63-1 (never a 500), once
    the caller holds the page's capability (others are refused by it first)."""
    import re

    from booking.accounts.permissions import declared, holds_role

    pages = sorted({(route.path, handler) for route in app.routes
                    if not route.path.startswith("/api/") and re.search(r"\{\w+:int\}", route.path)
                    for handler in getattr(route, "route_handlers", [])
                    if "GET" in handler.http_methods}, key=lambda item: item[0])
    assert pages, "no page takes an id: the test would prove nothing"
    admin = await people.park_admin()
    await login(client, admin.email)
    checked = 0
    for path, handler in pages:
        url = re.sub(r"\{\w+:int\}", str(value), re.sub(r"\{\w+:str\}", "mems", path))
        response = await client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if any(holds_role(admin.principal, can) for can in declared(handler)):
            assert response.status_code == 400, (url, response.status_code)
            checked += 1
    assert checked
