"""Closures of a resource: add one (colliding bookings are listed to resolve), remove
one, or import a maintenance plan or holiday calendar from an .ics file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response

from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.catalog import queries as catalog
from booking.errors import DomainError, NotFound
from booking.http.bounds import Id
from booking.http.pages import error_text
from booking.invites import importing
from booking.operator.forms import parse_local_datetime
from booking.operator.resource_context import (
    page_context,
    refresh_closures,
    resource_in,
    section_response,
)
from booking.reservations import operations
from booking.reservations import queries as bookings
from booking.reservations.policies import policy_and_row
from i18n import gettext, ngettext
from platforms.choices import ClosureKind

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


@dataclass
class ImportForm:
    file: UploadFile | None = None
    kind: str = ClosureKind.MAINTENANCE




class ClosurePages(Controller):
    path = "/operator"
    opt = needs(Can.OPERATE_RESOURCE)
    include_in_schema = False

    @post("/{code:str}/resources/{resource_id:int}/closures")
    async def add(self, request: HTMXRequest, code: str, resource_id: Id,
                  data: FormData) -> Response:
        platform, resource = await resource_in(request, code, resource_id)
        context = await page_context(request, platform, resource)
        state = context["closures"]
        state["form"] = dict(data)
        principal = principal_of(request)
        # A typed time is the resource's wall-clock time, as on every other path.
        zone = (await policy_and_row(resource_id))[0].zone
        try:
            start = parse_local_datetime(data.get("start"), zone, gettext("From"))
            end = parse_local_datetime(data.get("end"), zone, gettext("Until"))
            result = await operations.add_closure(
                principal, resource_id=resource_id, start=start, end=end,
                kind=data.get("kind") or ClosureKind.MAINTENANCE, reason=(data.get("reason") or "")[:500])
        except DomainError as exc:
            state["error"] = error_text(exc)
            return section_response(request, context, "closures", failed=True)
        state["form"] = {"kind": ClosureKind.MAINTENANCE}
        state["colliding"] = await bookings.bookings_with_names(
            principal_of(request), [b["id"] for b in result["colliding_bookings"]])
        state["notice"] = gettext("The closure is added.")
        await refresh_closures(context)
        return section_response(request, context, "closures", failed=False)

    @post("/{code:str}/resources/{resource_id:int}/closures/{closure_id:int}/delete")
    async def remove(self, request: HTMXRequest, code: str, resource_id: Id, closure_id: Id,
                     data: FormData) -> Response:
        platform, resource = await resource_in(request, code, resource_id)
        if not await catalog.closure_of(resource_id, closure_id):
            raise NotFound("closure_not_found", "No such closure.")
        context = await page_context(request, platform, resource)
        try:
            await operations.remove_closure(principal_of(request), closure_id)
        except DomainError as exc:
            context["closures"]["error"] = error_text(exc)
            return section_response(request, context, "closures", failed=True)
        context["closures"]["notice"] = gettext("The closure is removed.")
        await refresh_closures(context)
        return section_response(request, context, "closures", failed=False)

    @post("/{code:str}/resources/{resource_id:int}/closures/import")
    async def import_ics(
        self, request: HTMXRequest, code: str, resource_id: Id,
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response:
        platform, resource = await resource_in(request, code, resource_id)
        context = await page_context(request, platform, resource)
        state = context["closures"]
        upload, kind = data.file, data.kind
        if upload is None or not upload.filename:
            state["import_error"] = gettext("Choose an .ics file to import.")
            return section_response(request, context, "closures", failed=True)
        content = await upload.read(importing.MAX_BYTES + 1)
        try:
            result = await importing.import_closures(principal_of(request), resource_id, content,
                                                     kind=str(kind or ClosureKind.MAINTENANCE))
        except DomainError as exc:
            state["import_error"] = error_text(exc)
            return section_response(request, context, "closures", failed=True)
        state["notice"] = ngettext(
            "Imported %(num)s closure (%(created)s new, %(updated)s updated).",
            "Imported %(num)s closures (%(created)s new, %(updated)s updated).",
            result["occurrences"], created=len(result["created"]),
            updated=len(result["updated"]))
        state["colliding"] = await bookings.bookings_with_names(
            principal_of(request), [b["id"] for b in result["colliding_bookings"]])
        await refresh_closures(context)
        return section_response(request, context, "closures", failed=False)
