"""The JSON API of an enterprise's members: invite, list, change role, deactivate."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import Parameter

from booking.accounts import enterprise_queries as queries
from booking.accounts import members
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.accounts.schemas import MemberIn, MemberOut, RoleIn
from booking.http.bounds import MAX_ID

EnterpriseId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
AccountId = Annotated[int, Parameter(ge=1, le=MAX_ID)]


class MembersApi(Controller):
    path = "/api/enterprises/{enterprise_id:int}/members"
    tags = ["enterprises"]
    opt = needs(Can.MANAGE_MEMBERS)

    @post("/", status_code=201)
    async def invite(self, request: Request, enterprise_id: EnterpriseId,
                     data: MemberIn) -> MemberOut:
        """Add a member; they get an e-mail with a single-use link to set a password.
        409 ``account_exists``."""
        principal = principal_of(request)
        account_id = await members.invite(principal, enterprise_id, email=data.email,
                                          name=data.name, role=data.role, locale=data.locale)
        return await _out(request, enterprise_id, account_id)

    @get("/")
    async def members(self, request: Request, enterprise_id: EnterpriseId) -> list[MemberOut]:
        rows = await queries.members(principal_of(request), enterprise_id)
        return [msgspec.convert(r, MemberOut) for r in rows]

    @patch("/{account_id:int}")
    async def change_role(self, request: Request, enterprise_id: EnterpriseId,
                          account_id: AccountId, data: RoleIn) -> MemberOut:
        """409 ``last_admin`` when this would leave the enterprise without an active admin."""
        await members.change_role(principal_of(request), enterprise_id, account_id, data.role)
        return await _out(request, enterprise_id, account_id)

    @post("/{account_id:int}/deactivate", status_code=200)
    async def deactivate(self, request: Request, enterprise_id: EnterpriseId,
                         account_id: AccountId) -> MemberOut:
        """The member can no longer log in, their tokens stop; their bookings stay."""
        await members.deactivate(principal_of(request), enterprise_id, account_id)
        return await _out(request, enterprise_id, account_id)


async def _out(request: Request, enterprise_id: int, account_id: int) -> MemberOut:
    return msgspec.convert(await queries.member(principal_of(request), enterprise_id, account_id),
                           MemberOut)
