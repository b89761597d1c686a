"""Reading enterprises, their groups and members as the principal may see them.

Each function decides through ``booking.accounts.permissions`` before it reads.
"""

from __future__ import annotations

from typing import Any

from booking.accounts import categories as cats
from booking.accounts import search
from booking.accounts.enterprises import MAX_ROW_ID
from booking.accounts.invitations import UNUSABLE_PASSWORD
from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.accounts.roles import MemberRole, Role
from booking.accounts.tables import Account, Enterprise
from booking.errors import NotFound
from i18n.translations import localized
from platforms.tables import Platform

GROUP_LIMIT = 100


def enterprise_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "name": localized(row, "name"), "name_zh": row["name_zh"],
        "name_en": row["name_en"], "uscc": row["uscc"], "tier": row["tier"],
        "categories": [c.value for c in cats.parse_stored(row["categories"])],
        "controller_uscc": row["controller_uscc"] or None,
        "is_sme": row["is_sme"], "is_specialised": row["is_specialised"],
        "contact_name": row["contact_name"], "contact_email": row["contact_email"],
        "contact_phone": row["contact_phone"],
        "created_at": row["created_at"], "updated_at": row["updated_at"],
    }


async def _row(enterprise_id: int) -> dict[str, Any]:
    row = None
    if enterprise_id <= MAX_ROW_ID:
        row = await Enterprise.select().where(Enterprise.id == enterprise_id).first()
    if row is None:
        raise NotFound("enterprise_not_found", "No such enterprise.")
    return row


async def enterprise_detail(principal: Principal, enterprise_id: int) -> dict[str, Any]:
    """The enterprise; staff also see the other enterprises under its controller."""
    require(principal, Can.VIEW_ENTERPRISE, enterprise_id=enterprise_id)
    row = await _row(enterprise_id)
    view = enterprise_view(row)
    view["group"] = await _group(row) if principal.role in (Role.OPERATOR, Role.PARK_ADMIN) \
        else []
    return view


async def _group(row: dict[str, Any]) -> list[dict[str, Any]]:
    controller = row["controller_uscc"]
    if not controller:
        # It may itself be the controller of others.
        controller = row["uscc"]
    rows = await Enterprise.select(
        Enterprise.id, Enterprise.name_zh, Enterprise.name_en, Enterprise.uscc,
        Enterprise.controller_uscc,
    ).where(((Enterprise.controller_uscc == controller) | (Enterprise.uscc == controller))
            & (Enterprise.id != row["id"])).order_by(Enterprise.id).limit(GROUP_LIMIT)
    return [{"id": r["id"], "name": localized(r, "name"), "uscc": r["uscc"],
             "is_controller": r["uscc"] == controller} for r in rows]


async def search_enterprises(principal: Principal, text: str, *, limit: int,
                             offset: int) -> tuple[list[dict[str, Any]], bool]:
    """One page of the register (``limit`` rows from ``offset``) and whether more follow."""
    require(principal, Can.SEARCH_ENTERPRISES)
    ids = await search.search(text, limit=limit + 1, offset=offset)
    more = len(ids) > limit
    ids = ids[:limit]
    if not ids:
        return [], False
    rows = await Enterprise.select().where(Enterprise.id.is_in(ids))
    by_id = {r["id"]: r for r in rows}
    return [enterprise_view(by_id[i]) for i in ids if i in by_id], more


def member_view(row: dict[str, Any], invited: bool) -> dict[str, Any]:
    return {
        "id": row["id"], "email": row["email"], "name": row["display_name"],
        "role": MemberRole.of(row["role"]).value, "active": row["active"],
        "invited": invited, "last_login_at": row["last_login_at"],
    }


async def members(principal: Principal, enterprise_id: int) -> list[dict[str, Any]]:
    """The enterprise's accounts, admins first, then by name; ``invited`` while the
    person has not yet set a password through their link."""
    require(principal, Can.MANAGE_MEMBERS, enterprise_id=enterprise_id)
    await _row(enterprise_id)
    rows = await Account.select(
        Account.id, Account.email, Account.display_name, Account.role, Account.active,
        Account.last_login_at, Account.password_hash,
    ).where(Account.enterprise == enterprise_id)
    rows.sort(key=lambda r: (r["role"] != Role.ENTERPRISE_ADMIN,
                             (r["display_name"] or r["email"]).lower(), r["id"]))
    return [member_view(r, _awaiting_password(r)) for r in rows]


def _awaiting_password(row: dict[str, Any]) -> bool:
    return row["password_hash"] == UNUSABLE_PASSWORD


async def member(principal: Principal, enterprise_id: int, account_id: int) -> dict[str, Any]:
    require(principal, Can.MANAGE_MEMBERS, enterprise_id=enterprise_id)
    row = None
    if account_id <= MAX_ROW_ID:
        row = await Account.select(
            Account.id, Account.email, Account.display_name, Account.role, Account.active,
            Account.last_login_at, Account.password_hash,
        ).where((Account.id == account_id) & (Account.enterprise == enterprise_id)).first()
    if row is None:
        raise NotFound("member_not_found", "No such member of this enterprise.")
    return member_view(row, _awaiting_password(row))


async def me(principal: Principal) -> dict[str, Any]:
    """The signed-in account as ``GET /api/me`` shows it."""
    require(principal, Can.SIGNED_IN)
    enterprise = None
    if principal.enterprise_id is not None:
        row = await _row(principal.enterprise_id)
        enterprise = {"id": row["id"], "name": localized(row, "name"), "tier": row["tier"],
                      "categories": [c.value for c in cats.parse_stored(row["categories"])]}
    if principal.is_park_admin:
        platforms = await Platform.select(Platform.id, Platform.code).order_by(Platform.id)
    elif principal.platform_ids:
        platforms = await Platform.select(Platform.id, Platform.code).where(
            Platform.id.is_in(sorted(principal.platform_ids))).order_by(Platform.id)
    else:
        platforms = []
    return {
        "id": principal.id, "email": principal.email, "name": principal.display_name,
        "roles": [principal.role], "enterprise_id": principal.enterprise_id,
        "enterprise": enterprise, "platforms": [{"id": p["id"], "code": p["code"]}
                                                for p in platforms],
        "locale": principal.locale, "timezone": principal.timezone,
    }

