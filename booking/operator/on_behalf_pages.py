"""Booking on behalf of an enterprise: find the enterprise, optionally pick one of its
engineers, choose a resource of the platform and a time."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response

from booking.accounts import enterprise_queries
from booking.accounts import queries as people
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import Principal, principal_of
from booking.catalog import queries as catalog
from booking.errors import DomainError, RuleViolation
from booking.http.pages import error_text, htmx_target, is_htmx, template
from booking.operator.access import platform_for
from booking.operator.forms import parse_local_datetime, parse_whole
from booking.operator.navigation import nav_context
from booking.reservations import queries as bookings
from booking.reservations import service
from booking.reservations.policies import policy_and_row
from i18n import gettext

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
SEARCH_LIMIT = 20


async def _found(principal: Principal, query: str) -> list[dict[str, Any]]:
    rows, _ = await enterprise_queries.search_enterprises(principal, query, limit=SEARCH_LIMIT,
                                                          offset=0)
    return rows


async def on_behalf_context(request: HTMXRequest, platform: dict[str, Any], query: str,
                            enterprise_id: int | None) -> dict[str, Any]:
    context = await nav_context(request, platform, "on_behalf")
    principal = principal_of(request)
    chosen = await people.enterprise(principal, enterprise_id) if enterprise_id else None
    context.update({
        "query": query,
        "found": await _found(principal, query) if query.strip() and not chosen else [],
        "enterprise": chosen,
        "engineers": await people.engineers_of(principal, chosen["id"]) if chosen else [],
        "resources": await catalog.platform_resources(platform["id"], slotted_only=True),
        "form": {"quantity": "1"}, "error": None, "notice": None, "created": None,
    })
    return context


class OnBehalfPages(Controller):
    path = "/operator"
    opt = needs(Can.BOOK_ON_BEHALF)
    include_in_schema = False

    @get("/{code:str}/on-behalf")
    async def form(self, request: HTMXRequest, code: str,
                   q: Annotated[str, Parameter(max_length=100)] = "",
                   enterprise_id: Annotated[int | None, Parameter(ge=1, le=2**31 - 1)] = None,
                   ) -> Response:
        platform = await platform_for(request, code)
        context = await on_behalf_context(request, platform, q, enterprise_id)
        if htmx_target(request) == "enterprise-results":
            return template("operator/_enterprise_results.html", context)
        return template("operator/on_behalf.html", context)

    @post("/{code:str}/on-behalf")
    async def book(self, request: HTMXRequest, code: str, data: FormData) -> Response:
        platform = await platform_for(request, code)
        principal = principal_of(request)
        try:
            enterprise_id = parse_whole(data.get("enterprise_id"), gettext("Enterprise"),
                                        minimum=1, maximum=2**31)
        except DomainError:
            enterprise_id = None
        context = await on_behalf_context(request, platform, "", enterprise_id)
        context["form"] = dict(data)
        try:
            if context["enterprise"] is None:
                raise RuleViolation("enterprise_required", "Choose an enterprise first.")
            resource_id = parse_whole(data.get("resource_id"), gettext("Resource"), minimum=1,
                                      maximum=2**31)
            if resource_id not in {r["id"] for r in context["resources"]}:
                raise RuleViolation("resource_not_on_platform",
                                    "Choose a resource of this platform.")
            account_id = parse_whole(data.get("account_id"), gettext("Engineer"), optional=True,
                                     minimum=1, maximum=2**31)
            quantity = parse_whole(data.get("quantity"), gettext("Quantity"), minimum=1)
            # A typed time is the resource's wall-clock time, as on every other path.
            zone = (await policy_and_row(resource_id))[0].zone
            start = parse_local_datetime(data.get("start"), zone, gettext("Start"))
            end = parse_local_datetime(data.get("end"), zone, gettext("End"))
            row, _ = await service.create_booking(
                principal, resource_id=resource_id, start=start, end=end,  # type: ignore[arg-type]
                quantity=quantity, note=(data.get("note") or "")[:2000],  # type: ignore[arg-type]
                enterprise_id=enterprise_id, account_id=account_id)
        except DomainError as exc:
            context["error"] = error_text(exc)
            return template("operator/_on_behalf_form.html" if is_htmx(request)
                            else "operator/on_behalf.html", context, 422)
        context["created"] = await bookings.booking_with_names(principal, row["id"])
        context["notice"] = gettext("The booking is made on behalf of the enterprise.")
        context["form"] = {"quantity": "1", "account_id": data.get("account_id", ""),
                           "resource_id": data.get("resource_id", "")}
        return template("operator/_on_behalf_form.html" if is_htmx(request)
                        else "operator/on_behalf.html", context)
