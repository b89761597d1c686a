"""The catalog's JSON API: platforms and resources (the pages are in ``booking.web``)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter

from booking.accounts.permissions import Can, needs
from booking.catalog import schemas
from booking.catalog.queries import active_resource, platform_or_404
from booking.http.bounds import Id, Offset
from platforms import catalog
from platforms.choices import ResourceKind


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
        kind: ResourceKind | None = None,
        category: Annotated[str | None, Parameter(max_length=64)] = None,
        q: Annotated[str | None, Parameter(max_length=100)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 500,
        offset: Offset = 0,
    ) -> list[schemas.ResourceSummary]:
        if platform:
            await platform_or_404(platform)
        rows = await catalog.list_resources(
            platform_code=platform, kind=kind, category=category, text=q, limit=limit,
            offset=offset,
        )
        return [schemas.resource_summary(r) for r in rows]

    @get("/resources/{resource_id:int}")
    async def resource(self, resource_id: Id) -> schemas.ResourceOut:
        return schemas.resource_out(await active_resource(resource_id))

