"""Who may see which platform, and the small response helpers every operator page uses."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Redirect, Template

from booking.accounts.permissions import Can, allows, declared, require
from booking.accounts.principal import Principal
from booking.errors import DomainError, NotFound
from booking.http.auth import user_of
from booking.reservations.tables import Booking
from calendars.zones import zone_named
from i18n import gettext
from platforms.tables import Platform, Resource


def zone_of(principal: Principal) -> ZoneInfo:
    return zone_named(principal.timezone)


async def operated_platforms(principal: Principal) -> list[dict[str, Any]]:
    rows = await Platform.select().order_by(Platform.position).order_by(Platform.id)
    return [p for p in rows if allows(principal, Can.VIEW_OPERATIONS, platform_id=p["id"])]


def _require_on_platform(request: Request, platform_id: int) -> None:
    """The capability the page declared, decided now for the platform it addresses."""
    principal = user_of(request)
    wanted = declared(request.route_handler)
    if not any(allows(principal, can, platform_id=platform_id) for can in wanted):
        require(principal, wanted[0], platform_id=platform_id)


async def platform_for(request: Request, code: str) -> dict[str, Any]:
    platform = await Platform.select().where(Platform.code == code).first()
    if platform is None:
        raise NotFound("platform_not_found", "No platform with this code.")
    _require_on_platform(request, platform["id"])
    return platform


async def resource_for(request: Request, resource_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(resource row, its platform) when the requester operates that platform."""
    row = await Resource.select().where(Resource.id == resource_id).first()
    if row is None:
        raise NotFound("resource_not_found", "No resource with this id.")
    _require_on_platform(request, row["platform"])
    platform = await Platform.select().where(Platform.id == row["platform"]).first()
    return row, platform  # type: ignore[return-value]


async def booking_for(request: Request, booking_id: int) -> dict[str, Any]:
    row = await Booking.select().where(Booking.id == booking_id).first()
    if row is None:
        raise NotFound("booking_not_found", "No booking with this id.")
    _require_on_platform(request, row["platform"])
    return row


def is_htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


def error_text(exc: DomainError) -> str:
    return gettext(exc.message, **exc.params)


def colliding_ids(exc: DomainError) -> list[int]:
    return [b["id"] for b in exc.extra.get("colliding_bookings", [])]


def render(template: str, context: dict[str, Any], status: int = 200) -> Template:
    return Template(template, context=context, status_code=status)


def see_other(path: str) -> Redirect:
    return Redirect(path=path, status_code=303)


def safe_back(target: str | None, default: str) -> str:
    """Only paths of the operator pages, so a form cannot bounce a user elsewhere."""
    if target and target.startswith("/operator") and "//" not in target and "\\" not in target:
        return target
    return default
