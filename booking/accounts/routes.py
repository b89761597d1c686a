"""Log in and out (pages), API tokens, preferences, and the language switch."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.response import Redirect, Response, Template

from booking.accounts import service
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.errors import DomainError, Unauthorized
from booking.http.bounds import Id
from booking.http.locale import remember_locale
from booking.http.pages import safe_next
from i18n import SUPPORTED_LOCALES, gettext


class TokenRequest(msgspec.Struct):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=200)]
    name: Annotated[str, msgspec.Meta(max_length=100)] = ""


class TokenIssued(msgspec.Struct):
    token: str
    id: int
    prefix: str


class TokenOut(msgspec.Struct):
    id: int
    name: str
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


class LoginForm(msgspec.Struct):
    email: str = ""
    password: str = ""
    next: str = "/"


def _token_out(view: dict) -> TokenOut:
    def iso(v):
        return v.isoformat() if v else None

    return TokenOut(id=view["id"], name=view["name"], prefix=view["prefix"],
                    created_at=iso(view["created_at"]), last_used_at=iso(view["last_used_at"]),
                    revoked_at=iso(view["revoked_at"]))


LOGIN_PATHS = {"/login", "/api/auth/token"}


class AuthApi(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/token", status_code=201, opt=needs(Can.PUBLIC))
    async def issue(self, data: TokenRequest) -> TokenIssued:
        principal = await service.authenticate(data.email, data.password)
        secret, view = await service.issue_token(principal.id, data.name or "api")
        return TokenIssued(token=secret, id=view["id"], prefix=view["prefix"])

    @get("/tokens", opt=needs(Can.SIGNED_IN))
    async def tokens(self, request: Request) -> list[TokenOut]:
        return [_token_out(v) for v in await service.list_tokens(principal_of(request).id)]

    @post("/tokens/{token_id:int}/revoke", status_code=200, opt=needs(Can.SIGNED_IN))
    async def revoke(self, request: Request, token_id: Id) -> TokenOut:
        return _token_out(await service.revoke_token(principal_of(request).id, token_id))

    @delete("/tokens/{token_id:int}", status_code=200, opt=needs(Can.SIGNED_IN))
    async def delete_token(self, request: Request, token_id: Id) -> TokenOut:
        return _token_out(await service.revoke_token(principal_of(request).id, token_id))


class SessionPages(Controller):
    include_in_schema = False
    opt = needs(Can.PUBLIC)

    @get("/login")
    async def login_form(self, request: Request, next: str = "/") -> Template:
        return Template("accounts/login.html", context={"next": safe_next(next), "error": None})

    @post("/login")
    async def login(
        self, request: Request,
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response:
        try:
            principal = await service.authenticate(data.email, data.password)
        except Unauthorized as exc:
            return Template(
                "accounts/login.html",
                context={"next": safe_next(data.next), "email": data.email,
                         "error": gettext(exc.message)},
                status_code=401,
            )
        request.clear_session()
        request.set_session({"account_id": principal.id})
        response = Redirect(path=safe_next(data.next))
        if principal.locale:
            remember_locale(response, principal.locale)
        return response

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        request.clear_session()
        return Redirect(path="/")

    @get("/lang/{code:str}")
    async def switch_language(
        self, request: Request, code: str,
        next: Annotated[str, Parameter(max_length=500)] = "/",
    ) -> Redirect:
        if code not in SUPPORTED_LOCALES:
            raise DomainError("unsupported_locale", "This language is not available.", status=404)
        principal = request.scope.get("user")
        if principal is not None:
            await service.update_preferences(principal.id, locale=code,
                                             timezone=principal.timezone)
        return remember_locale(Redirect(path=safe_next(next)), code)
