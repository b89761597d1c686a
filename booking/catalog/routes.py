"""The catalog over HTTP: JSON API and the browsing pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from litestar import Controller, Request, get
from litestar.params import Parameter
from litestar.response import Template

from booking.accounts.permissions import Can, needs
from booking.accounts.service import held_qualification_ids
from booking.catalog import schemas
from booking.errors import NotFound
from booking.http.auth import current
from platforms import catalog
from platforms.tables import KINDS

Kind = Literal["instrument", "pool", "service"]


async def _platform_or_404(code: str) -> dict:
    platform = await catalog.platform_by_code(code)
    if platform is None:
        raise NotFound("platform_not_found", "No platform with this code.")
    return platform


async def resource_or_404(resource_id: int) -> dict:
    row = await catalog.resource_detail(resource_id)
    if row is None or not row["active"]:
        raise NotFound("resource_not_found", "No resource with this id.")
    return row


class CatalogApi(Controller):
    path = "/api"
    tags = ["catalog"]
    opt = needs(Can.PUBLIC)

    @get("/platforms")
    async def platforms(self) -> list[schemas.PlatformOut]:
        return [schemas.platform_out(p) for p in await catalog.list_platforms()]

    @get("/resources")
    async def resources(
        self,
        platform: Annotated[str | None, Parameter(max_length=16)] = None,
        kind: Kind | None = None,
        category: Annotated[str | None, Parameter(max_length=64)] = None,
        q: Annotated[str | None, Parameter(max_length=100)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 500,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> list[schemas.ResourceSummary]:
        if platform:
            await _platform_or_404(platform)
        rows = await catalog.list_resources(
            platform_code=platform, kind=kind, category=category, text=q, limit=limit,
            offset=offset,
        )
        return [schemas.resource_summary(r) for r in rows]

    @get("/resources/{resource_id:int}")
    async def resource(self, resource_id: int) -> schemas.ResourceOut:
        return schemas.resource_out(await resource_or_404(resource_id))


class CatalogPages(Controller):
    path = "/"
    include_in_schema = False
    opt = needs(Can.PUBLIC)

    @get("/")
    async def home(self, request: Request) -> Template:
        return Template("home.html", context={
            "platforms": await catalog.list_platforms(),
            "search": await search_options(request),
        })

    @get("/resources")
    async def search(
        self, request: Request,
        q: Annotated[str | None, Parameter(max_length=100)] = None,
        platform: Annotated[str | None, Parameter(max_length=16)] = None,
        kind: Annotated[str | None, Parameter(max_length=16)] = None,
        category: Annotated[str | None, Parameter(max_length=64)] = None,
        qualified: Annotated[str | None, Parameter(max_length=4)] = None,
    ) -> Template:
        """Search and filter by platform, kind, instrument type and qualification held."""
        principal = current(request)
        held = None
        if qualified and principal is not None:
            held = await held_qualification_ids(principal.id, datetime.now(UTC))
        rows = await catalog.list_resources(
            platform_code=platform or None, kind=kind if kind in KINDS else None,
            category=category or None, text=q or None, qualification_ids=held)
        platforms = {p["id"]: p for p in await catalog.list_platforms()}
        context = {
            "resources": rows, "platforms": platforms,
            "search": await search_options(request),
            "filters": {"q": q or "", "platform": platform or "", "kind": kind or "",
                        "category": category or "", "qualified": bool(qualified)},
        }
        name = "catalog/_results.html" if request.headers.get("hx-request") else "catalog/search.html"
        return Template(name, context=context)

    @get("/platforms/{code:str}")
    async def platform(self, request: Request, code: str) -> Template:
        platform = await _platform_or_404(code)
        resources = await catalog.list_resources(platform_code=code)
        return Template("catalog/platform.html",
                        context={"platform": platform, "resources": resources})

    @get("/resources/{resource_id:int}")
    async def resource(
        self, request: Request, resource_id: int,
        day: Annotated[str | None, Parameter(max_length=10)] = None,
        view: Annotated[str | None, Parameter(max_length=8)] = None,
    ) -> Template:
        from booking.web.calendar_data import calendar_context

        row = await resource_or_404(resource_id)
        platform = await catalog.platform_by_code(row["platform_code"])
        principal = current(request)
        tier = principal.tier if principal else None
        qualified = None
        if principal is not None and row["qualification"] is not None:
            held = await held_qualification_ids(principal.id, datetime.now(UTC))
            qualified = row["qualification"] in held
        context = {"resource": row, "platform": platform, "tier": tier, "qualified": qualified,
                   "hours": hours_by_weekday(row["hours"])}
        if row["kind"] != "service":
            context.update(await calendar_context(request, row, day, view))
        return Template("catalog/resource.html", context=context)


async def search_options(request: Request) -> dict:
    """Choices for the catalog's filter form."""
    from booking.web.labels import CATEGORY, KIND, label

    return {
        "platforms": await catalog.list_platforms(),
        "kinds": [(k, label(KIND, k)) for k in KINDS],
        "categories": [(c, label(CATEGORY, c)) for c in await catalog.categories()],
        "logged_in": current(request) is not None,
    }


def hours_by_weekday(hours: list[dict]) -> list[tuple[int, list[str]]]:
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
