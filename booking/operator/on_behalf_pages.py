"""Booking on behalf of an enterprise: find the enterprise, optionally pick one of its
engineers, choose a resource of the platform and a time."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.response import Response

from booking.accounts.permissions import Can, needs
from booking.errors import DomainError, RuleViolation
from booking.http.auth import user_of
from booking.operator import lookups
from booking.operator.access import error_text, is_htmx, platform_for, render
from booking.operator.board_pages import nav_context
from booking.operator.forms import parse_local_datetime, parse_whole
from booking.reservations import service
from booking.reservations.policies import policy_and_row
from i18n import gettext

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


async def on_behalf_context(request: Request, platform: dict[str, Any], query: str,
                            enterprise_id: int | None) -> dict[str, Any]:
    context = await nav_context(request, platform, "on_behalf")
    chosen = await lookups.enterprise(enterprise_id) if enterprise_id else None
    context.update({
        "query": query,
        "found": await lookups.find_enterprises(query) if query.strip() and not chosen else [],
        "enterprise": chosen,
        "engineers": await lookups.engineers_of(chosen["id"]) if chosen else [],
        "resources": await lookups.platform_resources(platform["id"], slotted_only=True),
        "form": {"quantity": "1"}, "error": None, "notice": None, "created": None,
    })
    return context


class OnBehalfPages(Controller):
    path = "/operator"
    opt = needs(Can.BOOK_ON_BEHALF)
    include_in_schema = False

    @get("/{code:str}/on-behalf")
    async def form(self, request: Request, code: str,
                   q: Annotated[str, Parameter(max_length=100)] = "",
                   enterprise_id: int | None = None) -> Response:
        platform = await platform_for(request, code)
        context = await on_behalf_context(request, platform, q, enterprise_id)
        if is_htmx(request) and request.headers.get("hx-target") == "enterprise-results":
            return render("operator/_enterprise_results.html", context)
        return render("operator/on_behalf.html", context)

    @post("/{code:str}/on-behalf")
    async def book(self, request: Request, code: str, data: FormData) -> Response:
        platform = await platform_for(request, code)
        principal = user_of(request)
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
            return render("operator/_on_behalf_form.html" if is_htmx(request)
                          else "operator/on_behalf.html", context, 422)
        context["created"] = await lookups.booking_with_names(row["id"])
        context["notice"] = gettext("The booking is made on behalf of the enterprise.")
        context["form"] = {"quantity": "1", "account_id": data.get("account_id", ""),
                           "resource_id": data.get("resource_id", "")}
        return render("operator/_on_behalf_form.html" if is_htmx(request)
                      else "operator/on_behalf.html", context)
