"""Reading enterprises, people and qualification grants as a principal may see them.

Each function decides through ``booking.accounts.permissions`` before it reads, so a
page cannot show a list its viewer may not see by forgetting a check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.permissions import Can, require, restrict
from booking.accounts.principal import Principal
from booking.accounts.roles import Role
from booking.accounts.tables import Account, Enterprise, QualificationGrant

SEARCH_LIMIT = 20


async def enterprise(principal: Principal, enterprise_id: int) -> dict[str, Any] | None:
    require(principal, Can.VIEW_ENTERPRISE, enterprise_id=enterprise_id)
    return await Enterprise.select().where(Enterprise.id == enterprise_id).first()


async def enterprise_people(principal: Principal, enterprise_id: int) -> list[dict[str, Any]]:
    """The enterprise's accounts for its admin, admins first, then by name."""
    require(principal, Can.MANAGE_MEMBERS, enterprise_id=enterprise_id)
    rows = await Account.select(
        Account.id, Account.email, Account.display_name, Account.role, Account.active,
        Account.last_login_at,
    ).where(Account.enterprise == enterprise_id)
    return sorted(rows, key=lambda r: (r["role"] != Role.ENTERPRISE_ADMIN,
                                       (r["display_name"] or r["email"]).lower()))


async def people_by_id(principal: Principal, ids: set[int]) -> dict[int, dict[str, Any]]:
    """Names and e-mails of these accounts, of those the principal may see."""
    if not ids:
        return {}
    query = restrict(Account.select(Account.id, Account.display_name, Account.email),
                     principal, enterprise=Account.enterprise, account=Account.id)
    if query is None:
        return {}
    rows = await query.where(Account.id.is_in(sorted(ids)))
    return {r["id"]: r for r in rows}


async def engineers_of(principal: Principal, enterprise_id: int,
                       limit: int = 500) -> list[dict[str, Any]]:
    """The enterprise's active accounts, to book on behalf of one of them."""
    require(principal, Can.VIEW_ENTERPRISE, enterprise_id=enterprise_id)
    return await Account.select(Account.id, Account.display_name, Account.email).where(
        (Account.enterprise == enterprise_id) & Account.active.eq(True)
    ).order_by(Account.display_name).limit(limit)


async def find_engineers(principal: Principal, text: str,
                         limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    """Active members of any enterprise by e-mail or name, to grant a qualification."""
    require(principal, Can.MANAGE_QUALIFICATIONS)
    pattern = f"%{text.strip()}%"
    return await Account.select(
        Account.id, Account.display_name, Account.email,
        Account.enterprise.name_zh.as_alias("enterprise_name_zh"),
        Account.enterprise.name_en.as_alias("enterprise_name_en"),
    ).where(
        Account.enterprise.is_not_null() & Account.active.eq(True)
        & (Account.email.ilike(pattern) | Account.display_name.ilike(pattern))
    ).order_by(Account.id).limit(limit)


async def platform_grants(principal: Principal, platform_id: int) -> list[dict[str, Any]]:
    """Every unrevoked grant of the platform's qualifications (expired ones too), with the
    holder's names, latest expiry first."""
    require(principal, Can.MANAGE_QUALIFICATIONS, platform_id=platform_id)
    return await QualificationGrant.select(
        *QualificationGrant.all_columns(),
        QualificationGrant.account.display_name.as_alias("account_name"),
        QualificationGrant.account.email.as_alias("account_email"),
        QualificationGrant.account.enterprise.name_zh.as_alias("enterprise_name_zh"),
        QualificationGrant.account.enterprise.name_en.as_alias("enterprise_name_en"),
    ).where(
        (QualificationGrant.qualification.platform == platform_id)
        & QualificationGrant.revoked_at.is_null()
    ).order_by(QualificationGrant.expires_at, ascending=False)


async def grants_held(principal: Principal, platform_id: int, account_ids: list[int],
                      at: datetime) -> dict[int, set[int]]:
    """The platform's qualifications each of these accounts holds at ``at``."""
    require(principal, Can.MANAGE_QUALIFICATIONS, platform_id=platform_id)
    held: dict[int, set[int]] = {i: set() for i in account_ids}
    if not account_ids:
        return held
    rows = await QualificationGrant.select(
        QualificationGrant.account, QualificationGrant.qualification,
    ).where(
        QualificationGrant.account.is_in(account_ids)
        & (QualificationGrant.qualification.platform == platform_id)
        & QualificationGrant.revoked_at.is_null() & (QualificationGrant.expires_at > at))
    for row in rows:
        held[row["account"]].add(row["qualification"])
    return held
