"""Reading the catalog: platforms, resources with their hours, tariffs and closures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from platforms.choices import ResourceKind
from platforms.tables import Closure, OpeningHours, Platform, Qualification, Resource, Tariff

RESOURCE_LIST_COLUMNS = (
    Resource.id,
    Resource.code,
    Resource.kind,
    Resource.category,
    Resource.name_zh,
    Resource.name_en,
    Resource.capacity,
    Resource.unit,
    Resource.building_zh,
    Resource.building_en,
    Resource.room,
    Resource.approval_required,
    Resource.qualification,
    Resource.platform,
    Resource.platform.code.as_alias("platform_code"),
)


async def list_platforms() -> list[dict[str, Any]]:
    platforms = await Platform.select().order_by(Platform.position).order_by(Platform.id)
    counts = await Resource.select(Resource.platform, Resource.kind).where(Resource.active.eq(True))
    for platform in platforms:
        mine = [c["kind"] for c in counts if c["platform"] == platform["id"]]
        platform["resource_counts"] = {k.value: mine.count(k) for k in ResourceKind}
    return platforms


async def platform_by_code(code: str) -> dict[str, Any] | None:
    return await Platform.select().where(Platform.code == code).first()


async def list_resources(
    *, platform_code: str | None = None, kind: str | None = None, category: str | None = None,
    text: str | None = None, qualification_ids: set[int] | None = None,
    limit: int = 500, offset: int = 0,
) -> list[dict[str, Any]]:
    query = Resource.select(*RESOURCE_LIST_COLUMNS).where(Resource.active.eq(True))
    if platform_code:
        query = query.where(Resource.platform.code == platform_code)
    if kind:
        query = query.where(Resource.kind == kind)
    if category:
        query = query.where(Resource.category == category)
    if text:
        pattern = f"%{text.strip()}%"
        query = query.where(
            Resource.name_zh.ilike(pattern) | Resource.name_en.ilike(pattern)
            | Resource.code.ilike(pattern) | Resource.category.ilike(pattern)
        )
    rows = await query.order_by(Resource.platform).order_by(Resource.id).limit(limit).offset(offset)
    if qualification_ids is not None:
        rows = [r for r in rows if r["qualification"] is None or r["qualification"] in qualification_ids]
    return rows


async def categories(platform_code: str | None = None) -> list[str]:
    query = Resource.select(Resource.category).distinct().where(Resource.active.eq(True))
    if platform_code:
        query = query.where(Resource.platform.code == platform_code)
    return sorted({r["category"] for r in await query if r["category"]})


async def resource_row(resource_id: int) -> dict[str, Any] | None:
    return await Resource.select(
        *Resource.all_columns(),
        Resource.platform.code.as_alias("platform_code"),
        Resource.platform.timezone.as_alias("timezone"),
        Resource.platform.quota_hours_per_week.as_alias("platform_quota_hours_per_week"),
    ).where(Resource.id == resource_id).first()


async def opening_hours(resource_id: int) -> list[dict[str, Any]]:
    return await OpeningHours.select().where(OpeningHours.resource == resource_id).order_by(
        OpeningHours.weekday
    ).order_by(OpeningHours.opens)


async def tariffs(resource_id: int) -> dict[str, int]:
    rows = await Tariff.select(Tariff.tier, Tariff.price_fen).where(Tariff.resource == resource_id)
    return {r["tier"]: r["price_fen"] for r in rows}


async def closures(resource_id: int, start: datetime, end: datetime) -> list[dict[str, Any]]:
    return await Closure.select().where(
        (Closure.resource == resource_id) & (Closure.start_at < end) & (Closure.end_at > start)
    ).order_by(Closure.start_at)


async def qualification(qualification_id: int | None) -> dict[str, Any] | None:
    if qualification_id is None:
        return None
    return await Qualification.select().where(Qualification.id == qualification_id).first()


async def resource_detail(resource_id: int) -> dict[str, Any] | None:
    row = await resource_row(resource_id)
    if row is None:
        return None
    row["hours"] = await opening_hours(resource_id)
    row["tariffs"] = await tariffs(resource_id)
    row["qualification_detail"] = await qualification(row["qualification"])
    return row
