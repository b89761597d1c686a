"""The approval queue: pending bookings of the platform, approved or rejected with a reason."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from booking import clock
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.http.bounds import Id
from booking.http.pages import template
from booking.operator.access import platform_for
from booking.operator.booking_rows import act_on_booking, reason_of
from booking.operator.navigation import nav_context
from booking.operator.views import today_item
from booking.reservations import queries as bookings
from booking.reservations import service
from i18n import gettext

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
MAX_REASON = 2000


class ApprovalPages(Controller):
    path = "/operator"
    opt = needs(Can.APPROVE_BOOKINGS)
    include_in_schema = False

    @get("/{code:str}/approvals")
    async def queue(self, request: HTMXRequest, code: str) -> Template:
        platform = await platform_for(request, code)
        context = await nav_context(request, platform, "approvals")
        moment = clock.now()
        rows = await bookings.pending_bookings(principal_of(request), platform["id"])
        context["items"] = [today_item(r, moment) for r in rows]
        return template("operator/approvals.html", context)

    @post("/bookings/{booking_id:int}/approve")
    async def approve(self, request: HTMXRequest, booking_id: Id, data: FormData) -> Response:
        return await act_on_booking(
            request, booking_id, data,
            lambda: service.approve(principal_of(request), booking_id, reason_of(data)),
            notice=gettext("Approved."))

    @post("/bookings/{booking_id:int}/reject")
    async def reject(self, request: HTMXRequest, booking_id: Id, data: FormData) -> Response:
        return await act_on_booking(
            request, booking_id, data,
            lambda: service.reject(principal_of(request), booking_id, reason_of(data)),
            notice=gettext("Rejected."),
            missing_reason=gettext("Give the engineer a reason for the rejection."))
