"""The reservations JSON API."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import Parameter

from booking import clock
from booking.accounts.permissions import Can, needs
from booking.accounts.principal import Principal, principal_of
from booking.errors import RuleViolation
from booking.http.bounds import Id, InstantParam, Offset, OptionalId
from booking.reservations import availability as avail
from booking.reservations import operations, queries, service, waitlist
from booking.reservations import series as series_service
from booking.reservations.access import may
from booking.reservations.policies import policy_and_row
from booking.reservations.schemas import (
    BookingIn,
    BookingOut,
    ClosureIn,
    MoveIn,
    ReasonIn,
    RulesIn,
    SeriesIn,
    WaitlistIn,
    WeekHours,
    booking_out,
    check_until,
    local,
    parse_duration,
    with_zone,
)
from booking.reservations.status import BookingStatus
from calendars.intervals import Interval
from calendars.zones import zone_named
from platforms.choices import SlottedKind


def zone_of(principal: Principal | None) -> ZoneInfo:
    return zone_named(principal.timezone if principal else None)


async def _resource_zone(resource_id: int) -> ZoneInfo:
    policy, _ = await policy_and_row(resource_id)
    return policy.zone


def _window(start: datetime, end: datetime, zone: ZoneInfo) -> Interval:
    start, end = with_zone(start, zone), with_zone(end, zone)
    if end <= start:
        raise RuleViolation("invalid_interval", "The end must be after the start.")
    if end - start > avail.MAX_WINDOW:
        raise RuleViolation("window_too_long", "Ask for at most %(days)s days at once.",
                            params={"days": avail.MAX_WINDOW.days})
    return Interval(start, end)


def _intervals(items: list[Interval], zone: ZoneInfo) -> list[dict[str, str]]:
    return [{"start": local(i.start, zone), "end": local(i.end, zone)} for i in items]


class AvailabilityApi(Controller):
    path = "/api"
    tags = ["availability"]
    opt = needs(Can.PUBLIC)

    @get("/resources/{resource_id:int}/availability")
    async def resource_availability(
        self, request: Request, resource_id: Id, start: InstantParam, end: InstantParam,
    ) -> dict[str, Any]:
        """Free intervals within opening hours, minus closures and bookings (pools: free units)."""
        zone = await _resource_zone(resource_id)
        info = await avail.availability(resource_id, _window(start, end, zone))
        out_zone = zone_of(request.scope.get("user"))
        body: dict[str, Any] = {
            "resource_id": resource_id, "kind": info["kind"], "capacity": info["capacity"],
            "timezone": out_zone.key,
            "open": _intervals(info["open"], out_zone),
            "closures": _intervals(info["closures"], out_zone),
            "free": _intervals(info["free"], out_zone),
        }
        if "units" in info:
            body["units"] = [{"start": local(i.start, out_zone), "end": local(i.end, out_zone),
                              "free": free} for i, free in info["units"]]
        else:
            body["busy"] = _intervals(info["busy"], out_zone)
        return body

    @get("/availability")
    async def earliest(
        self, request: Request,
        duration: Annotated[str, Parameter(max_length=20)] = "PT1H",
        after: InstantParam | None = None,
        kind: SlottedKind | None = None,
        platform: Annotated[str | None, Parameter(max_length=16)] = None,
        category: Annotated[str | None, Parameter(max_length=64)] = None,
        quantity: Annotated[int, Parameter(ge=1, le=10000)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=50)] = 10,
    ) -> list[dict[str, Any]]:
        """The earliest free slots of at least ``duration`` across matching resources."""
        zone = zone_of(request.scope.get("user"))
        moment = clock.now()
        start = with_zone(after, zone) if after else moment
        slots = await avail.earliest(kind=kind, platform=platform, category=category,
                                     duration=parse_duration(duration), after=start,
                                     quantity=quantity, limit=limit, now=moment)
        return [{"resource_id": s["resource"]["id"], "resource_code": s["resource"]["code"],
                 "name": {"zh": s["resource"]["name_zh"], "en": s["resource"]["name_en"]},
                 "start": local(s["start"], zone), "end": local(s["end"], zone)}
                for s in slots]


class BookingsApi(Controller):
    path = "/api/bookings"
    tags = ["bookings"]

    @post("/", opt=needs(Can.BOOK, Can.BOOK_ON_BEHALF))
    async def create(self, request: Request, data: BookingIn) -> Response[BookingOut]:
        principal = principal_of(request)
        zone = await _resource_zone(data.resource_id)
        key = request.headers.get("idempotency-key")
        if key is not None and not 1 <= len(key) <= 100:
            raise RuleViolation("invalid_idempotency_key",
                                "The Idempotency-Key must have 1 to 100 characters.")
        row, created = await service.create_booking(
            principal, resource_id=data.resource_id, start=with_zone(data.start, zone),
            end=with_zone(data.end, zone), quantity=data.quantity, note=data.note,
            idempotency_key=key, enterprise_id=data.enterprise_id, account_id=data.account_id,
        )
        headers = {"Location": f"/api/bookings/{row['id']}"}
        if not created:
            headers["Idempotent-Replayed"] = "true"
        return Response(booking_out(row, zone_of(principal)), status_code=201, headers=headers)

    @get("/", opt=needs(Can.VIEW_BOOKINGS))
    async def list_bookings(
        self, request: Request, status: list[BookingStatus] | None = None,
        start: InstantParam | None = None, end: InstantParam | None = None,
        resource_id: OptionalId = None,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
        offset: Offset = 0,
    ) -> list[BookingOut]:
        """Mine; enterprise admins: their enterprise's; operators: their platforms'."""
        principal = principal_of(request)
        zone = zone_of(principal)
        rows = await queries.visible_bookings(
            principal, statuses=status, start=with_zone(start, zone) if start else None,
            end=with_zone(end, zone) if end else None, resource_id=resource_id,
            limit=limit, offset=offset)
        return [booking_out(r, zone) for r in rows]

    @get("/{booking_id:int}", opt=needs(Can.VIEW_BOOKINGS))
    async def detail(self, request: Request, booking_id: Id) -> BookingOut:
        principal = principal_of(request)
        return booking_out(await queries.visible(principal, booking_id), zone_of(principal))

    @get("/{booking_id:int}/history", opt=needs(Can.VIEW_BOOKINGS))
    async def history(self, request: Request, booking_id: Id) -> list[dict[str, Any]]:
        principal = principal_of(request)
        zone = zone_of(principal)
        return [{"at": local(e["at"], zone), "action": e["action"], "from": e["from_status"],
                 "to": e["to_status"], "actor_id": e["actor"], "reason": e["reason"]}
                for e in await queries.history(principal, booking_id)]

    @post("/{booking_id:int}/cancel", status_code=200, opt=needs(Can.ACT_ON_BOOKING))
    async def cancel(self, request: Request, booking_id: Id,
                     data: ReasonIn | None = None) -> BookingOut:
        principal = principal_of(request)
        row = await service.cancel(principal, booking_id, data.reason if data else "")
        return booking_out(row, zone_of(principal))

    @post("/{booking_id:int}/move", status_code=200, opt=needs(Can.ACT_ON_BOOKING))
    async def move(self, request: Request, booking_id: Id, data: MoveIn) -> BookingOut:
        principal = principal_of(request)
        current = await queries.visible(principal, booking_id)
        zone = await _resource_zone(current["resource"])
        row = await service.move(principal, booking_id, with_zone(data.start, zone),
                                 with_zone(data.end, zone))
        return booking_out(row, zone_of(principal))

    @post("/{booking_id:int}/approve", status_code=200, opt=needs(Can.APPROVE_BOOKINGS))
    async def approve(self, request: Request, booking_id: Id,
                      data: ReasonIn | None = None) -> BookingOut:
        principal = principal_of(request)
        row = await service.approve(principal, booking_id, data.reason if data else "")
        return booking_out(row, zone_of(principal))

    @post("/{booking_id:int}/reject", status_code=200, opt=needs(Can.APPROVE_BOOKINGS))
    async def reject(self, request: Request, booking_id: Id,
                     data: ReasonIn | None = None) -> BookingOut:
        principal = principal_of(request)
        row = await service.reject(principal, booking_id, data.reason if data else "")
        return booking_out(row, zone_of(principal))

    @post("/{booking_id:int}/check-in", status_code=200, opt=needs(Can.ACT_ON_BOOKING))
    async def check_in(self, request: Request, booking_id: Id) -> BookingOut:
        principal = principal_of(request)
        return booking_out(await service.check_in(principal, booking_id), zone_of(principal))

    @post("/{booking_id:int}/check-out", status_code=200, opt=needs(Can.ACT_ON_BOOKING))
    async def check_out(self, request: Request, booking_id: Id) -> BookingOut:
        principal = principal_of(request)
        return booking_out(await service.check_out(principal, booking_id), zone_of(principal))


class SeriesApi(Controller):
    path = "/api/series"
    tags = ["bookings"]

    @post("/", opt=needs(Can.BOOK, Can.BOOK_ON_BEHALF))
    async def create(self, request: Request, data: SeriesIn) -> dict[str, Any]:
        """Book a daily or weekly RRULE; all-or-nothing or skipping conflicts."""
        principal = principal_of(request)
        check_until(data.rrule)
        zone = await _resource_zone(data.resource_id)
        result = await series_service.create_series(
            principal, resource_id=data.resource_id, start=with_zone(data.start, zone),
            end=with_zone(data.end, zone), rrule=data.rrule, quantity=data.quantity,
            note=data.note, mode=data.mode, enterprise_id=data.enterprise_id,
            account_id=data.account_id,
        )
        out_zone = zone_of(principal)
        for outcome in result["occurrences"]:
            outcome["start"] = local(datetime.fromisoformat(outcome["start"]), out_zone)
            outcome["end"] = local(datetime.fromisoformat(outcome["end"]), out_zone)
        return result

    @get("/{series_id:int}", opt=needs(Can.VIEW_BOOKINGS))
    async def detail(self, request: Request, series_id: Id) -> list[BookingOut]:
        principal = principal_of(request)
        rows = await series_service.series_bookings(series_id)
        visible = [r for r in rows if may(principal, Can.VIEW_BOOKINGS, r)]
        if not visible:
            from booking.errors import NotFound

            raise NotFound("series_not_found", "No such series.")
        return [booking_out(r, zone_of(principal)) for r in visible]


class WaitlistApi(Controller):
    path = "/api/waitlist"
    tags = ["bookings"]

    @post("/", opt=needs(Can.BOOK))
    async def join(self, request: Request, data: WaitlistIn) -> dict[str, Any]:
        """Wait for a taken slot; the first waiter gets it as pending when it frees."""
        principal = principal_of(request)
        zone = await _resource_zone(data.resource_id)
        entry = await waitlist.join(principal, resource_id=data.resource_id,
                                    start=with_zone(data.start, zone),
                                    end=with_zone(data.end, zone), quantity=data.quantity,
                                    note=data.note)
        return _entry_out(entry, zone_of(principal))

    @get("/", opt=needs(Can.SIGNED_IN))
    async def mine(self, request: Request) -> list[dict[str, Any]]:
        principal = principal_of(request)
        return [_entry_out(e, zone_of(principal)) for e in await waitlist.mine(principal)]

    @delete("/{entry_id:int}", status_code=200, opt=needs(Can.BOOK))
    async def leave(self, request: Request, entry_id: Id) -> dict[str, Any]:
        principal = principal_of(request)
        return _entry_out(await waitlist.leave(principal, entry_id), zone_of(principal))


def _entry_out(entry: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    return {"id": entry["id"], "resource_id": entry["resource"],
            "start": local(entry["start_at"], zone), "end": local(entry["end_at"], zone),
            "quantity": entry["quantity"], "status": entry["status"],
            "booking_id": entry["booking"]}


class OperationsApi(Controller):
    path = "/api"
    tags = ["operations"]

    @post("/resources/{resource_id:int}/closures", opt=needs(Can.OPERATE_RESOURCE))
    async def add_closure(self, request: Request, resource_id: Id,
                          data: ClosureIn) -> dict[str, Any]:
        """Block time; bookings that collide are listed for the operator to resolve."""
        principal = principal_of(request)
        zone = await _resource_zone(resource_id)
        result = await operations.add_closure(
            principal, resource_id=resource_id, start=with_zone(data.start, zone),
            end=with_zone(data.end, zone), kind=data.kind, reason=data.reason)
        closure = result["closure"]
        out = zone_of(principal)
        return {"closure": {"id": closure["id"], "start": local(closure["start_at"], out),
                            "end": local(closure["end_at"], out), "kind": closure["kind"],
                            "reason": closure["reason"]},
                "colliding_bookings": result["colliding_bookings"]}

    @delete("/closures/{closure_id:int}", status_code=204, opt=needs(Can.OPERATE_RESOURCE))
    async def remove_closure(self, request: Request, closure_id: Id) -> None:
        await operations.remove_closure(principal_of(request), closure_id)

    @patch("/resources/{resource_id:int}/rules", opt=needs(Can.OPERATE_RESOURCE))
    async def update_rules(self, request: Request, resource_id: Id,
                           data: RulesIn) -> dict[str, Any]:
        """Change capacity and booking rules; a capacity below what is booked is refused."""
        row = await operations.update_resource(principal_of(request), resource_id, data.changes())
        return {k: row[k] for k in ("id", "capacity", "revision", *operations.EDITABLE_RULES)}

    @put("/resources/{resource_id:int}/hours", opt=needs(Can.OPERATE_RESOURCE))
    async def replace_hours(self, request: Request, resource_id: Id,
                            data: WeekHours) -> dict[str, Any]:
        """Replace the weekly opening hours; lists future bookings now outside them."""
        def parse(text: str) -> time:
            if text == "24:00":
                return time(0)
            try:
                return time.fromisoformat(text)
            except ValueError as exc:
                raise RuleViolation("invalid_hours",
                                    "Opening hours must close after they open.") from exc

        hours = [(h.weekday, parse(h.opens), parse(h.closes)) for h in data]
        outside = await operations.replace_hours(principal_of(request), resource_id, hours)
        return {"hours": len(hours), "bookings_outside_hours": outside}

    @get("/notifications", opt=needs(Can.SIGNED_IN))
    async def notifications(self, request: Request) -> list[dict[str, Any]]:
        principal = principal_of(request)
        zone = zone_of(principal)
        return [{"id": n["id"], "kind": n["kind"], "booking_id": n["booking"],
                 "created_at": local(n["created_at"], zone), "read": n["read_at"] is not None}
                for n in await waitlist.notifications(principal)]


ROUTERS = [AvailabilityApi, BookingsApi, SeriesApi, WaitlistApi, OperationsApi]

