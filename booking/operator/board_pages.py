"""The today board (who is coming, check-in/out, no-shows, pending decisions) and the
resource × time board of a platform, one day or one week."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from booking import clock
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.catalog import queries as catalog
from booking.http.bounds import Id
from booking.http.pages import safe_path, see_other, template
from booking.operator.access import platform_for
from booking.operator.booking_rows import act_on_booking
from booking.operator.forms import parse_day
from booking.operator.navigation import nav_context
from booking.operator.views import (
    WEEKDAYS,
    day_span,
    day_timeline,
    today_board,
    week_grid,
    week_of,
)
from booking.reservations import queries as booking_queries
from booking.reservations import service
from booking.reservations.status import BookingStatus
from calendars.opening import WeeklyHours, open_windows
from calendars.zones import zone_named

SHOWN_ON_BOARD = [BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.IN_USE,
                  BookingStatus.COMPLETED, BookingStatus.NO_SHOW]
Day = Annotated[str | None, Parameter(max_length=10)]
FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class BoardPages(Controller):
    path = "/operator"
    opt = needs(Can.VIEW_OPERATIONS)
    include_in_schema = False

    @get("/")
    async def landing(self, request: HTMXRequest,
                      platform: Annotated[str | None, Parameter(max_length=80)] = None) -> Response:
        platforms = await catalog.operated_platforms(principal_of(request))
        if platform:  # the platform menu without JavaScript
            for p in platforms:
                if safe_path(platform, "", within=f"/operator/{p['code']}/"):
                    return see_other(platform)
        if len(platforms) == 1:
            return see_other(f"/operator/{platforms[0]['code']}/today")
        return template("operator/landing.html", {"platforms": platforms, "tab": None})

    @get("/{code:str}")
    async def platform_home(self, request: HTMXRequest, code: str) -> Response:
        await platform_for(request, code)
        return see_other(f"/operator/{code}/today")

    @get("/{code:str}/today")
    async def today(self, request: HTMXRequest, code: str, day: Day = None) -> Template:
        platform = await platform_for(request, code)
        context = await nav_context(request, platform, "today")
        zone = context["zone"]
        moment = clock.now()
        shown = parse_day(day, moment.astimezone(zone).date())
        start, end = day_span(shown, zone)
        rows = await booking_queries.platform_bookings(principal_of(request), platform["id"], start,
                                                       end)
        resources = await catalog.platform_resources(platform["id"])
        graces = {r["id"]: timedelta(minutes=r["no_show_grace_minutes"]) for r in resources}
        context.update({
            "board": today_board(rows, moment, graces), "day": shown,
            "is_today": shown == moment.astimezone(zone).date(),
            "prev_day": shown - timedelta(days=1), "next_day": shown + timedelta(days=1),
            "day_start": start,
        })
        return template("operator/today.html", context)

    @get("/{code:str}/board")
    async def board(self, request: HTMXRequest, code: str, day: Day = None,
                    view: Annotated[str, Parameter(max_length=8)] = "day") -> Template:
        platform = await platform_for(request, code)
        context = await nav_context(request, platform, "board")
        zone = context["zone"]
        moment = clock.now()
        shown = parse_day(day, moment.astimezone(zone).date())
        view = "week" if view == "week" else "day"
        days = week_of(shown) if view == "week" else [shown]
        start, _ = day_span(days[0], zone)
        _, end = day_span(days[-1], zone)
        resources = await catalog.platform_resources(platform["id"], slotted_only=True)
        ids = [r["id"] for r in resources]
        bookings = await booking_queries.platform_bookings(principal_of(request), platform["id"],
                                                           start, end, statuses=SHOWN_ON_BOARD)
        closures = await catalog.closures_between(ids, start, end)
        step = timedelta(days=7 if view == "week" else 1)
        context.update({"view": view, "day": shown, "days": days,
                        "prev_day": shown - step, "next_day": shown + step,
                        "today": moment.astimezone(zone).date(), "week_start": start,
                        "weekday_names": WEEKDAYS})
        if view == "day":
            hours = await catalog.hours_by_resource(ids)
            windows = {}
            for resource in resources:
                weekly = [WeeklyHours(h["weekday"], h["opens"], h["closes"])
                          for h in hours[resource["id"]]]
                windows[resource["id"]] = [
                    (w.start, w.end) for w in open_windows(weekly, start, end,
                                                           _zone(platform))]
            context["timeline"] = day_timeline(shown, zone, resources, bookings, closures,
                                               windows, now=moment)
        else:
            context["week"] = week_grid(days, zone, resources, bookings, closures)
        return template("operator/board.html", context)

    @post("/bookings/{booking_id:int}/check-in", opt=needs(Can.OPERATE_RESOURCE))
    async def check_in(self, request: HTMXRequest, booking_id: Id, data: FormData) -> Response:
        return await act_on_booking(request, booking_id, data,
                                    lambda: service.check_in(principal_of(request), booking_id))

    @post("/bookings/{booking_id:int}/check-out", opt=needs(Can.OPERATE_RESOURCE))
    async def check_out(self, request: HTMXRequest, booking_id: Id, data: FormData) -> Response:
        return await act_on_booking(request, booking_id, data,
                                    lambda: service.check_out(principal_of(request), booking_id))


def _zone(platform: dict):
    return zone_named(platform.get("timezone"))
