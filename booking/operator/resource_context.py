"""The capacity-and-rules page of one resource: everything its sections show, and how
a section answers a form post (its fragment for htmx, the whole page otherwise)."""

from __future__ import annotations

from typing import Any

from litestar import Response
from litestar.plugins.htmx import HTMXRequest

from booking.catalog import queries as catalog
from booking.clock import now
from booking.errors import NotFound
from booking.http.pages import is_htmx, see_other, template, viewer_zone
from booking.operator.access import platform_for, resource_for
from booking.operator.forms import format_spans
from booking.operator.navigation import nav_context
from booking.operator.views import STATUS_LABELS, WEEKDAYS
from i18n.formatting import fen_to_decimal
from i18n.translations import N_
from platforms.choices import ClosureKind, Tier, Unit

RULE_FIELDS = [
    ("capacity", N_("Capacity (units booked at the same time)")),
    ("slot_minutes", N_("Time grid (minutes)")),
    ("min_duration_minutes", N_("Shortest booking (minutes)")),
    ("max_duration_minutes", N_("Longest booking (minutes)")),
    ("min_notice_minutes", N_("Minimum notice (minutes)")),
    ("max_advance_days", N_("Bookable ahead (days)")),
    ("buffer_minutes", N_("Buffer between bookings (minutes)")),
    ("cancel_cutoff_hours", N_("Free cancellation until (hours before the start)")),
    ("no_show_grace_minutes", N_("No-show after (minutes late)")),
    ("pending_hold_minutes", N_("Pending bookings held for (minutes)")),
    ("quota_hours_per_week", N_("Weekly quota per enterprise (hours; empty: none)")),
]
TIER_LABELS = Tier.msgids()
UNIT_LABELS = Unit.msgids()
SECTIONS = ("rules", "hours", "closures", "tariffs")


async def resource_in(request: HTMXRequest, code: str,
                      resource_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(platform, resource) of a resource page, when the resource is on that platform."""
    await platform_for(request, code)  # 403 for a platform the requester does not run
    resource, platform = await resource_for(request, resource_id)
    if platform["code"] != code:
        raise NotFound("resource_not_found", "No resource with this id.")
    return platform, resource


def rule_values(resource: dict[str, Any]) -> dict[str, str]:
    values = {name: "" if resource[name] is None else str(resource[name])
              for name, _ in RULE_FIELDS}
    values["approval_required"] = "on" if resource["approval_required"] else ""
    return values


async def hour_values(resource_id: int) -> dict[str, str]:
    hours = (await catalog.hours_by_resource([resource_id]))[resource_id]
    return {str(day): format_spans([(h["opens"], h["closes"]) for h in hours
                                    if h["weekday"] == day]) for day in range(7)}


async def tariff_values(resource_id: int) -> dict[str, str]:
    prices = await catalog.tariff_prices(resource_id)
    return {tier: str(fen_to_decimal(prices[tier])) if tier in prices else ""
            for tier in Tier.values()}


async def page_context(request: HTMXRequest, platform: dict[str, Any],
                       resource: dict[str, Any]) -> dict[str, Any]:
    context = await nav_context(request, platform, "resources")
    context.update({
        "resource": resource, "rule_fields": RULE_FIELDS, "weekdays": WEEKDAYS,
        "tiers": Tier.values(), "tier_labels": TIER_LABELS, "unit_labels": UNIT_LABELS,
        "status_labels": STATUS_LABELS, "zone": viewer_zone(request),
        "rules": {"values": rule_values(resource)},
        "hours": {"values": await hour_values(resource["id"])},
        "tariffs": {"values": await tariff_values(resource["id"]), "errors": {}},
        "closures": {"form": {"kind": ClosureKind.MAINTENANCE}},
    })
    await refresh_closures(context)
    return context


async def refresh_closures(context: dict[str, Any]) -> None:
    context["closures"]["items"] = await catalog.upcoming_closures(context["resource"]["id"], now())


def section_response(request: HTMXRequest, context: dict[str, Any], section: str, *,
                     failed: bool) -> Response:
    """htmx: the section's fragment (422 when refused). A plain post: back to the page
    after a success without anything to show, else the whole page with the section."""
    status = 422 if failed else 200
    if is_htmx(request):
        return template(f"operator/_{section}_section.html", context, status)
    state = context[section]
    if not failed and not state.get("colliding") and not state.get("outside"):
        platform, resource = context["platform"], context["resource"]
        return see_other(f"/operator/{platform['code']}/resources/{resource['id']}#{section}")
    return template("operator/resource.html", context, status)
