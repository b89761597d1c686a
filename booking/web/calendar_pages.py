"""The resource calendar, the booking form with its estimated cost, and the first-free-slot search."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import Parameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Response, Template

from booking import clock
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import Principal, principal_of
from booking.catalog.queries import active_resource
from booking.errors import DomainError, RuleViolation
from booking.http.bounds import Id
from booking.http.pages import failed, form_data, is_htmx, render, viewer, viewer_zone
from booking.reservations import service
from booking.reservations.availability import earliest
from booking.reservations.policies import policy_and_row
from booking.reservations.schemas import parse_duration
from booking.web import views
from booking.web.calendar_data import calendar_context
from booking.web.labels import CATEGORY, label
from platforms import catalog, pricing
from platforms.choices import ResourceKind
from platforms.policy import RULE_RANGES

FORM_PAGE, FORM_FRAGMENT = "web/book.html", "web/_booking_form.html"
DURATIONS = (("PT30M", 30), ("PT1H", 60), ("PT2H", 120), ("PT4H", 240), ("P1D", 1440))


def estimate(resource: dict[str, Any], tier: str | None, start: datetime | None,
             end: datetime | None, quantity: int) -> int | None:
    """Duration × the tariff of the booker's tier, exact in fen; None when unknown."""
    return pricing.estimate_fen(resource, resource["tariffs"], tier, start, end, quantity)


def _quantity(text: str | None) -> int:
    """The quantity to show again in the form; what is booked is ``_ordered``."""
    try:
        return min(max(int(text or 1), 1), RULE_RANGES["capacity"][1])
    except ValueError:
        return 1


def _ordered(text: str | None, capacity: int) -> int:
    """The quantity the booker typed, refused unless a whole number from 1 to capacity:
    reading ``-5`` or ``abc`` as one unit would book what nobody asked for."""
    value = (text or "1").strip()
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= capacity:
        raise RuleViolation("invalid_quantity",
                            "Enter a whole number of units from 1 to %(capacity)s.",
                            params={"capacity": capacity})
    return int(value)


def form_context(resource: dict[str, Any], principal: Principal, start: datetime | None,
                 end: datetime | None, quantity: int, note: str = "",
                 key: str | None = None) -> dict[str, Any]:
    zone = resource["zone"]
    return {
        "resource": resource, "quantity": quantity, "note": note,
        "start_value": views.local_input(start, zone) if start else "",
        "end_value": views.local_input(end, zone) if end else "",
        "start": start, "end": end, "zone": zone,
        "estimate_fen": estimate(resource, principal.tier, start, end, quantity),
        "idempotency_key": key or uuid.uuid4().hex, "error": None,
    }


async def bookable_resource(resource_id: int) -> dict[str, Any]:
    resource = await active_resource(resource_id)
    policy, _ = await policy_and_row(resource_id)
    resource["zone"] = policy.zone
    resource["policy"] = policy
    return resource


