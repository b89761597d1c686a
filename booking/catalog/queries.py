"""Reading the catalog for the pages and the API: platforms and resources, the rows an
operator's pages show of them, and the platforms a principal operates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.permissions import restrict
from booking.accounts.principal import Principal
from booking.errors import NotFound
from platforms import catalog
from platforms.choices import SlottedKind
from platforms.tables import Closure, OpeningHours, Platform, Qualification, Resource

# What a booking list needs to name its resources.
RESOURCE_NAME_COLUMNS = (Resource.id, Resource.name_zh, Resource.name_en, Resource.kind,
                         Resource.unit, Resource.capacity_unit_zh, Resource.capacity_unit_en)


async def platform_or_404(code: str) -> dict[str, Any]:
    platform = await catalog.platform_by_code(code)
    if platform is None:
        raise NotFound("platform_not_found", "No platform with this code.")
    return platform


async def active_resource(resource_id: int) -> dict[str, Any]:
    """The resource with its hours, tariffs and qualification; 404 unless it is offered."""
    row = await catalog.resource_detail(resource_id)
    if row is None or not row["active"]:
        raise NotFound("resource_not_found", "No resource with this id.")
    return row


async def operated_platforms(principal: Principal) -> list[dict[str, Any]]:
    """The platforms the principal operates (every one for the park admin), in menu order."""
    query = restrict(Platform.select(), principal, platform=Platform.id)
    if query is None:
        return []
    return await query.order_by(Platform.position).order_by(Platform.id)


async def platform_by_code(code: str) -> dict[str, Any] | None:
    return await catalog.platform_by_code(code)


async def platform(platform_id: int) -> dict[str, Any] | None:
    return await Platform.select().where(Platform.id == platform_id).first()


async def resource(resource_id: int) -> dict[str, Any] | None:
    """Every column of one resource, offered or not (operators edit retired ones too)."""
    return await Resource.select().where(Resource.id == resource_id).first()


async def resource_names(ids: set[int]) -> dict[int, dict[str, Any]]:
    """Names, kind and unit of these resources, by id."""
    if not ids:
        return {}
    rows = await Resource.select(*RESOURCE_NAME_COLUMNS).where(Resource.id.is_in(sorted(ids)))
    return {r["id"]: r for r in rows}


async def platform_resources(platform_id: int, *,
                             slotted_only: bool = False) -> list[dict[str, Any]]:
    """The platform's offered resources; ``slotted_only`` leaves out services."""
    query = Resource.select().where((Resource.platform == platform_id) & Resource.active.eq(True))
    if slotted_only:
        query = query.where(Resource.kind.is_in(list(SlottedKind)))
    return await query.order_by(Resource.id)


async def hours_by_resource(resource_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each resource's weekly opening spans, by weekday then opening time."""
    result: dict[int, list[dict[str, Any]]] = {i: [] for i in resource_ids}
    if not resource_ids:
        return result
    rows = await OpeningHours.select().where(OpeningHours.resource.is_in(resource_ids)).order_by(
        OpeningHours.weekday).order_by(OpeningHours.opens)
    for row in rows:
        result[row["resource"]].append(row)
    return result


async def closures_between(resource_ids: list[int], start: datetime,
                           end: datetime) -> list[dict[str, Any]]:
    """Closures of these resources overlapping [start, end)."""
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


async def closure_of(resource_id: int, closure_id: int) -> bool:
    """Whether ``closure_id`` is a closure of this resource."""
    return await Closure.exists().where((Closure.id == closure_id)
                                        & (Closure.resource == resource_id))


async def platform_qualifications(platform_id: int) -> list[dict[str, Any]]:
    return await Qualification.select().where(Qualification.platform == platform_id).order_by(
        Qualification.id)


async def tariff_prices(resource_id: int) -> dict[str, int]:
    """The resource's price per tier, in fen."""
    return await catalog.tariffs(resource_id)
