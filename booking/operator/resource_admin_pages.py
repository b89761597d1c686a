"""Capacity and rules of a platform's resources: the list, and per resource the booking
rules (with capacity), the weekly opening hours and the tariffs."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.catalog import queries as catalog
from booking.catalog import service as catalog_service
from booking.errors import DomainError, RuleViolation
from booking.http.bounds import Id
from booking.http.pages import error_text, template
from booking.operator.access import platform_for
from booking.operator.forms import parse_spans, parse_whole
from booking.operator.navigation import nav_context
from booking.operator.resource_context import (
    RULE_FIELDS,
    UNIT_LABELS,
    page_context,
    resource_in,
    section_response,
)
from booking.reservations import operations
from booking.reservations import queries as bookings
from i18n import gettext
from platforms.choices import ResourceKind
from platforms.policy import RULE_RANGES

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def colliding_ids(exc: DomainError) -> list[int]:
    """The bookings a refused change would have collided with, to list for resolving."""
    return [b["id"] for b in exc.extra.get("colliding_bookings", [])]


def parse_rules(data: dict[str, str], kind: str) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, label in RULE_FIELDS:
        if name == "capacity" and kind == ResourceKind.INSTRUMENT:
            continue  # an instrument is one unit; the field is shown read-only
        low, high = RULE_RANGES[name]
        changes[name] = parse_whole(data.get(name), gettext(label),
                                    optional=name == "quota_hours_per_week",
                                    minimum=low, maximum=high)
    changes["approval_required"] = data.get("approval_required") in ("on", "true", "1")
    return changes


class ResourceAdminPages(Controller):
    path = "/operator"
    opt = needs(Can.OPERATE_RESOURCE)
    include_in_schema = False

    @get("/{code:str}/resources")
    async def resources(self, request: HTMXRequest, code: str) -> Template:
        platform = await platform_for(request, code)
        context = await nav_context(request, platform, "resources")
        context["resources"] = await catalog.platform_resources(platform["id"])
        context["unit_labels"] = UNIT_LABELS
        return template("operator/resources.html", context)

    @get("/{code:str}/resources/{resource_id:int}")
    async def resource(self, request: HTMXRequest, code: str, resource_id: Id) -> Template:
        platform, resource = await resource_in(request, code, resource_id)
        return template("operator/resource.html", await page_context(request, platform, resource))

    @post("/{code:str}/resources/{resource_id:int}/rules")
    async def save_rules(self, request: HTMXRequest, code: str, resource_id: Id,
                         data: FormData) -> Response:
        platform, resource = await resource_in(request, code, resource_id)
        context = await page_context(request, platform, resource)
        state = context["rules"]
        state["values"] = {**state["values"], **data,
                           "approval_required": "on" if data.get("approval_required") else ""}
        try:
            changes = parse_rules(data, resource["kind"])
            updated = await operations.update_resource(principal_of(request), resource_id, changes)
        except DomainError as exc:
            state["error"] = error_text(exc)
            state["colliding"] = await bookings.bookings_with_names(principal_of(request),
                                                                    colliding_ids(exc))
            return section_response(request, context, "rules", failed=True)
        context["resource"] = updated
        state["notice"] = gettext("The rules are saved.")
        return section_response(request, context, "rules", failed=False)

    @post("/{code:str}/resources/{resource_id:int}/hours")
    async def save_hours(self, request: HTMXRequest, code: str, resource_id: Id,
                         data: FormData) -> Response:
        platform, resource = await resource_in(request, code, resource_id)
        context = await page_context(request, platform, resource)
        state = context["hours"]
        state["values"] = {str(day): data.get(f"day{day}", "") for day in range(7)}
        try:
            hours = []
            for day in range(7):
                try:
                    spans = parse_spans(data.get(f"day{day}"))
                except RuleViolation as exc:
                    state["field"] = str(day)
                    raise exc
                hours += [(day, opens, closes) for opens, closes in spans]
            outside = await operations.replace_hours(principal_of(request), resource_id, hours)
        except DomainError as exc:
            state["error"] = error_text(exc)
            return section_response(request, context, "hours", failed=True)
        state["notice"] = gettext("The opening hours are saved.")
        state["outside"] = await bookings.bookings_with_names(principal_of(request),
                                                              [b["id"] for b in outside])
        return section_response(request, context, "hours", failed=False)

    @post("/{code:str}/resources/{resource_id:int}/tariffs")
    async def save_tariffs(self, request: HTMXRequest, code: str, resource_id: Id,
                           data: FormData) -> Response:
        platform, resource = await resource_in(request, code, resource_id)
        context = await page_context(request, platform, resource)
        state = context["tariffs"]
        prices = {tier: data.get(tier, "") for tier in context["tiers"]}
        state["values"] = prices
        try:
            await catalog_service.set_tariffs(principal_of(request), resource_id, prices)
        except DomainError as exc:
            fields = exc.extra.get("fields", {})
            state["errors"] = {tier: gettext(message) for tier, message in fields.items()}
            state["error"] = error_text(exc)
            return section_response(request, context, "tariffs", failed=True)
        context["resource"] = await catalog.resource(resource_id)
        state["notice"] = gettext("The prices are saved.")
        return section_response(request, context, "tariffs", failed=False)