class CalendarPages(Controller):
    include_in_schema = False

    @get("/resources/{resource_id:int}/calendar", opt=needs(Can.PUBLIC))
    async def calendar(self, request: HTMXRequest, resource_id: Id,
                       day: Annotated[str | None, Parameter(max_length=10)] = None,
                       view: Annotated[str | None, Parameter(max_length=8)] = None
                       ) -> Template | Redirect:
        """The calendar fragment (htmx); without htmx, the resource page at that week."""
        if not is_htmx(request):
            query = f"?day={day or ''}&view={view or 'week'}"
            return Redirect(path=f"/resources/{resource_id}{query}")
        resource = await active_resource(resource_id)
        return Template("web/_calendar.html",
                        context=await calendar_context(request, resource, day, view))

    @get("/resources/{resource_id:int}/book", opt=needs(Can.BOOK))
    async def booking_form(self, request: HTMXRequest, resource_id: Id,
                           start: Annotated[str | None, Parameter(max_length=40)] = None,
                           end: Annotated[str | None, Parameter(max_length=40)] = None,
                           quantity: Annotated[str | None, Parameter(max_length=8)] = None,
                           ) -> Template:
        principal = principal_of(request)
        resource = await bookable_resource(resource_id)
        policy = resource["policy"]
        begin = views.parse_local(start, resource["zone"])
        finish = views.parse_local(end, resource["zone"])
        if begin and (finish is None or finish <= begin):
            finish = views.default_end(begin, policy.slot, policy.min_duration)
        context = form_context(resource, principal, begin, finish, _quantity(quantity))
        return render(request, FORM_PAGE, FORM_FRAGMENT, context)

    @get("/resources/{resource_id:int}/estimate", opt=needs(Can.BOOK))
    async def estimate_fragment(self, request: HTMXRequest, resource_id: Id,
                                start: Annotated[str | None, Parameter(max_length=40)] = None,
                                end: Annotated[str | None, Parameter(max_length=40)] = None,
                                quantity: Annotated[str | None, Parameter(max_length=8)] = None,
                                ) -> Template:
        resource = await bookable_resource(resource_id)
        zone = resource["zone"]
        fen = estimate(resource, principal_of(request).tier, views.parse_local(start, zone),
                       views.parse_local(end, zone), _quantity(quantity))
        return Template("web/_estimate.html", context={"estimate_fen": fen,
                                                       "resource": resource})

    @post("/resources/{resource_id:int}/book", opt=needs(Can.BOOK))
    async def book(self, request: HTMXRequest, resource_id: Id) -> Response:
        principal = principal_of(request)
        resource = await bookable_resource(resource_id)
        data = await form_data(request)
        zone = resource["zone"]
        start, end = views.parse_local(data.get("start"), zone), views.parse_local(data.get("end"), zone)
        quantity = _quantity(data.get("quantity"))
        note = data.get("note", "")[:2000]
        key = data.get("idempotency_key") or None
        context = form_context(resource, principal, start, end, quantity, note, key)
        try:
            if start is None or end is None:
                raise RuleViolation("invalid_time", "Enter a start and an end time.")
            quantity = _ordered(data.get("quantity"), resource["policy"].capacity)
            row, _ = await service.create_booking(
                principal, resource_id=resource_id, start=start, end=end, quantity=quantity,
                note=note, idempotency_key=f"web:{key}" if key else None)
        except DomainError as exc:
            return failed(request, FORM_PAGE, FORM_FRAGMENT, context, exc)
        if not is_htmx(request):
            return Redirect(path=f"/my/bookings?created={row['id']}", status_code=303)
        return Template("web/_booking_done.html",
                        context={"booking": row, "resource": resource,
                                 "zone": viewer_zone(request)},
                        headers={"HX-Trigger": "booking-created"})

    @get("/find", opt=needs(Can.PUBLIC))
    async def first_free(self, request: HTMXRequest,
                         category: Annotated[str | None, Parameter(max_length=64)] = None,
                         duration: Annotated[str, Parameter(max_length=8)] = "PT1H",
                         quantity: Annotated[str | None, Parameter(max_length=8)] = None,
                         after: Annotated[str | None, Parameter(max_length=20)] = None,
                         ) -> Template:
        """The earliest free slots across the resources of an instrument type."""
        zone = viewer_zone(request)
        moment = clock.now()
        categories = await catalog.categories()
        slotted = await catalog.list_resources()
        slotted_categories = sorted({r["category"] for r in slotted if r["kind"] != ResourceKind.SERVICE})
        results: list[dict[str, Any]] = []
        error = None
        if category:
            try:
                length = parse_duration(duration)
                begin = views.parse_local(after, zone) or moment
                results = await earliest(kind=None, platform=None, category=category,
                                         duration=length, after=max(begin, moment),
                                         quantity=_quantity(quantity), limit=10, now=moment)
            except DomainError as exc:
                error = exc
        context = {
            "categories": [(c, label(CATEGORY, c)) for c in categories
                           if c in slotted_categories],
            "category": category, "duration": duration, "durations": DURATIONS,
            "quantity": _quantity(quantity), "after": after or "", "results": results,
            "zone": zone, "searched": bool(category), "error": None,
            "principal": viewer(request), "slot_length": timedelta(0),
        }
        if error is not None:
            return failed(request, "web/find.html", "web/_find_results.html", context, error)
        return render(request, "web/find.html", "web/_find_results.html", context)
