"""Reading an enterprise and its people, for its admin's pages."""

from __future__ import annotations

from typing import Any

from booking.accounts.tables import Account, Enterprise


async def enterprise(enterprise_id: int) -> dict[str, Any] | None:
    return await Enterprise.select().where(Enterprise.id == enterprise_id).first()


async def enterprise_people(enterprise_id: int) -> list[dict[str, Any]]:
    """The enterprise's accounts, admins first, then by name."""
    rows = await Account.select(
        Account.id, Account.email, Account.display_name, Account.role, Account.active,
        Account.last_login_at,
    ).where(Account.enterprise == enterprise_id)
    return sorted(rows, key=lambda r: (r["role"] != "enterprise_admin",
                                       (r["display_name"] or r["email"]).lower()))
