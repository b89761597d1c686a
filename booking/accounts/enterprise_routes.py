"""The JSON API of the enterprise register, and ``GET /api/me``."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import Parameter

from booking.accounts import enterprise_queries as queries
from booking.accounts import enterprises
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.accounts.schemas import (
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePage,
    EnterprisePatch,
    MeOut,
)
from booking.http.bounds import MAX_ID

MAX_PAGE = 100
MAX_OFFSET = 10_000
EnterpriseId = Annotated[int, Parameter(ge=1, le=MAX_ID)]


class MeApi(Controller):
    path = "/api/me"
    tags = ["accounts"]

    @get("/", opt=needs(Can.SIGNED_IN))
    async def me(self, request: Request) -> MeOut:
        """Who is signed in: roles, enterprise, operated platforms, language and zone."""
        return msgspec.convert(await queries.me(principal_of(request)), MeOut)


class EnterprisesApi(Controller):
    path = "/api/enterprises"
    tags = ["enterprises"]

    @post("/", status_code=201, opt=needs(Can.REGISTER_ENTERPRISES))
    async def register(self, request: Request, data: EnterpriseIn) -> EnterpriseOut:
        """Register an enterprise (park admin). 422 ``invalid_uscc``, 409 ``enterprise_exists``."""
        principal = principal_of(request)
        enterprise_id = await enterprises.register(principal, enterprises.EnterpriseFields(
            name_zh=data.name_zh, name_en=data.name_en, uscc=data.uscc, tier=data.tier,
            categories=tuple(data.categories), controller_uscc=data.controller_uscc or "",
            contact_name=data.contact_name, contact_email=data.contact_email,
            contact_phone=data.contact_phone))
        return await self._out(request, enterprise_id)

    @get("/", opt=needs(Can.SEARCH_ENTERPRISES))
    async def search(
        self, request: Request,
        q: Annotated[str, Parameter(max_length=100)] = "",
        limit: Annotated[int, Parameter(ge=1, le=MAX_PAGE)] = 20,
        offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET)] = 0,
    ) -> EnterprisePage:
        """Operators and the park admin: enterprises whose Chinese or English name or
        credit code matches ``q`` (any part of a Chinese name, Latin word prefixes)."""
        rows, more = await queries.search_enterprises(principal_of(request), q, limit=limit,
                                                      offset=offset)
        return EnterprisePage(items=[msgspec.convert(r, EnterpriseOut) for r in rows],
                              offset=offset, limit=limit, has_more=more)

    @get("/{enterprise_id:int}", opt=needs(Can.VIEW_ENTERPRISE))
    async def detail(self, request: Request, enterprise_id: EnterpriseId) -> EnterpriseOut:
        """Staff, and the members of the enterprise."""
        return await self._out(request, enterprise_id)

    @patch("/{enterprise_id:int}", opt=needs(Can.REGISTER_ENTERPRISES))
    async def edit(self, request: Request, enterprise_id: EnterpriseId,
                   data: EnterprisePatch) -> EnterpriseOut:
        """Change the fields sent (park admin)."""
        changes = data.changes()
        if "categories" in changes:
            changes["categories"] = tuple(changes["categories"])  # type: ignore[arg-type]
        await enterprises.update(principal_of(request), enterprise_id, changes)
        return await self._out(request, enterprise_id)

    async def _out(self, request: Request, enterprise_id: int) -> EnterpriseOut:
        view = await queries.enterprise_detail(principal_of(request), enterprise_id)
        return msgspec.convert(view, EnterpriseOut)
