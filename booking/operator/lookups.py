"""Reads for the operator pages: bookings with the names an operator needs to see,
a platform's resources and closures, enterprises and engineers to pick from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.tables import Account, Enterprise, QualificationGrant
from booking.reservations.tables import Booking
from platforms.tables import Closure, OpeningHours, Qualification, Resource

SEARCH_LIMIT = 20

_BOOKING_COLUMNS = (
    *Booking.all_columns(),
    Booking.resource.name_zh.as_alias("resource_name_zh"),
    Booking.resource.name_en.as_alias("resource_name_en"),
    Booking.resource.code.as_alias("resource_code"),
    Booking.resource.kind.as_alias("resource_kind"),
    Booking.enterprise.name_zh.as_alias("enterprise_name_zh"),
    Booking.enterprise.name_en.as_alias("enterprise_name_en"),
    Booking.account.display_name.as_alias("account_name"),
    Booking.account.email.as_alias("account_email"),
)


async def platform_bookings(platform_id: int, start: datetime, end: datetime, *,
                            statuses: list[str] | None = None,
                            resource_id: int | None = None) -> list[dict[str, Any]]:
    """Bookings of a platform overlapping [start, end), with names."""
    query = Booking.select(*_BOOKING_COLUMNS).where(
        (Booking.platform == platform_id) & (Booking.start_at < end) & (Booking.end_at > start))
    if statuses:
        query = query.where(Booking.status.is_in(statuses))
    if resource_id:
        query = query.where(Booking.resource == resource_id)
    return await query.order_by(Booking.start_at).order_by(Booking.id)


async def pending_bookings(platform_id: int, limit: int = 200) -> list[dict[str, Any]]:
    return await Booking.select(*_BOOKING_COLUMNS).where(
        (Booking.platform == platform_id) & (Booking.status == "pending")
    ).order_by(Booking.start_at).limit(limit)


async def pending_count(platform_id: int) -> int:
    return await Booking.count().where((Booking.platform == platform_id)
                                       & (Booking.status == "pending"))


async def bookings_by_ids(ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return await Booking.select(*_BOOKING_COLUMNS).where(Booking.id.is_in(ids)).order_by(
        Booking.start_at)


async def booking_with_names(booking_id: int) -> dict[str, Any] | None:
    rows = await bookings_by_ids([booking_id])
    return rows[0] if rows else None


async def platform_resources(platform_id: int, *,
                             slotted_only: bool = False) -> list[dict[str, Any]]:
    query = Resource.select().where((Resource.platform == platform_id) & Resource.active.eq(True))
    if slotted_only:
        query = query.where(Resource.kind.is_in(["instrument", "pool"]))
    return await query.order_by(Resource.id)


async def hours_by_resource(resource_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    result: dict[int, list[dict[str, Any]]] = {i: [] for i in resource_ids}
    if not resource_ids:
        return result
    rows = await OpeningHours.select().where(OpeningHours.resource.is_in(resource_ids)).order_by(
        OpeningHours.weekday).order_by(OpeningHours.opens)
    for row in rows:
        result[row["resource"]].append(row)
    return result


async def platform_closures(resource_ids: list[int], start: datetime,
                            end: datetime) -> list[dict[str, Any]]:
    if not resource_ids:
        return []
    return await Closure.select().where(
        Closure.resource.is_in(resource_ids) & (Closure.start_at < end) & (Closure.end_at > start)
    ).order_by(Closure.start_at)


async def upcoming_closures(resource_id: int, after: datetime,
                            limit: int = 100) -> list[dict[str, Any]]:
    return await Closure.select().where(
        (Closure.resource == resource_id) & (Closure.end_at > after)
    ).order_by(Closure.start_at).limit(limit)


async def find_enterprises(text: str, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    pattern = f"%{text.strip()}%"
    return await Enterprise.select(Enterprise.id, Enterprise.name_zh, Enterprise.name_en,
                                   Enterprise.uscc, Enterprise.tier).where(
        Enterprise.name_zh.ilike(pattern) | Enterprise.name_en.ilike(pattern)
        | Enterprise.uscc.ilike(pattern)
    ).order_by(Enterprise.id).limit(limit)


async def enterprise(enterprise_id: int) -> dict[str, Any] | None:
    return await Enterprise.select().where(Enterprise.id == enterprise_id).first()


async def engineers_of(enterprise_id: int, limit: int = 500) -> list[dict[str, Any]]:
    return await Account.select(Account.id, Account.display_name, Account.email).where(
        (Account.enterprise == enterprise_id) & Account.active.eq(True)
    ).order_by(Account.display_name).limit(limit)


async def find_engineers(text: str, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    pattern = f"%{text.strip()}%"
    return await Account.select(
        Account.id, Account.display_name, Account.email,
        Account.enterprise.name_zh.as_alias("enterprise_name_zh"),
        Account.enterprise.name_en.as_alias("enterprise_name_en"),
    ).where(
        Account.enterprise.is_not_null() & Account.active.eq(True)
        & (Account.email.ilike(pattern) | Account.display_name.ilike(pattern))
    ).order_by(Account.id).limit(limit)


async def platform_qualifications(platform_id: int) -> list[dict[str, Any]]:
    return await Qualification.select().where(Qualification.platform == platform_id).order_by(
        Qualification.id)


async def grants_for(qualification_ids: list[int]) -> list[dict[str, Any]]:
    """Every unrevoked grant of these qualifications (expired ones too), newest first."""
    if not qualification_ids:
        return []
    return await QualificationGrant.select(
        *QualificationGrant.all_columns(),
        QualificationGrant.account.display_name.as_alias("account_name"),
        QualificationGrant.account.email.as_alias("account_email"),
        QualificationGrant.account.enterprise.name_zh.as_alias("enterprise_name_zh"),
        QualificationGrant.account.enterprise.name_en.as_alias("enterprise_name_en"),
    ).where(
        QualificationGrant.qualification.is_in(qualification_ids)
        & QualificationGrant.revoked_at.is_null()
    ).order_by(QualificationGrant.expires_at, ascending=False)


async def grants_of_accounts(account_ids: list[int],
                             qualification_ids: list[int]) -> list[dict[str, Any]]:
    if not account_ids or not qualification_ids:
        return []
    return await QualificationGrant.select().where(
        QualificationGrant.account.is_in(account_ids)
        & QualificationGrant.qualification.is_in(qualification_ids)
        & QualificationGrant.revoked_at.is_null())


async def bookers_lacking(platform_id: int, qualification_id: int, since: datetime,
                          held_by: set[int], limit: int = 50) -> list[dict[str, Any]]:
    """Engineers with recent bookings on the platform who do not hold the qualification:
    the people likely to ask for it next."""
    rows = await Booking.select(
        Booking.account, Booking.account.display_name.as_alias("account_name"),
        Booking.account.email.as_alias("account_email"),
        Booking.enterprise.name_zh.as_alias("enterprise_name_zh"),
        Booking.enterprise.name_en.as_alias("enterprise_name_en"),
    ).where((Booking.platform == platform_id) & (Booking.start_at >= since)).order_by(
        Booking.start_at, ascending=False).limit(1000)
    seen: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row["account"] not in held_by and row["account"] not in seen:
            seen[row["account"]] = row
    return list(seen.values())[:limit]
