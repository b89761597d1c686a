"""Members through the API: invitation by e-mail, the link, roles, deactivation, isolation."""

from __future__ import annotations

import email
import re
from datetime import timedelta
from email.policy import default

from booking import clock
from booking.invites.tables import OutboxMessage
from booking.reservations.tables import Booking
from tests.support.resources import at, iso, local_day, make_resource
from tests.support.web_session import csrf_token

LINK = re.compile(r"http://127\.0\.0\.1:8000(/invitations/pbi_[A-Za-z0-9_-]+)")


async def invite(client, admin, enterprise_id, **body):
    data = {"email": "new.member@example.test", "name": "新成员 New Member", "role": "engineer"}
    data.update(body)
    return await client.post(f"/api/enterprises/{enterprise_id}/members", json=data,
                             headers=admin.headers)


async def invitation_mail(address: str) -> tuple[email.message.EmailMessage, str]:
    rows = await OutboxMessage.select().where(OutboxMessage.recipient == address)
    assert len(rows) == 1, rows
    message = email.message_from_string(rows[0]["mime"], policy=default)
    text = message.get_body(("plain",)).get_content()
    match = LINK.search(text)
    assert match, text
    assert rows[0]["kind"] == "mail:invitation" and rows[0]["status"] == "pending"
    assert rows[0]["booking"] is None
    return message, match.group(1)


async def set_password(client, path, password, confirm=None):
    token = await csrf_token(client)
    return await client.post(path, data={"password": password, "password_confirm":
                                         password if confirm is None else confirm,
                                         "_csrf_token": token})


async def test_invitation_end_to_end(client, people):
    admin = await people.enterprise_admin("a")
    response = await invite(client, admin, admin.enterprise_id, email=" New.Member@Example.TEST ",
                            locale="en")
    assert response.status_code == 201, response.text
    member = response.json()
    assert member["email"] == "new.member@example.test" and member["role"] == "engineer"
    assert member["invited"] is True and member["active"] is True
    message, path = await invitation_mail("new.member@example.test")
    assert "invited" in str(message["Subject"])
    assert message["To"].addresses[0].addr_spec == "new.member@example.test"
    secret = path.rsplit("/", 1)[1]
    from booking.accounts.tables import Invitation

    stored = await Invitation.select(Invitation.token_hash).first()
    assert secret not in stored["token_hash"] and len(stored["token_hash"]) == 64
    # No password works before the link is used.
    refused = await client.post("/api/auth/token", json={"email": "new.member@example.test",
                                                         "password": "!invited"})
    assert refused.status_code == 401
    page = await client.get(path)
    assert page.status_code == 200 and 'id="invitation-form"' in page.text
    short = await set_password(client, path, "short")
    assert short.status_code == 422 and 'id="invitation-error"' in short.text
    differ = await set_password(client, path, "a-long-password-1", "a-long-password-2")
    assert differ.status_code == 422
    done = await set_password(client, path, "a-long-password-1")
    assert done.status_code == 303 and done.headers["location"] == "/"
    me = await client.get("/api/me")
    assert me.status_code == 200 and me.json()["email"] == "new.member@example.test"
    assert me.json()["locale"] == "en"
    again = await client.get(path)
    assert again.status_code == 410 and "already been used" in again.text
    reused = await set_password(client, path, "another-password-9")
    assert reused.status_code == 410
    token = await client.post("/api/auth/token", json={"email": "new.member@example.test",
                                                       "password": "a-long-password-1"})
    assert token.status_code == 201
    listed = await client.get(f"/api/enterprises/{admin.enterprise_id}/members",
                              headers=admin.headers)
    row = next(m for m in listed.json() if m["id"] == member["id"])
    assert row["invited"] is False
    unknown = await client.get("/invitations/pbi_nothing-like-this")
    assert unknown.status_code == 404


async def test_expired_link_is_refused(client, people):
    admin = await people.enterprise_admin("a")
    response = await invite(client, admin, admin.enterprise_id)
    assert response.status_code == 201
    _, path = await invitation_mail("new.member@example.test")
    with clock.frozen_at(clock.now() + timedelta(days=8)):
        page = await client.get(path, headers={"Accept-Language": "en"})
        assert page.status_code == 410 and "has expired" in page.text
        refused = await set_password(client, path, "a-long-password-1")
        assert refused.status_code == 410
    assert (await client.get("/api/me")).status_code == 401


async def test_admin_invites_an_admin_and_the_page_speaks_their_language(client, people):
    admin = await people.park_admin()
    enterprise_id = await people.enterprise("c")
    response = await invite(client, admin, enterprise_id, role="admin", locale="zh_CN",
                            email="zhang@example.test")
    assert response.status_code == 201 and response.json()["role"] == "admin"
    message, _ = await invitation_mail("zhang@example.test")
    assert "邀请" in str(message["Subject"])


async def test_invite_refusals(client, people):
    admin = await people.enterprise_admin("a")
    existing = await people.engineer("a")
    response = await invite(client, admin, admin.enterprise_id, email=existing.email)
    assert response.status_code == 409 and response.json()["code"] == "account_exists"
    response = await invite(client, admin, admin.enterprise_id, email="not-an-address")
    assert response.status_code == 422 and response.json()["code"] == "invalid_email"
    for wrong in ({"role": "operator"}, {"role": "park_admin"}, {"email": "x" * 255},
                  {"name": "n" * 101}, {"locale": "fr"}, {"extra": True}):
        response = await invite(client, admin, admin.enterprise_id, **wrong)
        assert response.status_code == 400, wrong
    assert await OutboxMessage.count() == 0


