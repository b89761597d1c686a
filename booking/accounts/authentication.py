"""Who is asking, and in which language: resolved once per request.

A bearer token (``Authorization: Bearer pbk_…``) authenticates API calls; the
session cookie authenticates pages, and API reads from the same browser. Unsafe
API methods ignore the cookie, so the JSON API needs no CSRF token and a page
cannot be tricked into writing through it.

Who may reach a route is not decided here: each route declares its capability
(``booking.accounts.permissions.needs``) and the app-wide ``capability_guard`` checks it.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from booking.accounts.principal import Principal
from booking.accounts.service import load_principal, principal_for_token
from booking.http.locale import LOCALE_COOKIE
from i18n import negotiate
from i18n.translations import set_locale

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class AuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        principal: Principal | None = None
        header = connection.headers.get("authorization", "")
        if header[:7].lower() == "bearer ":
            principal = await principal_for_token(header[7:].strip())
        elif (connection.scope.get("method", "GET") in SAFE_METHODS
              or not connection.url.path.startswith("/api/")):
            session = connection.scope.get("session") or {}
            account_id = session.get("account_id") if isinstance(session, dict) else None
            if account_id:
                principal = await load_principal(int(account_id))
        locale = negotiate(
            principal.locale if principal else None,
            connection.cookies.get(LOCALE_COOKIE),
            connection.headers.get("accept-language"),
        )
        set_locale(locale)
        connection.scope.setdefault("state", {})["locale"] = locale
        return AuthenticationResult(user=principal, auth=None)
