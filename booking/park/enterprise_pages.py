"""The enterprise register: search, register and edit enterprises (the park admin)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import Parameter
from litestar.response import Response, Template

from booking.accounts import enterprise_queries as queries
from booking.accounts import enterprises
from booking.accounts.categories import EnterpriseCategory
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.accounts.roles import MemberRole
from booking.errors import DomainError
from booking.http.bounds import MAX_ID
from booking.http.pages import error_text, see_other
from platforms.choices import Tier

PAGE = 25
MAX_OFFSET = 10_000
# Longest value kept from each posted field; the writer applies the real limits.
_FIELD_LIMIT = 300
_TEXT_FIELDS = ("name_zh", "name_en", "uscc", "tier", "controller_uscc", "contact_name",
                "contact_email", "contact_phone")
EnterpriseId = Annotated[int, Parameter(ge=1, le=MAX_ID)]


def _choices() -> dict[str, Any]:
    return {"tiers": [(t.value, t.label) for t in Tier],
            "category_choices": [(c.value, c.label) for c in EnterpriseCategory]}


async def _posted(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {f: str(form.get(f, ""))[:_FIELD_LIMIT] for f in _TEXT_FIELDS}
    known = {c.value for c in EnterpriseCategory}
    values["categories"] = tuple(c for c in form.getall("categories", []) if c in known) \
        if hasattr(form, "getall") else ()
    return values


def _form_page(*, values: dict[str, Any], enterprise: dict[str, Any] | None = None,
               members: list[dict[str, Any]] | None = None, error: str = "",
               saved: bool = False, status_code: int = 200) -> Template:
    return Template("park/enterprise_form.html", status_code=status_code, context={
        "values": values, "enterprise": enterprise, "members": members or [],
        "error": error, "saved": saved, **_choices(),
    })


async def _members(principal: Any, enterprise_id: int) -> list[dict[str, Any]]:
    return [{**m, "role_label": MemberRole(m["role"]).label}
            for m in await queries.members(principal, enterprise_id)]


_BLANK = {"name_zh": "", "name_en": "", "uscc": "", "tier": Tier.PARK.value, "categories": (),
          "controller_uscc": "", "contact_name": "", "contact_email": "", "contact_phone": ""}


class EnterpriseRegisterPages(Controller):
    path = "/park/enterprises"
    include_in_schema = False
    opt = needs(Can.REGISTER_ENTERPRISES)

    @get("/")
    async def register(self, request: Request,
                       q: Annotated[str, Parameter(max_length=100)] = "",
                       offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET)] = 0) -> Template:
        rows, more = await queries.search_enterprises(principal_of(request), q, limit=PAGE,
                                                      offset=offset)
        return Template("park/enterprises.html", context={
            "q": q, "rows": rows, "offset": offset, "page": PAGE, "has_more": more,
            "previous": max(offset - PAGE, 0), "category_labels": dict(_choices()[
                "category_choices"]),
        })

    @get("/new")
    async def new(self) -> Template:
        return _form_page(values=dict(_BLANK))

    @post("/new")
    async def create(self, request: Request) -> Response:
        values = await _posted(request)
        try:
            enterprise_id = await enterprises.register(principal_of(request),
                                                       enterprises.EnterpriseFields(**values))
        except DomainError as exc:
            return _form_page(values=values, error=error_text(exc), status_code=exc.status_code)
        return see_other(f"/park/enterprises/{enterprise_id}?saved=1")

    @get("/{enterprise_id:int}")
    async def edit(self, request: Request, enterprise_id: EnterpriseId,
                   saved: bool = False) -> Template:
        principal = principal_of(request)
        enterprise = await queries.enterprise_detail(principal, enterprise_id)
        values = {f: enterprise[f] or "" for f in _TEXT_FIELDS}
        values["categories"] = tuple(enterprise["categories"])
        return _form_page(values=values, enterprise=enterprise, saved=saved,
                          members=await _members(principal, enterprise_id))

    @post("/{enterprise_id:int}")
    async def update(self, request: Request, enterprise_id: EnterpriseId) -> Response:
        principal = principal_of(request)
        values = await _posted(request)
        try:
            await enterprises.update(principal, enterprise_id, values)
        except DomainError as exc:
            enterprise = await queries.enterprise_detail(principal, enterprise_id)
            return _form_page(values=values, enterprise=enterprise, error=error_text(exc),
                              members=await _members(principal, enterprise_id),
                              status_code=exc.status_code)
        return see_other(f"/park/enterprises/{enterprise_id}?saved=1")
