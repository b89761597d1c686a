"""Enterprise admins: the enterprise's people and their bookings."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from booking import clock
from booking.accounts import queries as people_queries
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.errors import Forbidden
from booking.http.pages import viewer_zone
from booking.reservations import queries
from booking.web import views
from booking.web.bookings_data import decorate


class EnterprisePages(Controller):
    path = "/enterprise"
    include_in_schema = False
    opt = needs(Can.MANAGE_MEMBERS)

    @get("/")
    async def overview(self, request: HTMXRequest,
                       person: Annotated[int | None, Parameter(ge=1)] = None,
                       show: Annotated[str, Parameter(max_length=8)] = "upcoming") -> Template:
        principal = principal_of(request)
        if principal.enterprise_id is None:
            raise Forbidden("not_a_member", "Only members of an enterprise can see this page.")
        moment = clock.now()
        people = await people_queries.enterprise_people(principal, principal.enterprise_id)
        rows = await queries.visible_bookings(principal, limit=1000)
        rows = [r for r in rows if r["enterprise"] == principal.enterprise_id]
        if person:
            rows = [r for r in rows if r["account"] == person]
        rows = await decorate(rows, moment, people_for=principal)
        upcoming, past = views.split_bookings(rows, moment)
        counts: dict[int, int] = {}
        for row in upcoming:
            counts[row["account"]] = counts.get(row["account"], 0) + 1
        return Template("web/enterprise.html", context={
            "enterprise": await people_queries.enterprise(principal, principal.enterprise_id),
            "people": people, "counts": counts, "person": person,
            "show": "past" if show == "past" else "upcoming",
            "bookings": past[:200] if show == "past" else upcoming,
            "zone": viewer_zone(request),
        })
