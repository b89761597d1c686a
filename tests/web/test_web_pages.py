"""Engineer pages through the test client: HTML, forms, CSRF, errors in place, headers."""

from __future__ import annotations

import re
from datetime import timedelta

from booking.reservations import queries, service
from tests.support.resources import at, local_day, make_resource
from tests.support.web_session import csrf_token, login, post_form

HTMX = {"HX-Request": "true"}


async def engineer_client(client, people, **kw):
    person = await people.engineer(**kw)
    await login(client, person.email)
    return person


async def book(client, resource_id, start, end, htmx=True, **extra):
    data = {"start": start.strftime("%Y-%m-%dT%H:%M"), "end": end.strftime("%Y-%m-%dT%H:%M"),
            **extra}
    return await post_form(client, f"/resources/{resource_id}/book", data, htmx=htmx)


async def test_security_headers_and_cookies(client, people):
    page = await client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in page.text and 'style="' not in page.text
    assert '/static/htmx.org/dist/htmx.min.js' in page.text and "/static/app.js" in page.text
    person = await people.engineer()
    login_page = await client.get("/login")
    token = client.cookies.get("csrftoken")
    response = await client.post("/login", data={"email": person.email,
                                                  "password": "correct-horse-battery",
                                                  "_csrf_token": token, "next": "/"})
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert login_page.status_code == 200


