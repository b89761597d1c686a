"""Account: language and time-zone preference, API tokens (create, list, revoke)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Response, Template

from booking.accounts import service as accounts
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import Principal, principal_of
from booking.errors import DomainError
from booking.http.bounds import Id
from booking.http.locale import remember_locale
from booking.http.pages import error_text, form_data, is_htmx
from calendars.zones import DEFAULT_ZONE_NAME, zone_named
from i18n import SUPPORTED_LOCALES
from i18n.translations import N_

# The zones people of the park travel from most; the current setting is always offered too.
COMMON_ZONES = tuple(dict.fromkeys((
    DEFAULT_ZONE_NAME, "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo",
    "Asia/Seoul", "Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Berlin",
    "Europe/Paris", "America/New_York", "America/Chicago", "America/Los_Angeles",
    "Australia/Sydney", "UTC",
)))
LANGUAGES = (("", N_("Browser language")), ("zh_CN", "简体中文"), ("en", "English"))


def zones_for(current: str) -> list[str]:
    return list(COMMON_ZONES) if current in COMMON_ZONES else [current, *COMMON_ZONES]


async def _tokens_context(principal: Principal, secret: str | None = None,
                          error: str = "") -> dict[str, Any]:
    tokens = await accounts.list_tokens(principal.id)
    return {"tokens": tokens, "secret": secret, "token_error": error,
            "zone": zone_named(principal.timezone)}


async def account_page(request: HTMXRequest, *, status_code: int = 200, saved: bool = False,
                       error: str = "", secret: str | None = None) -> Template:
    principal = principal_of(request)
    context = {
        "principal": principal, "languages": LANGUAGES, "zones": zones_for(principal.timezone),
        "saved": saved, "error": error, **await _tokens_context(principal, secret),
    }
    return Template("web/account.html", context=context, status_code=status_code)


class AccountPages(Controller):
    path = "/account"
    include_in_schema = False
    opt = needs(Can.SIGNED_IN)

    @get("/")
    async def account(self, request: HTMXRequest, saved: bool = False) -> Template:
        return await account_page(request, saved=saved)

    @post("/preferences")
    async def preferences(self, request: HTMXRequest) -> Response:
        principal = principal_of(request)
        data = await form_data(request)
        locale = data.get("locale") or None
        if locale is not None and locale not in SUPPORTED_LOCALES:
            locale = None
        try:
            await accounts.update_preferences(principal.id, locale=locale,
                                              timezone=data.get("timezone", ""))
        except DomainError as exc:
            return await account_page(request, status_code=422, error=error_text(exc))
        return remember_locale(Redirect(path="/account?saved=true", status_code=303), locale)

    @post("/tokens")
    async def create_token(self, request: HTMXRequest) -> Response:
        principal = principal_of(request)
        data = await form_data(request)
        secret, _ = await accounts.issue_token(principal.id, data.get("name", "") or "api")
        return await self._tokens(request, principal, secret)

    @post("/tokens/{token_id:int}/revoke")
    async def revoke_token(self, request: HTMXRequest, token_id: Id) -> Response:
        principal = principal_of(request)
        # Only one's own tokens: another's is hidden (the 404 page), as on the API.
        await accounts.revoke_token(principal.id, token_id)
        return await self._tokens(request, principal, None)

    async def _tokens(self, request: HTMXRequest, principal: Principal, secret: str | None,
                      error: str = "") -> Response:
        if not is_htmx(request):
            # The secret is shown once: render it on the page rather than redirect.
            return await account_page(request, secret=secret, error=error)
        return Template("web/_tokens.html",
                        context=await _tokens_context(principal, secret, error))
