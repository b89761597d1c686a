"""Accounts: credit codes, passwords, API tokens, session login, login rate limit."""

from __future__ import annotations

import re

import pytest

from booking.accounts import rules
from booking.accounts import service as accounts
from booking.errors import DomainError
from tests.support.people import PASSWORD


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_real_unified_social_credit_codes_validate(code):
    assert rules.is_valid_uscc(code)


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "9135O100M000100Y43",
                                  ""])
def test_wrong_check_character_length_or_alphabet_is_refused(code):
    assert not rules.is_valid_uscc(code)


async def test_enterprise_with_bad_credit_code_is_refused_and_not_written():
    from booking.accounts.tables import Enterprise

    with pytest.raises(DomainError) as caught:
        await accounts.create_enterprise(name_zh="坏", name_en="Bad", uscc="91350100M000100Y44",
                                         tier="park")
    assert caught.value.code == "invalid_uscc"
    assert await Enterprise.count() == 0


async def test_token_is_issued_for_right_password_and_refused_for_wrong(client, people):
    engineer = await people.engineer()
    ok = await client.post("/api/auth/token", json={"email": engineer.email, "password": PASSWORD})
    assert ok.status_code == 201
    token = ok.json()["token"]
    assert token.startswith("pbk_") and len(token) > 40
    me = await client.get("/api/bookings", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    wrong = await client.post("/api/auth/token", json={"email": engineer.email, "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "invalid_credentials"
    unknown = await client.post("/api/auth/token",
                                json={"email": "ghost@example.test", "password": "whatever"})
    assert unknown.status_code == 401


async def test_tokens_are_stored_hashed_listed_and_revoked_by_their_owner(client, people):
    from booking.accounts.tables import ApiToken

    engineer, other = await people.engineer(), await people.engineer("globex")
    stored = await ApiToken.select(ApiToken.token_hash).where(ApiToken.account == engineer.id)
    assert engineer.token not in {row["token_hash"] for row in stored}
    listed = (await client.get("/api/auth/tokens", headers=engineer.headers)).json()
    assert len(listed) == 1 and listed[0]["prefix"] == engineer.token[:10]
    token_id = listed[0]["id"]
    assert (await client.post(f"/api/auth/tokens/{token_id}/revoke",
                              headers=other.headers)).status_code == 404
    revoked = await client.post(f"/api/auth/tokens/{token_id}/revoke", headers=engineer.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    after = await client.get("/api/bookings", headers=engineer.headers)
    assert after.status_code == 401


async def test_repeated_login_failures_are_rate_limited(client, people):
    engineer = await people.engineer()
    statuses = []
    for _ in range(12):
        response = await client.post("/api/auth/token",
                                     json={"email": engineer.email, "password": "wrong"})
        statuses.append(response.status_code)
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    limited = await client.post("/api/auth/token", json={"email": engineer.email, "password": "wrong"})
    assert limited.json()["code"] == "rate_limited"


async def _csrf(client, path: str = "/login") -> str:
    page = await client.get(path)
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert match, "login form carries a CSRF token"
    return match.group(1)


async def test_session_login_and_logout_through_the_pages(client, people):
    engineer = await people.engineer()
    token = await _csrf(client)
    wrong = await client.post("/login", data={"email": engineer.email, "password": "bad",
                                              "_csrf_token": token})
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text
    ok = await client.post("/login", data={"email": engineer.email, "password": PASSWORD,
                                           "_csrf_token": token, "next": "/"})
    assert ok.status_code in (302, 303)
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    home = await client.get("/")
    assert engineer.email.split("@")[0] in home.text
    await client.post("/logout", data={"_csrf_token": token})
    assert engineer.email.split("@")[0] not in (await client.get("/")).text


async def test_forms_without_csrf_token_are_refused(client, people):
    engineer = await people.engineer()
    response = await client.post("/login", data={"email": engineer.email, "password": PASSWORD})
    assert response.status_code == 403


async def test_login_redirect_stays_on_this_site(client, people):
    engineer = await people.engineer()
    token = await _csrf(client)
    response = await client.post("/login", data={"email": engineer.email, "password": PASSWORD,
                                                 "_csrf_token": token,
                                                 "next": "https://evil.example/"})
    assert response.headers["location"] == "/"


async def test_cookies_from_the_browser_do_not_authorise_api_writes(client, people):
    engineer = await people.engineer()
    token = await _csrf(client)
    await client.post("/login", data={"email": engineer.email, "password": PASSWORD,
                                      "_csrf_token": token})
    assert (await client.get("/api/bookings")).status_code == 200
    write = await client.post("/api/bookings", json={"resource_id": 1, "start": "2030-01-01T09:00",
                                                     "end": "2030-01-01T10:00"})
    assert write.status_code == 401
