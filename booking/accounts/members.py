"""The one writer of an enterprise's members: invite, change role, deactivate.

Each write locks the enterprise row (PostgreSQL; SQLite's IMMEDIATE transaction
holds the database) before it re-checks, so two admins demoting each other at once
cannot leave the enterprise without an active admin.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from booking.accounts import events, invitations, rules
from booking.accounts.enterprises import MAX_ROW_ID
from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.accounts.roles import MemberRole, Role
from booking.accounts.service import forget_account
from booking.accounts.tables import Account, ApiToken, Enterprise
from booking.clock import now
from booking.db import in_write_transaction, lock_rows
from booking.errors import Conflict, NotFound, RuleViolation
from calendars.zones import DEFAULT_ZONE_NAME
from i18n import SUPPORTED_LOCALES, active_locale

MAX_DISPLAY_NAME = 100


def _member_missing() -> NotFound:
    return NotFound("member_not_found", "No such member of this enterprise.")


def _last_admin() -> Conflict:
    return Conflict("last_admin", "The enterprise must keep at least one active admin.")


async def _locked_enterprise(enterprise_id: int) -> dict[str, Any]:
    if enterprise_id > MAX_ROW_ID:
        raise NotFound("enterprise_not_found", "No such enterprise.")
    await lock_rows(Enterprise, [enterprise_id])
    row = await Enterprise.select(Enterprise.id, Enterprise.name_zh, Enterprise.name_en).where(
        Enterprise.id == enterprise_id).first()
    if row is None:
        raise NotFound("enterprise_not_found", "No such enterprise.")
    return row


async def _member(enterprise_id: int, account_id: int) -> dict[str, Any]:
    if account_id > MAX_ROW_ID:
        raise _member_missing()
    row = await Account.select(Account.id, Account.email, Account.role, Account.active).where(
        (Account.id == account_id) & (Account.enterprise == enterprise_id)).first()
    if row is None:
        raise _member_missing()
    return row


async def _active_admins(enterprise_id: int) -> int:
    return await Account.count().where(
        (Account.enterprise == enterprise_id) & (Account.role == Role.ENTERPRISE_ADMIN)
        & Account.active.eq(True))


async def invite(principal: Principal, enterprise_id: int, *, email: str, name: str,
                 role: MemberRole, locale: str | None = None) -> int:
    """A new member of the enterprise, with an invitation e-mail queued in the same
    transaction; returns the account id."""
    require(principal, Can.MANAGE_MEMBERS, enterprise_id=enterprise_id)
    email = rules.normalize_email(email)
    if not rules.is_plausible_email(email):
        raise RuleViolation("invalid_email", "The e-mail address is not valid.")
    display_name = " ".join(name.split())[:MAX_DISPLAY_NAME]
    if locale is not None and locale not in SUPPORTED_LOCALES:
        raise RuleViolation("unsupported_locale", "This language is not available.")

    async def work() -> int:
        enterprise = await _locked_enterprise(enterprise_id)
        if await Account.exists().where(Account.email == email):
            raise _account_exists()
        account = Account(email=email, password_hash=invitations.UNUSABLE_PASSWORD,
                          role=role.role.value, display_name=display_name,
                          enterprise=enterprise_id, locale=locale, timezone=DEFAULT_ZONE_NAME,
                          created_at=now())
        await account.save()
        secret, expires_at = await invitations.issue(account.id, principal.id)
        await events.emit(events.InvitationIssued(
            account_id=account.id, email=email, display_name=display_name,
            enterprise_name_zh=enterprise["name_zh"], enterprise_name_en=enterprise["name_en"],
            inviter_name=principal.display_name, secret=secret, expires_at=expires_at,
            locale=locale or active_locale(), timezone=DEFAULT_ZONE_NAME))
        return account.id

    try:
        return await in_write_transaction(work)
    except Exception as exc:
        # Two invitations of one address racing on PostgreSQL: the unique key decides.
        if isinstance(exc, sqlite3.IntegrityError) or type(exc).__name__ == "UniqueViolationError":
            raise _account_exists() from None
        raise


def _account_exists() -> Conflict:
    return Conflict("account_exists", "An account with this e-mail exists.")


async def change_role(principal: Principal, enterprise_id: int, account_id: int,
                      role: MemberRole) -> None:
    require(principal, Can.MANAGE_MEMBERS, enterprise_id=enterprise_id)

    async def work() -> None:
        await _locked_enterprise(enterprise_id)
        member = await _member(enterprise_id, account_id)
        if member["role"] == role.role:
            return
        if (member["role"] == Role.ENTERPRISE_ADMIN and member["active"]
                and await _active_admins(enterprise_id) <= 1):
            raise _last_admin()
        await Account.update({Account.role: role.role.value}).where(Account.id == account_id)

    await in_write_transaction(work)
    forget_account(account_id)


async def deactivate(principal: Principal, enterprise_id: int, account_id: int) -> None:
    """The account can no longer log in; its tokens and pending invitations stop at
    once; its bookings stay."""
    require(principal, Can.MANAGE_MEMBERS, enterprise_id=enterprise_id)

    async def work() -> None:
        await _locked_enterprise(enterprise_id)
        member = await _member(enterprise_id, account_id)
        if not member["active"]:
            return
        if (member["role"] == Role.ENTERPRISE_ADMIN
                and await _active_admins(enterprise_id) <= 1):
            raise _last_admin()
        moment = now()
        await Account.update({Account.active: False}).where(Account.id == account_id)
        await ApiToken.update({ApiToken.revoked_at: moment}).where(
            (ApiToken.account == account_id) & ApiToken.revoked_at.is_null())
        await invitations.revoke_for(account_id)

    await in_write_transaction(work)
    forget_account(account_id)