async def test_other_enterprises_and_engineers_get_nothing(client, people):
    admin_a = await people.enterprise_admin("a")
    engineer_a = await people.engineer("a")
    admin_b = await people.enterprise_admin("b")
    operator = await people.operator("ic")
    a = admin_a.enterprise_id
    for person in (admin_b, engineer_a, operator):
        response = await invite(client, person, a, email="sneaky@example.test")
        assert response.status_code == 403, person.email
        assert response.json()["code"] == "forbidden"
        listed = await client.get(f"/api/enterprises/{a}/members", headers=person.headers)
        assert listed.status_code == 403 and engineer_a.email not in listed.text
        changed = await client.patch(f"/api/enterprises/{a}/members/{engineer_a.id}",
                                     json={"role": "admin"}, headers=person.headers)
        assert changed.status_code == 403
        gone = await client.post(f"/api/enterprises/{a}/members/{engineer_a.id}/deactivate",
                                 headers=person.headers)
        assert gone.status_code == 403
    # An admin naming their own enterprise but another's member: hidden.
    engineer_b = await people.engineer("b")
    response = await client.post(f"/api/enterprises/{admin_b.enterprise_id}/members/"
                                 f"{engineer_a.id}/deactivate", headers=admin_b.headers)
    assert response.status_code == 404 and response.json()["code"] == "member_not_found"
    response = await client.patch(f"/api/enterprises/{admin_b.enterprise_id}/members/{2**40}",
                                  json={"role": "admin"}, headers=admin_b.headers)
    assert response.status_code == 404
    response = await client.get(f"/api/enterprises/{2**63}/members", headers=admin_b.headers)
    assert response.status_code == 400
    assert (await client.get(f"/api/enterprises/{a}/members")).status_code == 401
    listed = await client.get(f"/api/enterprises/{admin_b.enterprise_id}/members",
                              headers=admin_b.headers)
    assert {m["id"] for m in listed.json()} == {admin_b.id, engineer_b.id}
    assert listed.json()[0]["role"] == "admin"  # admins first


async def test_roles_change_but_the_last_admin_stays(client, people):
    admin = await people.enterprise_admin("a")
    engineer = await people.engineer("a")
    url = f"/api/enterprises/{admin.enterprise_id}/members"
    response = await client.patch(f"{url}/{admin.id}", json={"role": "engineer"},
                                  headers=admin.headers)
    assert response.status_code == 409 and response.json()["code"] == "last_admin"
    response = await client.post(f"{url}/{admin.id}/deactivate", headers=admin.headers)
    assert response.status_code == 409 and response.json()["code"] == "last_admin"
    response = await client.patch(f"{url}/{engineer.id}", json={"role": "admin"},
                                  headers=admin.headers)
    assert response.status_code == 200 and response.json()["role"] == "admin"
    # The promoted engineer's token now carries the admin role at once.
    listed = await client.get(url, headers=engineer.headers)
    assert listed.status_code == 200
    response = await client.patch(f"{url}/{admin.id}", json={"role": "engineer"},
                                  headers=engineer.headers)
    assert response.status_code == 200 and response.json()["role"] == "engineer"
    assert (await client.get(url, headers=admin.headers)).status_code == 403
    response = await client.patch(f"{url}/{engineer.id}", json={"role": "chief"},
                                  headers=engineer.headers)
    assert response.status_code == 400


async def test_deactivation_stops_login_tokens_and_sessions_but_keeps_bookings(client, people):
    admin = await people.enterprise_admin("a")
    engineer = await people.engineer("a")
    resource = await make_resource()
    day = local_day(3)
    booked = await client.post("/api/bookings", headers=engineer.headers, json={
        "resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))})
    assert booked.status_code == 201
    # The token is in this process's cache after this call.
    assert (await client.get("/api/me", headers=engineer.headers)).status_code == 200
    from tests.support.web_session import login

    await login(client, engineer.email)
    assert (await client.get("/account")).status_code == 200
    response = await client.post(
        f"/api/enterprises/{admin.enterprise_id}/members/{engineer.id}/deactivate",
        headers=admin.headers)
    assert response.status_code == 200 and response.json()["active"] is False
    response = await client.get("/api/me", headers=engineer.headers)
    assert response.status_code == 401
    page = await client.get("/account")
    assert page.status_code in (302, 303) and page.headers["location"].startswith("/login")
    refused = await client.post("/api/auth/token", json={"email": engineer.email,
                                                         "password": "correct-horse-battery"})
    assert refused.status_code == 401
    assert await Booking.count().where(Booking.account == engineer.id) == 1
    again = await client.post(
        f"/api/enterprises/{admin.enterprise_id}/members/{engineer.id}/deactivate",
        headers=admin.headers)
    assert again.status_code == 200


async def test_park_admin_manages_any_enterprise(client, people):
    park = await people.park_admin()
    engineer = await people.engineer("a")
    url = f"/api/enterprises/{engineer.enterprise_id}/members"
    assert (await client.get(url, headers=park.headers)).status_code == 200
    response = await client.post(f"{url}/{engineer.id}/deactivate", headers=park.headers)
    assert response.status_code == 200
    response = await client.get("/api/enterprises/999999/members", headers=park.headers)
    assert response.status_code == 404
