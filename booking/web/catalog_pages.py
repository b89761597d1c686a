"""Browsing the catalog: the home page, search and filters, a platform's page, and a
resource's page with its rules, hours, prices and (for slotted resources) its calendar."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import Parameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from booking import clock
from booking.accounts.permissions import Can, needs
from booking.accounts.service import held_qualification_ids
from booking.catalog.queries import active_resource, platform_or_404
from booking.http.bounds import Id
from booking.http.pages import render, viewer
from booking.web.calendar_data import calendar_context
from platforms import catalog
from platforms.choices import Category, ResourceKind

SEARCH_PAGE, RESULTS = "catalog/search.html", "catalog/_results.html"


class CatalogPages(Controller):
    path = "/"
    include_in_schema = False
    opt = needs(Can.PUBLIC)

    @get("/")
    async def home(self, request: HTMXRequest) -> Template:
        return Template("home.html", context={
            "platforms": await catalog.list_platforms(),
            "search": await search_options(request),
        })

    @get("/resources")
    async def search(
        self, request: HTMXRequest,
        q: Annotated[str | None, Parameter(max_length=100)] = None,
        platform: Annotated[str | None, Parameter(max_length=16)] = None,
        kind: Annotated[str | None, Parameter(max_length=16)] = None,
        category: Annotated[str | None, Parameter(max_length=64)] = None,
        qualified: Annotated[str | None, Parameter(max_length=4)] = None,
    ) -> Template:
        """Search and filter by platform, kind, instrument type and qualification held."""
        principal = viewer(request)
        held = None
        if qualified and principal is not None:
            held = await held_qualification_ids(principal.id, clock.now())
        rows = await catalog.list_resources(
            platform_code=platform or None,
            kind=kind if kind in ResourceKind.values() else None,
            category=category or None, text=q or None, qualification_ids=held)
        platforms = {p["id"]: p for p in await catalog.list_platforms()}
        context = {
            "resources": rows, "platforms": platforms,
            "search": await search_options(request),
            "filters": {"q": q or "", "platform": platform or "", "kind": kind or "",
                        "category": category or "", "qualified": bool(qualified)},
        }
        return render(request, SEARCH_PAGE, RESULTS, context)

    @get("/platforms/{code:str}")
    async def platform(self, code: str) -> Template:
        platform = await platform_or_404(code)
        resources = await catalog.list_resources(platform_code=code)
        return Template("catalog/platform.html",
                        context={"platform": platform, "resources": resources})

    @get("/resources/{resource_id:int}")
    async def resource(
        self, request: HTMXRequest, resource_id: Id,
        day: Annotated[str | None, Parameter(max_length=10)] = None,
        view: Annotated[str | None, Parameter(max_length=8)] = None,
    ) -> Template:
        row = await active_resource(resource_id)
        platform = await catalog.platform_by_code(row["platform_code"])
        principal = viewer(request)
        tier = principal.tier if principal else None
        qualified = None
        if principal is not None and row["qualification"] is not None:
            held = await held_qualification_ids(principal.id, clock.now())
            qualified = row["qualification"] in held
        context = {"resource": row, "platform": platform, "tier": tier, "qualified": qualified,
                   "hours": hours_by_weekday(row["hours"])}
        if row["kind"] != ResourceKind.SERVICE:
            context.update(await calendar_context(request, row, day, view))
        return Template("catalog/resource.html", context=context)


async def search_options(request: HTMXRequest) -> dict[str, Any]:
    """Choices for the catalog's filter form."""
    return {
        "platforms": await catalog.list_platforms(),
        "kinds": [(k.value, k.label) for k in ResourceKind],
        "categories": [(c, Category.label_of(c)) for c in await catalog.categories()],
        "logged_in": viewer(request) is not None,
    }


def hours_by_weekday(hours: list[dict[str, Any]]) -> list[tuple[int, list[str]]]:
    """Opening hours as (weekday, ["08:30–12:00", …]) for Monday to Sunday."""
    days: list[tuple[int, list[str]]] = []
    for weekday in range(7):
        spans = []
        for h in hours:
            if h["weekday"] != weekday:
                continue
            closes = "24:00" if h["closes"].hour == 0 and h["closes"].minute == 0 \
                else h["closes"].strftime("%H:%M")
            spans.append(f"{h['opens'].strftime('%H:%M')}–{closes}")
        days.append((weekday, spans))
    return days
