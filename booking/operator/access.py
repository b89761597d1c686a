"""Which platform, resource or booking an operator page addresses, decided for the
requester before the page reads or writes anything of it."""

from __future__ import annotations

from typing import Any

from litestar import Request

from booking.accounts.permissions import allows, declared, require
from booking.accounts.principal import principal_of
from booking.catalog import queries as catalog
from booking.errors import NotFound
from booking.reservations import queries as bookings


def _require_on_platform(request: Request, platform_id: int) -> None:
    """The capability the page declared, decided now for the platform it addresses."""
    principal = principal_of(request)
    wanted = declared(request.route_handler)
    if not any(allows(principal, can, platform_id=platform_id) for can in wanted):
        require(principal, wanted[0], platform_id=platform_id)


async def platform_for(request: Request, code: str) -> dict[str, Any]:
    platform = await catalog.platform_by_code(code)
    if platform is None:
        raise NotFound("platform_not_found", "No platform with this code.")
    _require_on_platform(request, platform["id"])
    return platform


async def resource_for(request: Request, resource_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(resource row, its platform) when the requester operates that platform."""
    row = await catalog.resource(resource_id)
    if row is None:
        raise NotFound("resource_not_found", "No resource with this id.")
    _require_on_platform(request, row["platform"])
    platform = await catalog.platform(row["platform"])
    return row, platform  # type: ignore[return-value]


async def booking_for(request: Request, booking_id: int) -> dict[str, Any]:
    """The booking's platform, enterprise and booker, when the requester may act on it."""
    row = await bookings.booking_scope(booking_id)
    if row is None:
        raise NotFound("booking_not_found", "No booking with this id.")
    _require_on_platform(request, row["platform"])
    return row

