"""Accounts: enterprises, people, credentials, tokens and qualification grants."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta

from booking.accounts import enterprises, rules
from booking.accounts.passwords import hash_password, verify_password
from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.accounts.roles import Role
from booking.accounts.tables import (
    ROLES,
    Account,
    ApiToken,
    OperatorAssignment,
    QualificationGrant,
)
from booking.clock import precise_now as now
from booking.errors import DomainError, NotFound, RuleViolation, Unauthorized
from calendars.zones import DEFAULT_ZONE_NAME
from i18n.translations import N_
from platforms.tables import Platform, Qualification

TOKEN_PREFIX = "pbk_"
# Bearer lookups are on every API call; a short in-process cache saves a query per
# request. Revocation clears this process's entry at once; siblings within the TTL.
_TOKEN_CACHE_SECONDS = 5.0
_token_cache: dict[str, tuple[float, Principal]] = {}



def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def load_principal(account_id: int, via_token: bool = False) -> Principal | None:
    row = await Account.select(
        Account.id,
        Account.email,
        Account.display_name,
        Account.role,
        Account.enterprise,
        Account.enterprise.tier,
        Account.locale,
        Account.timezone,
        Account.active,
    ).where(Account.id == account_id).first()
    if not row or not row["active"]:
        return None
    platform_ids: frozenset[int] = frozenset()
    if row["role"] == Role.OPERATOR:
        assigned = await OperatorAssignment.select(OperatorAssignment.platform).where(
            OperatorAssignment.account == account_id
        )
        platform_ids = frozenset(a["platform"] for a in assigned)
    return Principal(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"] or row["email"],
        role=row["role"],
        enterprise_id=row["enterprise"],
        tier=row["enterprise.tier"],
        platform_ids=platform_ids,
        locale=row["locale"],
        timezone=row["timezone"] or DEFAULT_ZONE_NAME,
        via_token=via_token,
    )


async def authenticate(email: str, password: str) -> Principal:
    row = await Account.select(Account.id, Account.password_hash, Account.active).where(
        Account.email == rules.normalize_email(email)
    ).first()
    if not verify_password(row["password_hash"] if row else None, password) or not row["active"]:
        raise Unauthorized("invalid_credentials", "The e-mail or password is wrong.")
    await Account.update({Account.last_login_at: now()}).where(Account.id == row["id"])
    principal = await load_principal(row["id"])
    assert principal is not None
    return principal


async def issue_token(account_id: int, name: str = "") -> tuple[str, dict]:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        account=account_id,
        name=name.strip()[:100],
        token_hash=token_hash(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
    )
    await token.save()
    return secret, token_view(token.to_dict())


def token_view(row: dict) -> dict:
    return {
        "id": row["id"],
        "name": row["name"],
        "prefix": row["prefix"],
        "created_at": row["created_at"],
        "last_used_at": row["last_used_at"],
        "revoked_at": row["revoked_at"],
    }


async def principal_for_token(secret: str) -> Principal | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = token_hash(secret)
    cached = _token_cache.get(digest)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    row = await ApiToken.select(ApiToken.id, ApiToken.account, ApiToken.last_used_at).where(
        (ApiToken.token_hash == digest) & ApiToken.revoked_at.is_null()
    ).first()
    if not row:
        return None
    principal = await load_principal(row["account"], via_token=True)
    if principal is None:
        return None
    moment = now()
    if row["last_used_at"] is None or moment - row["last_used_at"] > timedelta(minutes=5):
        await ApiToken.update({ApiToken.last_used_at: moment}).where(ApiToken.id == row["id"])
    _token_cache[digest] = (time.monotonic() + _TOKEN_CACHE_SECONDS, principal)
    return principal


async def list_tokens(account_id: int) -> list[dict]:
    rows = await ApiToken.select().where(ApiToken.account == account_id).order_by(
        ApiToken.id, ascending=False
    )
    return [token_view(r) for r in rows]


async def revoke_token(account_id: int, token_id: int) -> dict:
    row = await ApiToken.select().where(
        (ApiToken.id == token_id) & (ApiToken.account == account_id)
    ).first()
    if not row:
        raise NotFound("token_not_found", "No such token.")
    if row["revoked_at"] is None:
        row["revoked_at"] = now()
        await ApiToken.update({ApiToken.revoked_at: row["revoked_at"]}).where(
            ApiToken.id == token_id
        )
    _token_cache.pop(row["token_hash"], None)
    return token_view(row)


async def create_enterprise(
    *, name_zh: str, name_en: str, uscc: str, tier: str, is_sme: bool = False,
    is_specialised: bool = False, categories: tuple[str, ...] = (), contact_name: str = "",
    contact_email: str = "", contact_phone: str = "", controller_uscc: str = "",
) -> int:
    """Register an enterprise without a principal (CLI, demo, fixtures)."""
    return await enterprises.register(None, enterprises.fields_from_flags(
        name_zh=name_zh, name_en=name_en, uscc=uscc, tier=tier, is_sme=is_sme,
        is_specialised=is_specialised, categories=categories, contact_name=contact_name,
        contact_email=contact_email, contact_phone=contact_phone,
        controller_uscc=controller_uscc))


async def create_account(
    *, email: str, password: str, role: str, display_name: str = "",
    enterprise_id: int | None = None, platform_codes: list[str] | None = None,
    locale: str | None = None,
) -> int:
    email = rules.normalize_email(email)
    if not rules.is_plausible_email(email):
        raise RuleViolation("invalid_email", "The e-mail address is not valid.")
    problem = rules.password_problem(password)
    if problem:
        raise RuleViolation("weak_password", problem, params={"n": rules.MIN_PASSWORD_LENGTH})
    if role not in ROLES:
        raise RuleViolation("invalid_role", "Unknown role.")
    if Role(role).is_member and enterprise_id is None:
        raise RuleViolation("enterprise_required", "Engineers belong to an enterprise.")
    if await Account.exists().where(Account.email == email):
        raise DomainError("account_exists", "An account with this e-mail exists.", status=409)
    account = Account(
        email=email, password_hash=hash_password(password), role=role,
        display_name=display_name, enterprise=enterprise_id, locale=locale,
    )
    await account.save()
    for code in platform_codes or []:
        platform = await Platform.select(Platform.id).where(Platform.code == code).first()
        if not platform:
            raise NotFound("platform_not_found", "No such platform.")
        await OperatorAssignment(account=account.id, platform=platform["id"]).save()
    return account.id


async def update_preferences(account_id: int, *, locale: str | None, timezone: str) -> None:
    from zoneinfo import available_timezones

    if timezone not in available_timezones():
        raise RuleViolation("invalid_timezone", "Unknown time zone.")
    await Account.update({Account.locale: locale, Account.timezone: timezone}).where(
        Account.id == account_id
    )
    forget_account(account_id)


def forget_account(account_id: int) -> None:
    """Drop this process's cached principals of the account, so a change of role or a
    deactivation applies to its next request."""
    for digest, (_, principal) in list(_token_cache.items()):
        if principal.id == account_id:
            _token_cache.pop(digest, None)


async def held_qualification_ids(account_id: int, at: datetime) -> set[int]:
    rows = await QualificationGrant.select(QualificationGrant.qualification).where(
        (QualificationGrant.account == account_id)
        & QualificationGrant.revoked_at.is_null()
        & (QualificationGrant.expires_at > at)
    )
    return {r["qualification"] for r in rows}


async def grant_qualification(
    *, operator: Principal, account_id: int, qualification_id: int, valid_days: int | None = None
) -> dict:
    qual = await Qualification.select().where(Qualification.id == qualification_id).first()
    if not qual:
        raise NotFound("qualification_not_found", "No such qualification.")
    require(operator, Can.MANAGE_QUALIFICATIONS, platform_id=qual["platform"],
            message=N_("You do not operate this platform."))
    target = await Account.select(Account.id, Account.enterprise).where(
        Account.id == account_id
    ).first()
    if not target or target["enterprise"] is None:
        raise NotFound("account_not_found", "No such engineer.")
    moment = now()
    grant = QualificationGrant(
        account=account_id, qualification=qualification_id, granted_by=operator.id,
        granted_at=moment, expires_at=moment + timedelta(days=valid_days or qual["valid_days"]),
    )
    await grant.save()
    return grant.to_dict()


async def revoke_qualification(*, operator: Principal, grant_id: int) -> None:
    grant = await QualificationGrant.select(
        QualificationGrant.id, QualificationGrant.qualification.platform
    ).where(QualificationGrant.id == grant_id).first()
    if not grant:
        raise NotFound("grant_not_found", "No such qualification grant.")
    require(operator, Can.MANAGE_QUALIFICATIONS, platform_id=grant["qualification.platform"],
            message=N_("You do not operate this platform."))
    await QualificationGrant.update(
        {QualificationGrant.revoked_at: now(), QualificationGrant.revoked_by: operator.id}
    ).where(QualificationGrant.id == grant_id)
