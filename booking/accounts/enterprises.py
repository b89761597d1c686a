"""The one writer of enterprises: register and edit, with their search terms and the
category flags the reports read, in one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from booking.accounts import categories as cats
from booking.accounts import rules
from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.accounts.search import replace_terms
from booking.accounts.tables import Enterprise
from booking.clock import now
from booking.db import in_write_transaction, lock_rows
from booking.errors import Conflict, NotFound, RuleViolation
from platforms.tables import TIERS

MAX_NAME = 200
MAX_CONTACT_NAME = 100
MAX_PHONE = 50
# Serial ids are 32-bit on PostgreSQL: a larger id names no row.
MAX_ROW_ID = 2**31 - 1

EDITABLE = ("name_zh", "name_en", "uscc", "tier", "categories", "controller_uscc",
            "contact_name", "contact_email", "contact_phone")


@dataclass
class EnterpriseFields:
    name_zh: str
    uscc: str
    tier: str
    name_en: str = ""
    categories: tuple[str, ...] = ()
    controller_uscc: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def _text(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def checked(fields: EnterpriseFields) -> dict[str, Any]:
    """The column values of valid fields, or the RuleViolation of the first problem."""
    name_zh = _text(fields.name_zh, MAX_NAME)
    if not name_zh:
        raise RuleViolation("invalid_name", "The enterprise needs a name.")
    code = rules.normalize_uscc(fields.uscc or "")
    if not rules.is_valid_uscc(code):
        raise RuleViolation("invalid_uscc", "The unified social credit code is not valid.",
                            extra={"field": "uscc"})
    controller = rules.normalize_uscc(fields.controller_uscc or "")
    if controller and not rules.is_valid_uscc(controller):
        raise RuleViolation("invalid_uscc", "The unified social credit code is not valid.",
                            extra={"field": "controller_uscc"})
    if fields.tier not in TIERS:
        raise RuleViolation("invalid_tier", "Unknown customer tier.")
    try:
        chosen = cats.normalized(fields.categories)
    except ValueError:
        raise RuleViolation("invalid_category", "Unknown enterprise category.") from None
    email = rules.normalize_email(fields.contact_email or "")
    if email and not rules.is_plausible_email(email):
        raise RuleViolation("invalid_email", "The e-mail address is not valid.")
    is_sme, is_specialised = cats.flags(chosen)
    return {
        "name_zh": name_zh, "name_en": _text(fields.name_en, MAX_NAME) or name_zh,
        "uscc": code, "tier": fields.tier, "categories": cats.stored(chosen),
        "is_sme": is_sme, "is_specialised": is_specialised, "controller_uscc": controller,
        "contact_name": _text(fields.contact_name, MAX_CONTACT_NAME), "contact_email": email,
        "contact_phone": _text(fields.contact_phone, MAX_PHONE),
    }


def _duplicate() -> Conflict:
    return Conflict("enterprise_exists", "An enterprise with this credit code exists.")


def _is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    return type(exc).__name__ == "UniqueViolationError"


async def _index(enterprise_id: int, values: dict[str, Any]) -> None:
    await replace_terms(enterprise_id, name_zh=values["name_zh"], name_en=values["name_en"],
                        uscc=values["uscc"])


async def register(principal: Principal | None, fields: EnterpriseFields) -> int:
    """A new enterprise; ``principal`` None is the CLI and demo loading."""
    if principal is not None:
        require(principal, Can.REGISTER_ENTERPRISES)
    values = checked(fields)

    async def work() -> int:
        if await Enterprise.exists().where(Enterprise.uscc == values["uscc"]):
            raise _duplicate()
        moment = now()
        row = Enterprise(**values, created_at=moment, updated_at=moment)
        await row.save()
        await _index(row.id, values)
        return row.id

    try:
        return await in_write_transaction(work)
    except Exception as exc:
        # Two registrations of one code racing on PostgreSQL: the unique key decides.
        if _is_unique_violation(exc):
            raise _duplicate() from None
        raise


async def update(principal: Principal, enterprise_id: int, changes: dict[str, Any]) -> None:
    """Apply ``changes`` (a subset of EDITABLE) to the enterprise."""
    require(principal, Can.REGISTER_ENTERPRISES, enterprise_id=enterprise_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise RuleViolation("invalid_field", "This field cannot be changed.")
    if enterprise_id > MAX_ROW_ID:
        raise _missing()

    async def work() -> None:
        await lock_rows(Enterprise, [enterprise_id])
        row = await Enterprise.select().where(Enterprise.id == enterprise_id).first()
        if row is None:
            raise _missing()
        current = {name: row[name] for name in EDITABLE}
        current["categories"] = cats.parse_stored(row["categories"])
        merged = {**current, **changes}
        merged["categories"] = tuple(merged["categories"] or ())
        values = checked(EnterpriseFields(**merged))
        if values["uscc"] != row["uscc"] and await Enterprise.exists().where(
                Enterprise.uscc == values["uscc"]):
            raise _duplicate()
        await Enterprise.update({**values, "updated_at": now()}).where(
            Enterprise.id == enterprise_id)
        await _index(enterprise_id, values)

    try:
        await in_write_transaction(work)
    except Exception as exc:
        if _is_unique_violation(exc):
            raise _duplicate() from None
        raise


def _missing() -> NotFound:
    return NotFound("enterprise_not_found", "No such enterprise.")


def fields_from_flags(*, name_zh: str, name_en: str, uscc: str, tier: str, is_sme: bool,
                      is_specialised: bool, categories: Iterable[str] = (),
                      **contact: str) -> EnterpriseFields:
    """For callers that still speak the two old flags (the CLI, fixtures)."""
    chosen = {*categories, *cats.from_flags(is_sme, is_specialised)}
    return EnterpriseFields(name_zh=name_zh, name_en=name_en, uscc=uscc, tier=tier,
                            categories=tuple(chosen), **contact)