async def test_posts_without_the_csrf_token_are_refused(client, people):
    await engineer_client(client, people)
    resource_id = await make_resource()
    day = local_day(3)
    start = at(day, 10)
    response = await client.post(f"/resources/{resource_id}/book",
                                 data={"start": start.strftime("%Y-%m-%dT%H:%M"),
                                       "end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
                                 headers=HTMX)
    assert response.status_code == 403
    assert await service.Booking.count() == 0
    # The htmx way: the token in the x-csrftoken header.
    token = await csrf_token(client)
    response = await client.post(f"/resources/{resource_id}/book",
                                 data={"start": start.strftime("%Y-%m-%dT%H:%M"),
                                       "end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
                                 headers={**HTMX, "x-csrftoken": token})
    assert response.status_code == 200, response.text[:300]


async def test_catalog_search_filters_and_resource_page(client, people):
    page = await client.get("/resources", params={"kind": "instrument", "category": "lithography"},
                            headers={"Accept-Language": "en"})
    assert page.status_code == 200
    names = re.findall(r'class="result-name">([^<]+)<', page.text)
    assert "i-line stepper" in names and len(names) == 2
    fragment = await client.get("/resources", params={"q": "stepper"},
                                headers={**HTMX, "Accept-Language": "en"})
    assert fragment.text.lstrip().startswith('<section id="results"')
    await engineer_client(client, people, tier="external")
    stepper = re.search(r'href="/resources/(\d+)" class="result-name">i-line stepper', page.text)
    detail = await client.get(f"/resources/{stepper.group(1)}", headers={"Accept-Language": "en"})
    assert "¥1,300.00" in detail.text  # the external tier's price
    assert "An operator approves each booking" in detail.text
    assert 'id="calendar"' in detail.text
    assert "You do not hold it yet" in detail.text
    qualified = await client.get("/resources", params={"category": "lithography", "qualified": "1"})
    assert 'class="result-name"' not in qualified.text


async def test_calendar_shows_free_busy_and_mine_and_navigates(client, people):
    person = await engineer_client(client, people)
    resource_id = await make_resource()
    day = local_day(3)
    await service.create_booking(person.principal, resource_id=resource_id,
                                 start=at(day, 10), end=at(day, 11))
    page = await client.get(f"/resources/{resource_id}", params={"day": day.date().isoformat()})
    assert page.status_code == 200
    assert 's-mine' in page.text and 'class="slot-btn"' in page.text
    start_attr = f'data-start="{at(day, 11).isoformat()}"'
    assert start_attr in page.text
    assert f'data-start="{at(day, 10).isoformat()}"' not in page.text  # taken: not a button
    nxt = (day.date() + timedelta(days=7)).isoformat()
    fragment = await client.get(f"/resources/{resource_id}/calendar",
                                params={"day": nxt, "view": "day"}, headers=HTMX)
    assert fragment.text.lstrip().startswith('<section id="calendar"')
    assert fragment.text.count('scope="col"') == 2  # the time column and one day


async def test_booking_form_estimates_and_books(client, people):
    await engineer_client(client, people)
    resource_id = await make_resource()
    day = local_day(3)
    form = await client.get(f"/resources/{resource_id}/book",
                            params={"start": at(day, 9).isoformat(), "end": at(day, 10, 30).isoformat()},
                            headers={**HTMX, "Accept-Language": "en"})
    assert form.status_code == 200
    assert 'name="_csrf_token"' in form.text
    assert 'value="' + at(day, 9).strftime("%Y-%m-%dT%H:%M") in form.text
    assert "¥180.00" in form.text  # 1.5 h × ¥120.00 for the park tier
    estimate = await client.get(f"/resources/{resource_id}/estimate",
                                params={"start": at(day, 9).strftime("%Y-%m-%dT%H:%M"),
                                        "end": at(day, 11).strftime("%Y-%m-%dT%H:%M")},
                                headers={**HTMX, "Accept-Language": "en"})
    assert "¥240.00" in estimate.text
    done = await book(client, resource_id, at(day, 9), at(day, 10, 30))
    assert done.status_code == 200 and 'id="booking-done"' in done.text
    assert done.headers["hx-trigger"] == "booking-created"
    [row] = await service.Booking.select()
    assert row["start_at"] == at(day, 9) and row["status"] == "confirmed"
    mine = await client.get("/my/bookings")
    assert f'id="booking-{row["id"]}"' in mine.text
    assert f'/api/bookings/{row["id"]}/invite.ics' in mine.text


async def test_rule_violations_re_render_the_form_in_place_in_the_users_language(client, people):
    await engineer_client(client, people, locale="zh_CN")
    resource_id = await make_resource(max_duration_minutes=120)
    day = local_day(3)
    response = await book(client, resource_id, at(day, 9), at(day, 13))
    assert response.status_code == 422
    assert 'id="booking-form"' in response.text and 'role="alert"' in response.text
    assert "预约时长最多 120 分钟。" in response.text
    closed = await make_resource(hours=[(d, at(day, 9).time(), at(day, 17).time()) for d in range(7)])
    response = await book(client, closed, at(day, 18), at(day, 19))
    assert response.status_code == 422 and "该时段不在开放时间内。" in response.text
    plain = await book(client, resource_id, at(day, 9), at(day, 13), htmx=False)
    assert plain.status_code == 422 and "<html" in plain.text and "预约时长最多" in plain.text
    assert await service.Booking.count() == 0


async def test_plain_form_post_redirects_to_my_bookings(client, people):
    await engineer_client(client, people)
    resource_id = await make_resource()
    day = local_day(4)
    response = await book(client, resource_id, at(day, 9), at(day, 10), htmx=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/my/bookings?created=")


async def test_cancel_shows_terms_first_then_cancels(client, people):
    person = await engineer_client(client, people)
    resource_id = await make_resource(cancel_cutoff_hours=24 * 30)
    day = local_day(3)
    row, _ = await service.create_booking(person.principal, resource_id=resource_id,
                                          start=at(day, 10), end=at(day, 12))
    from platforms.tables import Resource

    await Resource.update({Resource.late_cancel_percent: 50}).where(Resource.id == resource_id)
    from booking.reservations import policies

    policies.forget(resource_id)
    panel = await client.get(f"/my/bookings/{row['id']}/cancel",
                             headers={**HTMX, "Accept-Language": "en"})
    assert "The free cancellation period ended" in panel.text
    assert "¥120.00" in panel.text  # 50 % of 2 h × ¥120.00
    done = await post_form(client, f"/my/bookings/{row['id']}/cancel", {"reason": "plans changed"},
                           htmx=True)
    assert done.status_code == 200 and 'data-status="cancelled"' in done.text
    assert (await queries.fetch(row["id"]))["late_cancel"] is True


async def test_reschedule_and_check_in_errors_in_place(client, people):
    person = await engineer_client(client, people, locale="en")
    resource_id = await make_resource()
    day = local_day(3)
    row, _ = await service.create_booking(person.principal, resource_id=resource_id,
                                          start=at(day, 10), end=at(day, 11))
    form = await client.get(f"/my/bookings/{row['id']}/move", headers=HTMX)
    assert 'data-testid="move-panel"' in form.text
    moved = await post_form(client, f"/my/bookings/{row['id']}/move",
                            {"start": at(day, 14).strftime("%Y-%m-%dT%H:%M"),
                             "end": at(day, 15).strftime("%Y-%m-%dT%H:%M")}, htmx=True)
    assert moved.status_code == 200 and "The booking is moved." in moved.text
    assert (await queries.fetch(row["id"]))["start_at"] == at(day, 14)
    bad = await post_form(client, f"/my/bookings/{row['id']}/move",
                          {"start": at(day, 14).strftime("%Y-%m-%dT%H:%M"),
                           "end": at(day, 14).strftime("%Y-%m-%dT%H:%M")}, htmx=True)
    assert bad.status_code == 422 and "The end must be after the start." in bad.text
    early = await post_form(client, f"/my/bookings/{row['id']}/check-in", htmx=True)
    assert early.status_code == 422 and "Check-in opens 15 minutes before" in early.text


async def test_account_preferences_and_tokens(client, people):
    person = await engineer_client(client, people)
    page = await client.get("/account")
    assert 'for="pref-locale"' in page.text and 'for="pref-timezone"' in page.text
    saved = await post_form(client, "/account/preferences",
                            {"locale": "en", "timezone": "Europe/Berlin"})
    assert saved.status_code == 303
    assert "Preferences" in (await client.get("/account")).text
    bad = await post_form(client, "/account/preferences", {"locale": "en", "timezone": "Mars/Base"})
    assert bad.status_code == 422 and "Unknown time zone." in bad.text
    made = await post_form(client, "/account/tokens", {"name": "lab script"}, htmx=True)
    secret = re.search(r'id="new-token" type="text" readonly value="(pbk_[^"]+)"', made.text).group(1)
    api = await client.get("/api/bookings", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    token_id = re.search(r'/account/tokens/(\d+)/revoke', made.text).group(1)
    revoked = await post_form(client, f"/account/tokens/{token_id}/revoke", htmx=True)
    assert "Revoked" in revoked.text
    from booking.accounts import service as accounts

    accounts._token_cache.clear()
    refused = await client.get("/api/bookings", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    assert person.id


async def test_feed_subscription_link_rotate_and_revoke(client, people):
    await engineer_client(client, people, locale="en")
    made = await post_form(client, "/my/feed", htmx=True)
    url = re.search(r'data-testid="feed-url"', made.text) and re.search(
        r'value="(http[^"]+/feeds/[^"]+\.ics)"', made.text).group(1)
    assert "/feeds/u_" in url
    feed_id = re.search(r"/my/feed/(\d+)/rotate", made.text).group(1)
    rotated = await post_form(client, f"/my/feed/{feed_id}/rotate", htmx=True)
    new_url = re.search(r'value="(http[^"]+\.ics)"', rotated.text).group(1)
    assert new_url != url
    new_id = re.search(r"/my/feed/(\d+)/revoke", rotated.text).group(1)
    gone = await post_form(client, f"/my/feed/{new_id}/revoke", htmx=True)
    assert 'data-testid="feed-create"' in gone.text


async def test_enterprise_admin_sees_people_and_their_bookings(client, people):
    engineer = await people.engineer("acme")
    other = await people.engineer("globex")
    resource_id = await make_resource()
    day = local_day(3)
    await service.create_booking(engineer.principal, resource_id=resource_id,
                                 start=at(day, 9), end=at(day, 10))
    await service.create_booking(other.principal, resource_id=resource_id,
                                 start=at(day, 11), end=at(day, 12))
    admin = await people.enterprise_admin("acme")
    await login(client, admin.email)
    page = await client.get("/enterprise", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert engineer.email in page.text and admin.email in page.text and other.email not in page.text
    assert page.text.count('data-testid="booking"') == 1
    assert 'id="nav-enterprise"' in page.text
    await login(client, engineer.email)
    assert (await client.get("/enterprise")).status_code == 403


async def test_first_free_slot_search(client, people):
    await engineer_client(client, people)
    page = await client.get("/find", params={"category": "lithography", "duration": "PT1H"},
                            headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert page.text.count('data-testid="free-slot"') >= 1
    assert "/book?start=" in page.text
    bad = await client.get("/find", params={"category": "lithography", "duration": "soon"},
                           headers={**HTMX, "Accept-Language": "en"})
    assert bad.status_code == 422 and "ISO 8601" in bad.text


async def test_pages_need_login(client):
    response = await client.get("/my/bookings", follow_redirects=False)
    assert response.status_code in (302, 303) and "/login" in response.headers["location"]
