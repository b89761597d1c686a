"""Qualifications of the platform: who holds them (and until when), who may soon need
them, and granting (with a validity) or revoking them for an engineer."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response

from booking.accounts import queries as people
from booking.accounts import service as accounts
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.catalog import queries as catalog
from booking.clock import now
from booking.errors import DomainError, NotFound, RuleViolation
from booking.http.bounds import Id
from booking.http.pages import error_text, htmx_target, is_htmx, see_other, template
from booking.operator.access import platform_for
from booking.operator.forms import parse_whole
from booking.operator.navigation import nav_context
from booking.reservations import queries as bookings
from i18n import gettext

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
Query = Annotated[str, Parameter(max_length=100)]
EXPIRING_SOON = timedelta(days=30)
NEEDING_SINCE = timedelta(days=90)
# Large platforms have thousands of holders: the page lists the latest, search finds anyone.
SHOWN_HOLDERS = 50
SHOWN_NEEDING = 50


def lacking(bookers: list[dict[str, Any]], held_by: set[int],
            limit: int = SHOWN_NEEDING) -> list[dict[str, Any]]:
    """Engineers with recent bookings on the platform who do not hold the qualification
    (one row each, most recent booker first): the people likely to ask for it next."""
    seen: dict[int, dict[str, Any]] = {}
    for row in bookers:
        if row["account"] not in held_by and row["account"] not in seen:
            seen[row["account"]] = row
    return list(seen.values())[:limit]


async def qualification_context(request: HTMXRequest, platform: dict[str, Any],
                                query: str = "") -> dict[str, Any]:
    context = await nav_context(request, platform, "qualifications")
    principal = principal_of(request)
    moment = now()
    quals = await catalog.platform_qualifications(platform["id"])
    grants = await people.platform_grants(principal, platform["id"])
    bookers = await bookings.recent_bookers(principal, platform["id"], moment - NEEDING_SINCE)
    sections = []
    for qual in quals:
        mine = [g for g in grants if g["qualification"] == qual["id"]]
        active = [g for g in mine if g["expires_at"] > moment]
        holder_ids = {g["account"] for g in active}
        # Expired grants of people who hold no current one: renewals to consider.
        lapsed, seen = [], set(holder_ids)
        for grant in mine:
            if grant["expires_at"] <= moment and grant["account"] not in seen:
                lapsed.append(grant)
                seen.add(grant["account"])
        needing = lacking(bookers, seen)
        sections.append({"qualification": qual, "active": active[:SHOWN_HOLDERS],
                         "more": max(0, len(active) - SHOWN_HOLDERS),
                         "lapsed": lapsed[:SHOWN_HOLDERS], "needing": needing})
    found = []
    if query.strip():
        found = await people.find_engineers(principal, query)
        held = await people.grants_held(principal, platform["id"], [f["id"] for f in found],
                                        moment)
        for person in found:
            person["held"] = held[person["id"]]
    context.update({"sections": sections, "qualifications": quals, "query": query,
                    "found": found, "now": moment, "soon": moment + EXPIRING_SOON,
                    "grant": {}})
    return context


def answer(request: HTMXRequest, context: dict[str, Any], failed: bool) -> Response:
    if is_htmx(request):
        return template("operator/_qualifications_section.html", context,
                        422 if failed else 200)
    if not failed:
        return see_other(f"/operator/{context['platform']['code']}/qualifications"
                         + (f"?q={context['query']}" if context["query"] else ""))
    return template("operator/qualifications.html", context, 422)


class QualificationPages(Controller):
    path = "/operator"
    opt = needs(Can.MANAGE_QUALIFICATIONS)
    include_in_schema = False

    @get("/{code:str}/qualifications")
    async def overview(self, request: HTMXRequest, code: str, q: Query = "") -> Response:
        platform = await platform_for(request, code)
        context = await qualification_context(request, platform, q)
        if htmx_target(request) == "engineer-results":
            return template("operator/_engineer_results.html", context)
        return template("operator/qualifications.html", context)

    @post("/{code:str}/qualifications/grant")
    async def grant(self, request: HTMXRequest, code: str, data: FormData) -> Response:
        platform = await platform_for(request, code)
        query = (data.get("q") or "")[:100]
        try:
            account_id = parse_whole(data.get("account_id"), gettext("Engineer"), minimum=1,
                                     maximum=2**31)
            qualification_id = parse_whole(data.get("qualification_id"),
                                           gettext("Qualification"), minimum=1, maximum=2**31)
            valid_days = parse_whole(data.get("valid_days"), gettext("Valid for (days)"),
                                     optional=True, minimum=1, maximum=3650)
            quals = {q["id"] for q in await catalog.platform_qualifications(platform["id"])}
            if qualification_id not in quals:
                raise RuleViolation("qualification_not_found", "No such qualification.")
            await accounts.grant_qualification(operator=principal_of(request), account_id=account_id,  # type: ignore[arg-type]
                                               qualification_id=qualification_id,  # type: ignore[arg-type]
                                               valid_days=valid_days)
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            context = await qualification_context(request, platform, query)
            context["grant"] = {"error": error_text(exc), "account_id": data.get("account_id")}
            return answer(request, context, failed=True)
        context = await qualification_context(request, platform, query)
        context["grant"] = {"notice": gettext("The qualification is granted.")}
        return answer(request, context, failed=False)

    @post("/{code:str}/qualifications/{grant_id:int}/revoke")
    async def revoke(self, request: HTMXRequest, code: str, grant_id: Id,
                     data: FormData) -> Response:
        platform = await platform_for(request, code)
        query = (data.get("q") or "")[:100]
        grants = await people.platform_grants(principal_of(request), platform["id"])
        if grant_id not in {g["id"] for g in grants}:
            raise NotFound("grant_not_found", "No such qualification grant.")
        await accounts.revoke_qualification(operator=principal_of(request), grant_id=grant_id)
        context = await qualification_context(request, platform, query)
        context["grant"] = {"notice": gettext("The qualification is revoked.")}
        return answer(request, context, failed=False)
