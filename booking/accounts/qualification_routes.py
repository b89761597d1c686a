"""Qualifications over the API: operators grant and revoke; engineers see theirs."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post

from booking.accounts import service
from booking.accounts.permissions import Can, needs, restrict
from booking.accounts.principal import principal_of
from booking.accounts.tables import QualificationGrant
from booking.http.bounds import Id, IdField
from platforms.tables import Qualification


class GrantIn(msgspec.Struct, forbid_unknown_fields=True):
    account_id: IdField
    qualification_id: IdField
    valid_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] | None = None


def _grant_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "account_id": row["account"], "qualification_id": row["qualification"],
        "granted_by": row["granted_by"], "granted_at": row["granted_at"].isoformat(),
        "expires_at": row["expires_at"].isoformat(),
        "revoked_at": row["revoked_at"].isoformat() if row["revoked_at"] else None,
    }


class QualificationsApi(Controller):
    path = "/api"
    tags = ["qualifications"]

    @get("/qualifications", opt=needs(Can.SIGNED_IN))
    async def qualifications(self) -> list[dict[str, Any]]:
        rows = await Qualification.select(
            *Qualification.all_columns(), Qualification.platform.code.as_alias("platform_code"))
        return [{"id": r["id"], "code": r["code"], "platform": r["platform_code"],
                 "name": {"zh": r["name_zh"], "en": r["name_en"]}, "valid_days": r["valid_days"]}
                for r in rows]

    @get("/qualification-grants", opt=needs(Can.SIGNED_IN))
    async def grants(self, request: Request) -> list[dict[str, Any]]:
        """Mine; operators: the grants of the qualifications of their platforms."""
        principal = principal_of(request)
        query = QualificationGrant.select(
            *QualificationGrant.all_columns(), QualificationGrant.qualification.platform)
        query = restrict(query, principal, platform=QualificationGrant.qualification.platform,
                         account=QualificationGrant.account)
        if query is None:
            return []
        return [_grant_out(r) for r in await query.order_by(QualificationGrant.id)]

    @post("/qualification-grants", opt=needs(Can.MANAGE_QUALIFICATIONS))
    async def grant(self, request: Request, data: GrantIn) -> dict[str, Any]:
        row = await service.grant_qualification(
            operator=principal_of(request), account_id=data.account_id,
            qualification_id=data.qualification_id, valid_days=data.valid_days)
        return _grant_out(row)

    @post("/qualification-grants/{grant_id:int}/revoke", status_code=200,
          opt=needs(Can.MANAGE_QUALIFICATIONS))
    async def revoke(self, request: Request, grant_id: Id) -> dict[str, Any]:
        await service.revoke_qualification(operator=principal_of(request), grant_id=grant_id)
        row = await QualificationGrant.select().where(QualificationGrant.id == grant_id).first()
        return _grant_out(row)
