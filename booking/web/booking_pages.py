"""My bookings: upcoming and past, cancel (terms shown first), reschedule, check-in/out,
waitlist entries and the subscription link of my calendar feed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Response, Template

from booking import clock
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import Principal, principal_of
from booking.catalog import queries as catalog
from booking.errors import DomainError, NotFound, RuleViolation
from booking.http.bounds import Id
from booking.http.pages import error_text, form_data, is_htmx, viewer_zone
from booking.reservations import queries, service, waitlist
from booking.reservations.events import ChangeKind
from booking.reservations.policies import policy_and_row
from booking.reservations.status import WaitlistStatus
from booking.web import views
from booking.web.bookings_data import cancellation_preview, decorate

ROW = "web/_booking_row.html"


async def _row_context(request: HTMXRequest, booking: dict[str, Any],
                       **extra: Any) -> dict[str, Any]:
    [row] = await decorate([booking], clock.now())
    return {"b": row, "zone": viewer_zone(request), **extra}


async def _respond_row(request: HTMXRequest, booking: dict[str, Any], notice: str = "",
                       error: str = "", status_code: int = 200) -> Response:
    if not is_htmx(request):
        return Redirect(path="/my/bookings", status_code=303)
    context = await _row_context(request, booking, notice=notice, row_error=error)
    return Template(ROW, context=context, status_code=status_code)


async def _feeds(request: HTMXRequest, principal: Principal) -> list[dict[str, Any]]:
    from booking.invites import feeds

    rows = await feeds.list_mine(principal, request.app.state.settings.base_url)
    return [f for f in rows if f["scope"] == "user" and f["revoked_at"] is None]


async def feed_section(request: HTMXRequest, principal: Principal,
                       fresh: dict[str, Any] | None = None, error: str = "") -> Template:
    context = {"feeds": await _feeds(request, principal), "fresh": fresh, "feed_error": error}
    return Template("web/_feed.html", context=context)


async def my_bookings_page(request: HTMXRequest, created: int | None = None,
                           fresh: dict[str, Any] | None = None, feed_error: str = "") -> Template:
    principal = principal_of(request)
    moment = clock.now()
    rows = await queries.visible_bookings(principal, mine_only=True, limit=500)
    rows = await decorate(rows, moment)
    upcoming, past = views.split_bookings(rows, moment)
    entries = [e for e in await waitlist.mine(principal) if e["status"] == WaitlistStatus.WAITING]
    # Unread news, such as a waited-for slot now held for the engineer; shown once.
    news = [n for n in await waitlist.notifications(principal) if n["read_at"] is None]
    names = await catalog.resource_names({e["resource"] for e in entries}
                                         | {n["booking.resource"] for n in news})
    for entry in entries:
        entry["resource_row"] = names.get(entry["resource"], {})
    for item in news:
        item["resource_row"] = names.get(item["booking.resource"], {})
    await waitlist.mark_read(principal, [n["id"] for n in news])
    return Template("web/my_bookings.html", context={
        "upcoming": views.group_series(upcoming), "past": past[:50],
        "waitlist": entries, "news": news, "zone": viewer_zone(request), "created": created,
        "feeds": await _feeds(request, principal), "fresh": fresh, "feed_error": feed_error,
    })


class BookingPages(Controller):
    path = "/my"
    include_in_schema = False

    @get("/bookings", opt=needs(Can.VIEW_BOOKINGS))
    async def my_bookings(self, request: HTMXRequest, created: int | None = None) -> Template:
        return await my_bookings_page(request, created=created)

    @get("/bookings/{booking_id:int}/row", opt=needs(Can.VIEW_BOOKINGS))
    async def row(self, request: HTMXRequest, booking_id: Id) -> Template:
        booking = await queries.visible(principal_of(request), booking_id)
        return Template(ROW, context=await _row_context(request, booking))

    @get("/bookings/{booking_id:int}/cancel", opt=needs(Can.ACT_ON_BOOKING))
    async def cancel_confirm(self, request: HTMXRequest, booking_id: Id) -> Template:
        principal = principal_of(request)
        booking = await queries.visible(principal, booking_id)
        terms = await cancellation_preview(principal, booking, clock.now())
        context = await _row_context(request, booking, terms=terms, panel="cancel")
        return Template(ROW if is_htmx(request) else "web/booking_action.html", context=context)

    @post("/bookings/{booking_id:int}/cancel", opt=needs(Can.ACT_ON_BOOKING))
    async def cancel(self, request: HTMXRequest, booking_id: Id) -> Response:
        principal = principal_of(request)
        data = await form_data(request)
        try:
            row = await service.cancel(principal, booking_id, data.get("reason", "")[:2000])
        except DomainError as exc:
            booking = await queries.visible(principal, booking_id)
            return await _respond_row(request, booking, error=error_text(exc), status_code=422)
        return await _respond_row(request, row, notice=ChangeKind.CANCELLED)

    @get("/bookings/{booking_id:int}/move", opt=needs(Can.ACT_ON_BOOKING))
    async def move_form(self, request: HTMXRequest, booking_id: Id) -> Template:
        booking = await queries.visible(principal_of(request), booking_id)
        policy, _ = await policy_and_row(booking["resource"])
        context = await _row_context(
            request, booking, panel="move", resource_zone=policy.zone,
            start_value=views.local_input(booking["start_at"], policy.zone),
            end_value=views.local_input(booking["end_at"], policy.zone))
        return Template(ROW if is_htmx(request) else "web/booking_action.html", context=context)

    @post("/bookings/{booking_id:int}/move", opt=needs(Can.ACT_ON_BOOKING))
    async def move(self, request: HTMXRequest, booking_id: Id) -> Response:
        principal = principal_of(request)
        booking = await queries.visible(principal, booking_id)
        policy, _ = await policy_and_row(booking["resource"])
        data = await form_data(request)
        start = views.parse_local(data.get("start"), policy.zone)
        end = views.parse_local(data.get("end"), policy.zone)
        try:
            if start is None or end is None:
                raise RuleViolation("invalid_time", "Enter a start and an end time.")
            row = await service.move(principal, booking_id, start, end)
        except DomainError as exc:
            context = await _row_context(
                request, booking, panel="move", resource_zone=policy.zone,
                start_value=data.get("start", ""), end_value=data.get("end", ""),
                row_error=error_text(exc))
            template = ROW if is_htmx(request) else "web/booking_action.html"
            return Template(template, context=context, status_code=422)
        return await _respond_row(request, row, notice=ChangeKind.MOVED)

    @post("/bookings/{booking_id:int}/check-in", opt=needs(Can.ACT_ON_BOOKING))
    async def check_in(self, request: HTMXRequest, booking_id: Id) -> Response:
        return await self._act(request, booking_id, service.check_in, ChangeKind.CHECKED_IN)

    @post("/bookings/{booking_id:int}/check-out", opt=needs(Can.ACT_ON_BOOKING))
    async def check_out(self, request: HTMXRequest, booking_id: Id) -> Response:
        return await self._act(request, booking_id, service.check_out, ChangeKind.CHECKED_OUT)

    async def _act(self, request: HTMXRequest, booking_id: Id, action, notice: str) -> Response:
        principal = principal_of(request)
        try:
            row = await action(principal, booking_id)
        except DomainError as exc:
            booking = await queries.visible(principal, booking_id)
            return await _respond_row(request, booking, error=error_text(exc), status_code=422)
        return await _respond_row(request, row, notice=notice)

    @post("/waitlist/{entry_id:int}/leave", opt=needs(Can.BOOK))
    async def leave_waitlist(self, request: HTMXRequest, entry_id: Id) -> Response:
        await waitlist.leave(principal_of(request), entry_id)
        if is_htmx(request):
            return Response(content="", status_code=200)
        return Redirect(path="/my/bookings", status_code=303)

    @post("/feed", opt=needs(Can.SIGNED_IN))
    async def create_feed(self, request: HTMXRequest) -> Response:
        from booking.invites import feeds

        principal = principal_of(request)
        fresh = await feeds.create(principal, "user", principal.id,
                                   request.app.state.settings.base_url)
        return await self._feed_response(request, principal, fresh)

    @post("/feed/{token_id:int}/rotate", opt=needs(Can.SIGNED_IN))
    async def rotate_feed(self, request: HTMXRequest, token_id: Id) -> Response:
        from booking.invites import feeds

        principal = principal_of(request)
        try:
            fresh = await feeds.rotate(principal, token_id, request.app.state.settings.base_url)
        except NotFound:
            raise  # another's feed is hidden, as revoking it is: the 404 page
        except DomainError as exc:
            return await self._feed_response(request, principal, None, error_text(exc))
        return await self._feed_response(request, principal, fresh)

    @post("/feed/{token_id:int}/revoke", opt=needs(Can.SIGNED_IN))
    async def revoke_feed(self, request: HTMXRequest, token_id: Id) -> Response:
        from booking.invites import feeds

        principal = principal_of(request)
        await feeds.revoke(principal, token_id, request.app.state.settings.base_url)
        return await self._feed_response(request, principal, None)

    async def _feed_response(self, request: HTMXRequest, principal: Principal,
                             fresh: dict[str, Any] | None, error: str = "") -> Response:
        if not is_htmx(request):
            # Without htmx the new URL must still be shown once: render the whole page.
            return await my_bookings_page(request, fresh=fresh, feed_error=error)
        return await feed_section(request, principal, fresh, error)
