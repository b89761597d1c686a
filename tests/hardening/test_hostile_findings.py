"""What a hostile client found on the landed code (issue 16), kept as regressions."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from calendars.ics_import import IcsImportError, parse_blocks
from calendars.recurrence import RecurrenceError, expand_series
from tests.support.resources import SHANGHAI, at, iso, local_day, make_resource

# Not a speed test: before the fix these took seconds to minutes of a blocked loop.
STALL = 2.0


def ics(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def event(*lines: str) -> bytes:
    return ics("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", "BEGIN:VEVENT", "UID:u",
               *lines, "END:VEVENT", "END:VCALENDAR")


WINDOW = dict(window_start=datetime(2025, 3, 1, tzinfo=UTC),
              window_end=datetime(2026, 4, 1, tzinfo=UTC), default_zone=SHANGHAI)


@pytest.mark.parametrize(("rule", "code"), [
    ("FREQ=DAILY;COUNT=2;BYMONTH=2;BYMONTHDAY=30", "series_empty"),
    ("FREQ=WEEKLY;COUNT=2;BYMONTH=2;BYMONTHDAY=30", "series_empty"),
    ("FREQ=DAILY;COUNT=3;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "series_empty"),
    ("FREQ=DAILY;COUNT=3;BYMONTH=2;BYMONTHDAY=29", "series_beyond_horizon"),
    ("FREQ=DAILY;COUNT=2;INTERVAL=0", "invalid_rrule_interval"),
    ("FREQ=DAILY;COUNT=2;INTERVAL=100000000000000000000", "invalid_rrule_interval"),
    ("FREQ=DAILY;COUNT=2;INTERVAL=100000", "invalid_rrule_interval"),
    ("FREQ=WEEKLY;COUNT=2;INTERVAL=54", "invalid_rrule_interval"),
    ("FREQ=WEEKLY;COUNT=200;INTERVAL=2", "series_beyond_horizon"),
    ("FREQ=WEEKLY;INTERVAL=4;UNTIL=20991231", "series_beyond_horizon"),
    ("FREQ=DAILY;COUNT=2;BYHOUR=0,1,2", "unsupported_rrule_part"),
    ("FREQ=DAILY;COUNT=2;BYMINUTE=0,30", "unsupported_rrule_part"),
    ("FREQ=DAILY;COUNT=2;BYMONTHDAY=32", "invalid_rrule"),
])
def test_impossible_dense_or_far_rules_are_refused_at_once(rule, code):
    start = datetime(2025, 3, 3, 7, tzinfo=SHANGHAI)
    began = time.monotonic()
    with pytest.raises(RecurrenceError) as raised:
        expand_series(rule, start, start + timedelta(hours=1), SHANGHAI, max_count=200)
    assert raised.value.code == code
    assert time.monotonic() - began < STALL


def test_filters_keep_their_meaning():
    start = datetime(2025, 3, 3, 7, tzinfo=SHANGHAI)  # a Monday
    days = [o.start.astimezone(SHANGHAI).date().isoformat() for o in expand_series(
        "FREQ=DAILY;COUNT=3;BYMONTHDAY=3,-1", start, start + timedelta(hours=1), SHANGHAI)]
    assert days == ["2025-03-03", "2025-03-31", "2025-04-03"]
    weekly = expand_series("FREQ=WEEKLY;COUNT=3;BYDAY=MO,FR;BYMONTH=3,4", start,
                           start + timedelta(hours=1), SHANGHAI)
    assert [o.start.astimezone(SHANGHAI).day for o in weekly] == [3, 7, 10]


@pytest.mark.parametrize("rule", [
    "FREQ=DAILY;COUNT=2;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;COUNT=2;INTERVAL=0",
    "FREQ=DAILY;COUNT=2;INTERVAL=100000000000000000000",
])
async def test_series_api_answers_422_quickly(client, people, rule):
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    began = time.monotonic()
    response = await client.post("/api/series", headers=engineer.headers, json={
        "resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10)),
        "rrule": rule})
    assert response.status_code == 422, response.text
    assert response.json()["code"] in {"series_empty", "invalid_rrule_interval"}
    assert time.monotonic() - began < STALL
    assert (await client.get("/api/bookings", headers=engineer.headers)).json() == []


async def test_operator_series_cannot_reach_centuries_ahead(client, people):
    operator = await people.operator("mems")
    engineer = await people.engineer()
    resource = await make_resource()
    day = local_day(3)
    response = await client.post("/api/series", headers=operator.headers, json={
        "resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10)),
        "rrule": "FREQ=DAILY;COUNT=2;INTERVAL=100000", "account_id": engineer.id})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_rrule_interval"


def test_ics_with_minute_lists_is_refused_before_expansion():
    data = event("DTSTART:20250301T000000Z", "DURATION:PT1M",
                 "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24)))
                 + ";BYMINUTE=" + ",".join(map(str, range(60))))
    began = time.monotonic()
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert raised.value.code == "ics_unsupported"
    assert raised.value.line == 8
    assert time.monotonic() - began < STALL


def test_ics_hour_lists_stay_hourly_and_are_bounded():
    data = event("DTSTART:20250301T000000Z", "DURATION:PT30M",
                 "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))))
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW, max_events=100)
    assert raised.value.code == "ics_too_many_events"


def test_ics_dtend_before_dtstart_is_refused_with_its_line():
    data = event("DTSTART:20250310T000000Z", "DTEND:20250301T000000Z", "SUMMARY:typo")
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert raised.value.code == "ics_malformed"
    assert raised.value.line == 7
    all_day = event("DTSTART;VALUE=DATE:20250310", "DTEND;VALUE=DATE:20250309")
    with pytest.raises(IcsImportError):
        parse_blocks(all_day, **WINDOW)


async def test_idempotency_key_reused_with_another_body_is_refused(client, people):
    engineer = await people.engineer()
    resource = await make_resource(kind="pool", capacity=5)
    day = local_day(3)
    headers = {**engineer.headers, "Idempotency-Key": "retry-7"}
    body = {"resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))}
    first = await client.post("/api/bookings", json=body, headers=headers)
    assert first.status_code == 201
    for other in ({**body, "quantity": 2}, {**body, "end": iso(at(day, 11))},
                  {**body, "note": "another"}):
        reused = await client.post("/api/bookings", json=other, headers=headers)
        assert reused.status_code == 422, reused.text
        assert reused.json()["code"] == "idempotency_key_reused"
    # The same instants written in another offset are the same request.
    same = {**body, "start": at(day, 9).astimezone(UTC).isoformat()}
    replay = await client.post("/api/bookings", json=same, headers=headers)
    assert replay.status_code == 201 and replay.json()["id"] == first.json()["id"]
    assert len((await client.get("/api/bookings", headers=engineer.headers)).json()) == 1


async def test_one_booking_per_idempotency_key_under_concurrency(client, people):
    engineer = await people.engineer()
    resource = await make_resource(kind="pool", capacity=50)
    day = local_day(3)
    headers = {**engineer.headers, "Idempotency-Key": "herd"}
    body = {"resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))}
    bodies = [body] * 10 + [{**body, "quantity": 2}] * 10
    responses = await asyncio.gather(*[
        client.post("/api/bookings", json=b, headers=headers) for b in bodies])
    ids = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(ids) == 1
    refused = [r for r in responses if r.status_code != 201]
    assert all(r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
               for r in refused)
    assert len(refused) == 10
    assert len((await client.get("/api/bookings", headers=engineer.headers)).json()) == 1


SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy",
                    "x-frame-options")


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/bookings", 401),
    ("GET", "/api/nothing-here", 404),
    ("GET", "/nothing-here", 404),
    ("DELETE", "/health", 405),
    ("GET", "/static/app.css", 200),
    ("GET", "/health", 200),
])
async def test_every_answer_carries_the_security_headers(client, method, path, status):
    response = await client.request(method, path)
    assert response.status_code == status
    for header in SECURITY_HEADERS:
        assert header in response.headers, (header, path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_forbidden_and_internal_errors_carry_the_security_headers(client, people):
    engineer = await people.engineer()
    forbidden = await client.get("/api/outbox", headers=engineer.headers)
    assert forbidden.status_code == 403
    assert all(header in forbidden.headers for header in SECURITY_HEADERS)
    from booking.http import errors

    class Boom(Exception):
        pass

    from litestar.testing import RequestFactory

    response = errors.internal_error_handler(RequestFactory().get("/api/x"), Boom())
    assert response.status_code == 500
    assert all(name in {k.lower() for k in response.headers} for name in SECURITY_HEADERS)


async def test_static_serves_only_the_front_end_files(client):
    assert (await client.get("/static/htmx.org/dist/htmx.min.js")).status_code == 200
    for path in ("/static/htmx.org/package.json", "/static/htmx.org/README.md",
                 "/static/htmx.org/src/htmx.js", "/static/htmx.org/dist/../package.json"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "x-content-type-options" in response.headers


PLANTED = "f" * 64


def cookie_client(app, session_id: str):
    import httpx

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url="http://testserver.local", cookies={"session": session_id})


async def test_log_in_gives_a_new_session_id_and_ends_the_old_one(app, client, people):
    from tests.support.web_session import login

    engineer, other = await people.engineer(), await people.engineer("globex")
    client.cookies.set("session", PLANTED, domain="testserver.local")
    await login(client, engineer.email)
    first = client.cookies.get("session")
    assert first and first != PLANTED
    assert (await client.get("/api/me")).json()["email"] == engineer.email
    async with cookie_client(app, PLANTED) as attacker:
        assert (await attacker.get("/api/me")).status_code == 401
    # Same session, same account: the id stays (nothing to rotate).
    await client.get("/")
    assert client.cookies.get("session") == first
    await login(client, other.email)
    second = client.cookies.get("session")
    assert second not in (first, PLANTED)
    async with cookie_client(app, first) as stale:
        assert (await stale.get("/api/me")).status_code == 401
    async with cookie_client(app, second) as current:
        assert (await current.get("/api/me")).json()["email"] == other.email
    assert (await client.get("/api/me")).json()["email"] == other.email


async def test_accepting_an_invitation_gives_a_new_session_id(app, client, people):
    from tests.accounts.test_accounts_members_api import invitation_mail, invite, set_password

    admin = await people.enterprise_admin("a")
    assert (await invite(client, admin, admin.enterprise_id,
                         email="fixed@example.test")).status_code == 201
    _, path = await invitation_mail("fixed@example.test")
    client.cookies.set("session", PLANTED, domain="testserver.local")
    done = await set_password(client, path, "a-long-password-1")
    assert done.status_code == 303
    assert client.cookies.get("session") not in (None, PLANTED)
    assert (await client.get("/api/me")).json()["email"] == "fixed@example.test"
    async with cookie_client(app, PLANTED) as attacker:
        assert (await attacker.get("/api/me")).status_code == 401


@pytest.mark.parametrize("rule", ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
                                  "FREQ=HOURLY;BYMONTH=4,6;BYMONTHDAY=31,-31"])
def test_ics_rule_on_a_date_that_never_exists_is_refused_at_once(rule):
    data = event("DTSTART:20250301T000000Z", "DURATION:PT1H", f"RRULE:{rule}")
    began = time.monotonic()
    with pytest.raises(IcsImportError) as raised:
        parse_blocks(data, **WINDOW)
    assert (raised.value.code, raised.value.line) == ("ics_unsupported", 8)
    assert time.monotonic() - began < STALL
    leap = event("DTSTART:20250301T000000Z", "DURATION:PT1H",
                 "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=2")
    # A leap day exists: not refused (DTSTART itself is the one in the window).
    assert [b.start.date().isoformat() for b in parse_blocks(leap, **WINDOW)] == ["2025-03-01"]
