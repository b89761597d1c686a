"""Logging a test client in through the login page, and posting forms with the CSRF token.

Pages use the session cookie; every unsafe request carries Litestar's CSRF token,
either as the ``_csrf_token`` form field (plain forms) or the ``x-csrftoken``
header (htmx). The token is the value of the ``csrftoken`` cookie that any GET sets.
"""

from __future__ import annotations

import re
from typing import Any

from tests.support.people import PASSWORD

_TOKEN_FIELD = re.compile(r'name="_csrf_token"\s+value="([^"]+)"')


async def csrf_token(client: Any) -> str:
    token = client.cookies.get("csrftoken")
    if not token:
        await client.get("/login")
        token = client.cookies.get("csrftoken")
    assert token, "no csrftoken cookie after a GET"
    return token


async def login(client: Any, email: str, password: str = PASSWORD) -> None:
    page = await client.get("/login")
    assert page.status_code == 200
    match = _TOKEN_FIELD.search(page.text)
    token = match.group(1) if match else await csrf_token(client)
    response = await client.post("/login", data={"email": email, "password": password,
                                                 "_csrf_token": token, "next": "/"})
    assert response.status_code in (302, 303), response.text[:500]
    assert client.cookies.get("session"), "no session cookie after logging in"


async def post_form(client: Any, url: str, data: dict[str, Any] | None = None, *,
                    htmx: bool = False, files: dict[str, Any] | None = None) -> Any:
    """POST a page form as a browser would: the CSRF field, and htmx's headers if asked."""
    token = await csrf_token(client)
    headers = {"HX-Request": "true"} if htmx else {}
    body = {**(data or {}), "_csrf_token": token}
    if files:
        return await client.post(url, data=body, files=files, headers=headers)
    return await client.post(url, data=body, headers=headers)


def htmx_headers(target: str | None = None) -> dict[str, str]:
    headers = {"HX-Request": "true"}
    if target:
        headers["HX-Target"] = target
    return headers
