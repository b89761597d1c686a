"""Resolving bookings that collide with an operator's change: cancel one (with a
reason, never charged to the enterprise) or move it to another time."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.catalog import queries as catalog
from booking.errors import DomainError, NotFound
from booking.http.bounds import Id
from booking.http.pages import error_text, see_other, template, viewer_zone
from booking.operator.access import booking_for
from booking.operator.booking_rows import act_on_booking, reason_of, safe_back
from booking.operator.forms import parse_local_datetime
from booking.operator.views import STATUS_LABELS
from booking.reservations import queries as bookings
from booking.reservations import service
from booking.reservations.policies import policy_and_row
from i18n import gettext


async def _resource_zone(resource_id: int) -> ZoneInfo:
    return (await policy_and_row(resource_id))[0].zone


FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class BookingActions(Controller):
    path = "/operator/bookings"
    opt = needs(Can.OPERATE_RESOURCE)
    include_in_schema = False

    @post("/{booking_id:int}/cancel")
    async def cancel(self, request: HTMXRequest, booking_id: Id, data: FormData) -> Response:
        return await act_on_booking(
            request, booking_id, data,
            lambda: service.cancel(principal_of(request), booking_id, reason_of(data)),
            notice=gettext("Cancelled."),
            missing_reason=gettext("Give the engineer a reason for the cancellation."))

    async def _move_page(self, request: HTMXRequest, booking_id: Id, *, back: str | None,
                         error: str | None = None, values: dict[str, str] | None = None,
                         status: int = 200) -> Template:
        booking = await bookings.booking_with_names(principal_of(request), booking_id)
        if booking is None:
            raise NotFound("booking_not_found", "No booking with this id.")
        platform = await catalog.platform(booking["platform"])
        assert platform is not None
        zone = viewer_zone(request)
        # The form is typed in the resource's zone, as every path reads a time without offset.
        resource_zone = await _resource_zone(booking["resource"])
        default = f"/operator/{platform['code']}/today"
        values = values or {
            "start": booking["start_at"].astimezone(resource_zone).strftime("%Y-%m-%dT%H:%M"),
            "end": booking["end_at"].astimezone(resource_zone).strftime("%Y-%m-%dT%H:%M"),
        }
        return template("operator/move.html", {
            "booking": booking, "platform": platform, "zone": zone,
            "resource_zone": resource_zone, "error": error,
            "values": values, "back": safe_back(back, default), "tab": None,
            "status_labels": STATUS_LABELS,
        }, status)

    @get("/{booking_id:int}/move")
    async def move_form(self, request: HTMXRequest, booking_id: Id,
                        back: Annotated[str | None, Parameter(max_length=500)] = None,
                        ) -> Template:
        await booking_for(request, booking_id)
        return await self._move_page(request, booking_id, back=back)

    @post("/{booking_id:int}/move")
    async def move(self, request: HTMXRequest, booking_id: Id, data: FormData) -> Response:
        await booking_for(request, booking_id)
        principal = principal_of(request)
        scope = await bookings.booking_scope(booking_id)
        zone = await _resource_zone(scope["resource"])  # type: ignore[index]
        try:
            start = parse_local_datetime(data.get("start"), zone, gettext("Start"))
            end = parse_local_datetime(data.get("end"), zone, gettext("End"))
            await service.move(principal, booking_id, start, end)
        except DomainError as exc:
            return await self._move_page(request, booking_id, back=data.get("back"),
                                         error=error_text(exc), values=data, status=422)
        platform = await catalog.platform(scope["platform"])  # type: ignore[index]
        return see_other(safe_back(data.get("back"), f"/operator/{platform['code']}/today"))
