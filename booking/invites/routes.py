"""Invite downloads, feed tokens, public feeds, closure import and the outbox view."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, MediaType, Request, Response, delete, get, post
from litestar.params import Parameter

from booking import clock
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import principal_of
from booking.errors import RuleViolation
from booking.http.bounds import Id, IdField
from booking.invites import content, feed_build, feeds, importing, outbox, series_export
from booking.invites.status import OutboxStatus
from booking.reservations import queries as bookings
from calendars.ical import build_calendar
from calendars.zones import zone_named
from i18n import active_locale, gettext
from platforms.choices import ClosureKind

# Litestar adds "; charset=utf-8" to text/* media types.
CALENDAR = "text/calendar"


class FeedIn(msgspec.Struct, forbid_unknown_fields=True):
    scope: Literal["user", "enterprise", "resource", "platform"]
    target_id: IdField | None = None


def _base_url(request: Request) -> str:
    return request.app.state.settings.base_url


def _ics(body: bytes, filename: str, headers: dict[str, str] | None = None) -> Response:
    return Response(body, media_type=CALENDAR, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-cache", **(headers or {})})


async def booking_invite(request: Request, booking_id: int) -> Response:
    """The booking as a calendar file (METHOD:PUBLISH) in the viewer's language and zone."""
    principal = principal_of(request)
    booking = await bookings.visible(principal, booking_id)
    directory = await content.Directory.load([booking])
    locale = active_locale()
    zone = zone_named(principal.timezone)
    settings = request.app.state.settings
    data = content.booking_event(booking, directory, base_url=settings.base_url,
                                 locale=locale, zone=zone, organizer_email=settings.mail_from)
    body = build_calendar([data], method="PUBLISH", zone=zone, dtstamp=clock.now(),
                          language=content.language_tag(locale))
    return _ics(body, f"booking-{booking_id}.ics")


class InvitesApi(Controller):
    path = "/api"
    tags = ["calendars"]

    @get("/bookings/{booking_id:int}/invite.ics", media_type=CALENDAR,
         opt=needs(Can.VIEW_BOOKINGS))
    async def booking_ics(self, request: Request, booking_id: Id) -> Response:
        """Download one booking for a calendar client."""
        return await booking_invite(request, booking_id)

    @get("/series/{series_id:int}/invite.ics", media_type=CALENDAR,
         opt=needs(Can.VIEW_BOOKINGS))
    async def series_ics(self, request: Request, series_id: Id) -> Response:
        """A series as one event with RRULE and EXDATEs for the dates it does not take place."""
        body = await series_export.series_calendar(
            principal_of(request), series_id, base_url=_base_url(request), locale=active_locale())
        return _ics(body, f"series-{series_id}.ics")

    @post("/resources/{resource_id:int}/closures/import", status_code=201,
          opt=needs(Can.OPERATE_RESOURCE))
    async def import_closures(
        self, request: Request, resource_id: Id,
        kind: ClosureKind = ClosureKind.MAINTENANCE,
    ) -> dict[str, Any]:
        """Closures from an .ics file: multipart field ``file`` or a text/calendar body."""
        data = await _upload(request)
        result = await importing.import_closures(principal_of(request), resource_id, data, kind=kind)
        return {
            "occurrences": result["occurrences"],
            "created": [{"id": c["id"], "start": c["start_at"].isoformat(),
                         "end": c["end_at"].isoformat(), "reason": c["reason"],
                         "source_uid": c["source_uid"]} for c in result["created"]],
            "updated": result["updated"],
            "colliding_bookings": result["colliding_bookings"],
        }

    @get("/outbox", opt=needs(Can.VIEW_OPERATIONS))
    async def outbox_messages(
        self, request: Request,
        status: OutboxStatus | None = None,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
    ) -> list[dict[str, Any]]:
        """Invite e-mails of the operator's platforms and whether the SMTP server took them."""
        rows = await outbox.visible_messages(principal_of(request), status=status, limit=limit)
        return [{**r, "next_attempt_at": _iso(r["next_attempt_at"]),
                 "created_at": _iso(r["created_at"]), "sent_at": _iso(r["sent_at"]),
                 "booking_id": r.pop("booking")} for r in rows]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


async def _upload(request: Request) -> bytes:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or not hasattr(upload, "read"):
            raise RuleViolation("file_required", "Attach the calendar file as 'file'.")
        return await upload.read()
    body = await request.body()
    if not body:
        raise RuleViolation("file_required", "Attach the calendar file as 'file'.")
    return body


class BookingPageInvite(Controller):
    """The same download from the booking page (session cookie)."""

    path = "/bookings"
    include_in_schema = False
    opt = needs(Can.VIEW_BOOKINGS)

    @get("/{booking_id:int}/invite.ics", media_type=CALENDAR)
    async def booking_ics(self, request: Request, booking_id: Id) -> Response:
        return await booking_invite(request, booking_id)


class FeedTokensApi(Controller):
    path = "/api/feeds"
    tags = ["calendars"]
    opt = needs(Can.SIGNED_IN)

    @get("/")
    async def mine(self, request: Request) -> list[dict[str, Any]]:
        """My subscription feeds (the secret itself is only shown when made)."""
        return await feeds.list_mine(principal_of(request), _base_url(request))

    @post("/")
    async def create(self, request: Request, data: FeedIn) -> dict[str, Any]:
        """A new subscription URL; ``token`` and ``url`` are shown this once."""
        return await feeds.create(principal_of(request), data.scope, data.target_id,
                                  _base_url(request))

    @post("/{token_id:int}/rotate", status_code=201)
    async def rotate(self, request: Request, token_id: Id) -> dict[str, Any]:
        """Replace the secret; the old URL stops working."""
        return await feeds.rotate(principal_of(request), token_id, _base_url(request))

    @delete("/{token_id:int}", status_code=200)
    async def revoke(self, request: Request, token_id: Id) -> dict[str, Any]:
        return await feeds.revoke(principal_of(request), token_id, _base_url(request))


def _not_found() -> Response:
    return Response({"code": "feed_not_found", "message": gettext("No such calendar feed.")},
                    status_code=404, media_type=MediaType.JSON)


@get("/feeds/{name:str}", include_in_schema=False, media_type=CALENDAR, opt=needs(Can.PUBLIC))
async def public_feed(request: Request, name: str) -> Response:
    """The subscription URL: no login, the secret token is the credential."""
    if not name.endswith(".ics"):
        return _not_found()
    base_url = _base_url(request)
    fresh = await feeds.freshness(name.removesuffix(".ics"), base_url)
    if fresh is None:
        return _not_found()
    headers = {"ETag": fresh.etag, "Cache-Control": "private, max-age=300"}
    matches = _etags(request.headers.get("if-none-match", ""))
    if fresh.etag in matches or "*" in matches:
        return Response(b"", status_code=304, headers=headers, media_type=CALENDAR)
    if not await feed_build.still_allowed(fresh):
        return _not_found()
    body = await feed_build.feed_bytes(fresh, base_url)
    return Response(body, media_type=CALENDAR, headers=headers)


def _etags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


ROUTERS = [InvitesApi, BookingPageInvite, FeedTokensApi, public_feed]
