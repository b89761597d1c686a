"""The catalog over HTTP: JSON API and the browsing pages."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Request, get
from litestar.params import Parameter
from litestar.response import Template

from booking.catalog import schemas
from booking.errors import NotFound
from booking.http.auth import current
from platforms import catalog

Kind = Literal["instrument", "pool", "service"]


async def _platform_or_404(code: str) -> dict:
    platform = await catalog.platform_by_code(code)
    if platform is None:
        raise NotFound("platform_not_found", "No platform with this code.")
    return platform


async def _resource_or_404(resource_id: int) -> dict:
    row = await catalog.resource_detail(resource_id)
    if row is None or not row["active"]:
        raise NotFound("resource_not_found", "No resource with this id.")
    return row


class CatalogApi(Controller):
    path = "/api"
    tags = ["catalog"]

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
        return schemas.resource_out(await _resource_or_404(resource_id))


class CatalogPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/")
    async def home(self, request: Request) -> Template:
        return Template("home.html", context={"platforms": await catalog.list_platforms()})

    @get("/platforms/{code:str}")
    async def platform(self, request: Request, code: str) -> Template:
        platform = await _platform_or_404(code)
        resources = await catalog.list_resources(platform_code=code)
        return Template("catalog/platform.html",
                        context={"platform": platform, "resources": resources})

    @get("/resources/{resource_id:int}")
    async def resource(self, request: Request, resource_id: int) -> Template:
        row = await _resource_or_404(resource_id)
        platform = await catalog.platform_by_code(row["platform_code"])
        principal = current(request)
        tier = principal.tier if principal else None
        return Template("catalog/resource.html",
                        context={"resource": row, "platform": platform, "tier": tier})
