"""Invitation links: issued with a new member, used once to set a password.

The secret travels only in the e-mail; the table keeps its SHA-256. Using a link
is a conditional update (``used_at IS NULL``), so two tabs submitting the same link
at once cannot both set a password.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from booking.accounts import rules
from booking.accounts.passwords import hash_password
from booking.accounts.tables import Account, Invitation
from booking.clock import now
from booking.db import in_write_transaction
from booking.errors import DomainError, NotFound, RuleViolation

PREFIX = "pbi_"
VALID_FOR = timedelta(days=7)
MAX_SECRET_LENGTH = 100
# Stored as the password hash of an invited account: argon2 cannot parse it, so no
# password matches until the invitation sets one.
UNUSABLE_PASSWORD = "!invited"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def issue(account_id: int, invited_by: int | None) -> tuple[str, datetime]:
    """A new link for the account (older unused ones stop working); call inside the
    writer's transaction."""
    moment = now()
    await Invitation.update({Invitation.revoked_at: moment}).where(
        (Invitation.account == account_id) & Invitation.used_at.is_null()
        & Invitation.revoked_at.is_null())
    secret = PREFIX + secrets.token_urlsafe(32)
    expires_at = moment + VALID_FOR
    await Invitation(account=account_id, token_hash=secret_hash(secret), invited_by=invited_by,
                     created_at=moment, expires_at=expires_at).save()
    return secret, expires_at


async def revoke_for(account_id: int) -> None:
    await Invitation.update({Invitation.revoked_at: now()}).where(
        (Invitation.account == account_id) & Invitation.used_at.is_null()
        & Invitation.revoked_at.is_null())


def _refusal(row: dict[str, Any] | None, moment: datetime) -> DomainError | None:
    if row is None:
        return NotFound("invitation_not_found", "This invitation link is not valid.")
    if row["used_at"] is not None:
        return DomainError("invitation_used", "This invitation link has already been used.",
                           status=410)
    if row["revoked_at"] is not None or not row["account.active"]:
        return DomainError("invitation_revoked", "This invitation link was withdrawn.",
                           status=410)
    if row["expires_at"] <= moment:
        return DomainError("invitation_expired", "This invitation link has expired. "
                           "Ask your enterprise's admin for a new one.", status=410)
    return None


async def _find(secret: str) -> dict[str, Any] | None:
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    return await Invitation.select(
        Invitation.id, Invitation.account, Invitation.expires_at, Invitation.used_at,
        Invitation.revoked_at, Invitation.account.email, Invitation.account.display_name,
        Invitation.account.active, Invitation.account.enterprise.name_zh,
        Invitation.account.enterprise.name_en,
    ).where(Invitation.token_hash == secret_hash(secret)).first()


async def open_invitation(secret: str) -> dict[str, Any]:
    """Who the link invites, or the domain error saying why it cannot be used."""
    row = await _find(secret)
    refusal = _refusal(row, now())
    if refusal is not None:
        raise refusal
    assert row is not None
    return {"email": row["account.email"], "display_name": row["account.display_name"],
            "enterprise_name_zh": row["account.enterprise.name_zh"],
            "enterprise_name_en": row["account.enterprise.name_en"]}


async def accept(secret: str, password: str) -> int:
    """Set the invited account's password through the link; returns the account id."""
    problem = rules.password_problem(password)
    if problem:
        raise RuleViolation("weak_password", problem, params={"n": rules.MIN_PASSWORD_LENGTH})
    password_hash = hash_password(password)  # slow: outside the write transaction

    async def work() -> int:
        row = await _find(secret)
        moment = now()
        refusal = _refusal(row, moment)
        if refusal is not None:
            raise refusal
        assert row is not None
        taken = await Invitation.update({Invitation.used_at: moment}).where(
            (Invitation.id == row["id"]) & Invitation.used_at.is_null()
        ).returning(Invitation.id)
        if not taken:
            raise DomainError("invitation_used", "This invitation link has already been used.",
                              status=410)
        await Account.update({Account.password_hash: password_hash,
                              Account.last_login_at: moment}).where(Account.id == row["account"])
        await revoke_for(row["account"])
        return row["account"]

    return await in_write_transaction(work)
