"""The enterprise admin's people page: invite members, change their role, deactivate them."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import Parameter
from litestar.response import Response, Template

from booking.accounts import enterprise_queries as queries
from booking.accounts import members
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import Principal, principal_of
from booking.accounts.roles import MemberRole
from booking.errors import DomainError, Forbidden
from booking.http.bounds import MAX_ID
from booking.http.pages import error_text, form_data, see_other
from i18n import SUPPORTED_LOCALES

AccountId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))
_FIELD_LIMIT = 300


def _own_enterprise(principal: Principal) -> int:
    if principal.enterprise_id is None:
        raise Forbidden("not_a_member", "Only members of an enterprise can see this page.")
    return principal.enterprise_id


async def _page(request: Request, *, status_code: int = 200, error: str = "",
                notice: str = "", invite: dict[str, str] | None = None) -> Template:
    principal = principal_of(request)
    enterprise_id = _own_enterprise(principal)
    people = [{**m, "role_label": MemberRole(m["role"]).label}
              for m in await queries.members(principal, enterprise_id)]
    context: dict[str, Any] = {
        "enterprise": await queries.enterprise_detail(principal, enterprise_id),
        "people": people, "error": error, "notice": notice, "me_id": principal.id,
        "roles": [(r.value, r.label) for r in MemberRole], "languages": LANGUAGES,
        "invite": invite or {"email": "", "name": "", "role": MemberRole.ENGINEER.value,
                             "locale": ""},
    }
    return Template("web/people.html", context=context, status_code=status_code)


class PeoplePages(Controller):
    path = "/enterprise/people"
    include_in_schema = False
    opt = needs(Can.MANAGE_MEMBERS)

    @get("/")
    async def people(self, request: Request,
                     done: Annotated[str, Parameter(max_length=16)] = "") -> Template:
        notices = {"invited": "invited", "role": "role", "deactivated": "deactivated"}
        return await _page(request, notice=notices.get(done, ""))

    @post("/invite")
    async def invite(self, request: Request) -> Response:
        principal = principal_of(request)
        data = {k: v[:_FIELD_LIMIT] for k, v in (await form_data(request)).items()}
        invite = {"email": data.get("email", ""), "name": data.get("name", ""),
                  "role": data.get("role", ""), "locale": data.get("locale", "")}
        try:
            role = _role(invite["role"])
            await members.invite(principal, _own_enterprise(principal), email=invite["email"],
                                 name=invite["name"], role=role,
                                 locale=invite["locale"] if invite["locale"] in SUPPORTED_LOCALES
                                 else None)
        except DomainError as exc:
            return await _page(request, status_code=exc.status_code, error=error_text(exc),
                               invite=invite)
        return see_other("/enterprise/people?done=invited")

    @post("/{account_id:int}/role")
    async def change_role(self, request: Request, account_id: AccountId) -> Response:
        principal = principal_of(request)
        data = await form_data(request)
        try:
            await members.change_role(principal, _own_enterprise(principal), account_id,
                                      _role(data.get("role", "")))
        except DomainError as exc:
            return await _page(request, status_code=exc.status_code, error=error_text(exc))
        return see_other("/enterprise/people?done=role")

    @post("/{account_id:int}/deactivate")
    async def deactivate(self, request: Request, account_id: AccountId) -> Response:
        principal = principal_of(request)
        try:
            await members.deactivate(principal, _own_enterprise(principal), account_id)
        except DomainError as exc:
            return await _page(request, status_code=exc.status_code, error=error_text(exc))
        return see_other("/enterprise/people?done=deactivated")


def _role(value: str) -> MemberRole:
    try:
        return MemberRole(value)
    except ValueError:
        raise DomainError("invalid_role", "Unknown role.", status=422) from None
