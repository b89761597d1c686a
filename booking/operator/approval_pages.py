"""The approval queue: pending bookings of the platform, approved or rejected with a reason."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Response, Template

from booking.errors import DomainError
from booking.http.auth import require_operator, user_of
from booking.operator import lookups
from booking.operator.access import booking_for, error_text, platform_for, render
from booking.operator.board_pages import nav_context
from booking.operator.booking_rows import row_response
from booking.operator.views import today_item
from booking.reservations import service
from i18n import gettext

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
MAX_REASON = 2000


class ApprovalPages(Controller):
    path = "/operator"
    guards = [require_operator]
    include_in_schema = False

    @get("/{code:str}/approvals")
    async def queue(self, request: Request, code: str) -> Template:
        platform = await platform_for(request, code)
        context = await nav_context(request, platform, "approvals")
        moment = service.now()
        rows = await lookups.pending_bookings(platform["id"])
        context["items"] = [today_item(r, moment) for r in rows]
        return render("operator/approvals.html", context)

    @post("/bookings/{booking_id:int}/approve")
    async def approve(self, request: Request, booking_id: int, data: FormData) -> Response:
        await booking_for(request, booking_id)
        reason = (data.get("reason") or "").strip()[:MAX_REASON]
        try:
            await service.approve(user_of(request), booking_id, reason)
        except DomainError as exc:
            return await row_response(request, booking_id, back=data.get("back"),
                                      mode=data.get("mode"), error=error_text(exc))
        return await row_response(request, booking_id, back=data.get("back"),
                                  mode=data.get("mode"), notice=gettext("Approved."))

    @post("/bookings/{booking_id:int}/reject")
    async def reject(self, request: Request, booking_id: int, data: FormData) -> Response:
        await booking_for(request, booking_id)
        reason = (data.get("reason") or "").strip()[:MAX_REASON]
        if not reason:
            return await row_response(request, booking_id, back=data.get("back"),
                                      mode=data.get("mode"), error=gettext(
                                          "Give the engineer a reason for the rejection."))
        try:
            await service.reject(user_of(request), booking_id, reason)
        except DomainError as exc:
            return await row_response(request, booking_id, back=data.get("back"),
                                      mode=data.get("mode"), error=error_text(exc))
        return await row_response(request, booking_id, back=data.get("back"),
                                  mode=data.get("mode"), notice=gettext("Rejected."))
