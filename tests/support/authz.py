"""The people and objects the authorisation matrix tries every route with.

Two enterprises (A and B), two platforms (X = mems, Y = bio), and one actor per kind
of principal. Every object a route can address belongs to A and to X, so each
actor's expected answer follows from the capability the route declares and the
object's scope (platform, enterprise, owner) through ``permissions.allows``.

A route parameter is turned into an object by its name (``PARAMETERS``); bodies of
writes are in ``bodies()``. A new parameter name or a write without a body fails the
matrix with a message saying where to add it.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from booking.accounts import invitations
from booking.accounts import service as accounts
from booking.accounts.permissions import Can
from booking.accounts.principal import Principal
from booking.invites import feeds
from booking.reservations import operations, service, waitlist
from booking.reservations import series as series_service
from platforms.tables import Platform, Qualification
from tests.support.people import PASSWORD, People, Person, make_uscc
from tests.support.resources import local_day, make_resource

BASE_URL = "http://testserver.local"
_unique = itertools.count(1)

# A plan of one maintenance block, for the two closure imports.
ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//matrix//EN\r\nBEGIN:VEVENT\r\n"
       b"UID:matrix-1@example.test\r\nDTSTAMP:20260101T000000Z\r\n"
       b"DTSTART:%s\r\nDTEND:%s\r\nSUMMARY:Maintenance\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@dataclass
class Actor:
    """Who calls: a person (bearer token on the API, session cookie on pages) or nobody.
    A device principal fits as another actor with its own headers and no page login."""

    name: str
    person: Person | None = None

    @property
    def principal(self) -> Principal | None:
        return self.person.principal if self.person else None

    def api_headers(self) -> dict[str, str]:
        return self.person.headers if self.person else {}

    @property
    def logs_in_to_pages(self) -> bool:
        return self.person is not None


ACTORS = ("anonymous", "engineer_a", "engineer_b", "admin_a", "operator_x", "operator_y",
          "park_admin")


@dataclass
class World:
    people: People
    a: int
    b: int
    x: int
    y: int
    x_code: str
    resource_x: int
    qualification_x: int
    actors: dict[str, Actor]
    _slots: itertools.count = field(default_factory=lambda: itertools.count(0))

    @property
    def engineer_a(self) -> Person:
        person = self.actors["engineer_a"].person
        assert person is not None
        return person

    @property
    def staff(self) -> Principal:
        person = self.actors["park_admin"].person
        assert person is not None
        return person.principal

    def slot(self) -> tuple[datetime, datetime]:
        """A fresh hour on X's resource, so no two objects or bodies collide."""
        n = next(self._slots)
        start = local_day(3) + timedelta(days=n // 20, hours=n % 20)
        return start, start + timedelta(hours=1)

    def times(self) -> dict[str, str]:
        start, end = self.slot()
        return {"start": start.isoformat(), "end": end.isoformat()}


async def build_world(people: People) -> World:
    a = await people.enterprise("matrix-a")
    b = await people.enterprise("matrix-b")
    platforms = {p["code"]: p["id"] for p in await Platform.select(Platform.code, Platform.id)}
    qualification = await Qualification.select(Qualification.id).where(
        Qualification.platform == platforms["mems"]).first()
    assert qualification is not None, "the seed catalog has no qualification of mems"
    actors = {
        "anonymous": Actor("anonymous"),
        "engineer_a": Actor("engineer_a", await people.engineer("matrix-a")),
        "engineer_b": Actor("engineer_b", await people.engineer("matrix-b")),
        "admin_a": Actor("admin_a", await people.enterprise_admin("matrix-a")),
        "operator_x": Actor("operator_x", await people.operator("mems")),
        "operator_y": Actor("operator_y", await people.operator("bio")),
        "park_admin": Actor("park_admin", await people.park_admin()),
    }
    assert tuple(actors) == ACTORS
    resource = await make_resource(platform="mems", approval_required=True)
    return World(people, a, b, platforms["mems"], platforms["bio"], "mems", resource,
                 qualification["id"], actors)


# What a kind of object is, as permissions.allows() is asked about it.
def scope_of(world: World, kind: str, value: Any) -> dict[str, int]:
    engineer = world.engineer_a.id
    booked = {"platform_id": world.x, "enterprise_id": world.a, "account_id": engineer}
    return {
        "booking": booked, "series": booked, "waitlist_entry": booked,
        "grant": booked,
        "resource": {"platform_id": world.x}, "closure": {"platform_id": world.x},
        "platform": {"platform_id": world.x},
        "api_token": {"account_id": engineer}, "feed_token": {"account_id": engineer},
        "enterprise": {"enterprise_id": world.a},
        "member": {"enterprise_id": world.a, "account_id": value},
    }.get(kind, {})


def parameter_kind(name: str, path: str) -> str | None:
    """The kind of object a path parameter names (None: unknown, the matrix fails)."""
    if name == "token_id":
        return "feed_token" if "/feed" in path else "api_token"
    if name == "code":
        return "language" if path.startswith("/lang/") else "platform"
    return PARAMETERS.get(name)


PARAMETERS = {
    "booking_id": "booking", "resource_id": "resource", "closure_id": "closure",
    "grant_id": "grant", "entry_id": "waitlist_entry", "series_id": "series",
    "enterprise_id": "enterprise", "account_id": "member", "secret": "invitation",
    "name": "feed_file", "file_path": "static_file", "path": "schema_file",
}


class Objects:
    """Objects of A and X, made when a route first names them. The matrix uses one set
    for reads and a fresh set for each write (down to the resource, whose hours or rules
    a write may change), so no write changes a later answer."""

    def __init__(self, world: World, *, fresh: bool = False):
        self.world = world
        self.fresh = fresh
        self._made: dict[str, Any] = {}

    async def value(self, kind: str) -> Any:
        if kind not in self._made:
            self._made[kind] = await self._MAKERS[kind](self)
        return self._made[kind]

    async def _booking(self) -> int:
        start, end = self.world.slot()
        row, _ = await service.create_booking(self.world.engineer_a.principal,
                                              resource_id=await self.value("resource"),
                                              start=start, end=end)
        return row["id"]

    async def _series(self) -> int:
        start, end = self.world.slot()
        result = await series_service.create_series(
            self.world.engineer_a.principal, resource_id=await self.value("resource"),
            start=start, end=end, rrule="FREQ=WEEKLY;COUNT=2")
        return result["id"]

    async def _waitlist_entry(self) -> int:
        start, end = self.world.slot()
        taker = self.world.actors["engineer_b"].person
        assert taker is not None
        resource = await self.value("resource")
        await service.create_booking(taker.principal, resource_id=resource, start=start, end=end)
        entry = await waitlist.join(self.world.engineer_a.principal, resource_id=resource,
                                    start=start, end=end)
        return entry["id"]

    async def _closure(self) -> int:
        start, end = self.world.slot()
        result = await operations.add_closure(self.world.staff,
                                              resource_id=await self.value("resource"),
                                              start=start, end=end, reason="matrix")
        return result["closure"]["id"]

    async def _grant(self) -> int:
        grant = await accounts.grant_qualification(
            operator=self.world.staff, account_id=self.world.engineer_a.id,
            qualification_id=self.world.qualification_x)
        return grant["id"]

    async def _api_token(self) -> int:
        # Not the token the engineer calls with: revoking this one must not log them out.
        _, view = await accounts.issue_token(self.world.engineer_a.id, "matrix")
        return view["id"]

    async def _feed(self) -> dict[str, Any]:
        return await feeds.create(self.world.engineer_a.principal, "user",
                                  self.world.engineer_a.id, BASE_URL)

    async def _feed_token(self) -> int:
        return (await self._feed())["id"]

    async def _feed_file(self) -> str:
        return f"{(await self._feed())['token']}.ics"

    async def _member(self) -> int:
        member = await self.world.people.engineer("matrix-a")
        return member.id

    async def _invitation(self) -> str:
        member = await self.world.people.engineer("matrix-a")
        secret, _ = await invitations.issue(member.id, None)
        return secret

    async def _enterprise(self) -> int:
        return self.world.a

    async def _resource(self) -> int:
        if self.fresh:
            return await make_resource(platform="mems", approval_required=True)
        return self.world.resource_x

    async def _platform(self) -> str:
        return self.world.x_code

    async def _language(self) -> str:
        return "en"

    async def _static_file(self) -> str:
        return "app.css"

    async def _schema_file(self) -> str:
        return "no-such-document"  # the catch-all: Litestar answers 404

    _MAKERS: dict[str, Callable[[Objects], Awaitable[Any]]] = {
        "booking": _booking, "series": _series, "waitlist_entry": _waitlist_entry,
        "closure": _closure, "grant": _grant, "api_token": _api_token,
        "feed_token": _feed_token, "feed_file": _feed_file, "member": _member,
        "invitation": _invitation, "enterprise": _enterprise, "resource": _resource,
        "platform": _platform, "language": _language, "static_file": _static_file,
        "schema_file": _schema_file,
    }


@dataclass
class Case:
    """One request body for a write, and what it addresses.

    ``can`` names which of the route's declared capabilities this body exercises (a
    booking for oneself is BOOK, one on behalf is BOOK_ON_BEHALF); ``scope`` is the
    object the body names, as ``permissions.allows`` is asked about it."""

    label: str = ""
    json: Any = None
    form: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    content: bytes | None = None
    content_type: str | None = None
    can: Can | None = None
    scope: dict[str, int] = field(default_factory=dict)


async def bodies(world: World, objects: Objects, actor: Actor,
                 route: tuple[str, str]) -> list[Case] | None:
    """The bodies to send to ``route`` (method, path template); None: none listed."""
    w = world
    resource = await objects.value("resource")
    on_x = {"platform_id": w.x}
    behalf = {"platform_id": w.x, "enterprise_id": w.a, "account_id": w.engineer_a.id}
    own_email = actor.person.email if actor.person else w.engineer_a.email

    def booking_cases(extra: dict[str, Any]) -> list[Case]:
        return [
            Case("for oneself", json={"resource_id": resource, **w.times(), **extra},
                 can=Can.BOOK, scope=on_x),
            Case("on behalf of A's engineer",
                 json={"resource_id": resource, **w.times(), **extra,
                       "enterprise_id": w.a, "account_id": w.engineer_a.id},
                 can=Can.BOOK_ON_BEHALF, scope=behalf),
        ]

    async def grant_body() -> dict[str, Any]:
        return {"account_id": await objects.value("member"),
                "qualification_id": w.qualification_x}

    def ics() -> bytes:
        start, end = w.slot()
        return ICS % (_utc_stamp(start), _utc_stamp(end))

    table: dict[tuple[str, str], Callable[[], Awaitable[list[Case]]]] = {}

    def entry(method: str, path: str):
        def register(make):
            table[(method, path)] = make
            return make
        return register

    @entry("POST", "/api/auth/token")
    async def _():
        return [Case(json={"email": own_email, "password": PASSWORD})]

    @entry("POST", "/login")
    async def _():
        return [Case(form={"email": own_email, "password": PASSWORD, "next": "/"})]

    @entry("POST", "/invitations/{secret:str}")
    async def _():
        return [Case(form={"password": PASSWORD, "password_confirm": PASSWORD})]

    @entry("POST", "/api/qualification-grants")
    async def _():
        return [Case(json=await grant_body(), scope=on_x)]

    @entry("POST", "/api/enterprises")
    async def _():
        return [Case(json={"name_zh": f"矩阵 {next(_unique)}", "uscc": make_uscc(
            900000 + next(_unique)), "tier": "park"})]

    @entry("PATCH", "/api/enterprises/{enterprise_id:int}")
    async def _():
        return [Case(json={"contact_name": "Matrix"})]

    @entry("POST", "/api/enterprises/{enterprise_id:int}/members")
    async def _():
        return [Case(json={"email": f"matrix{next(_unique)}@example.test", "name": "New"})]

    @entry("PATCH", "/api/enterprises/{enterprise_id:int}/members/{account_id:int}")
    async def _():
        return [Case(json={"role": "engineer"})]

    @entry("POST", "/api/bookings")
    async def _():
        return booking_cases({})

    @entry("POST", "/api/series")
    async def _():
        return booking_cases({"rrule": "FREQ=WEEKLY;COUNT=2"})

    @entry("POST", "/api/waitlist")
    async def _():
        return [Case(json={"resource_id": resource, **w.times()}, scope=on_x)]

    @entry("POST", "/api/bookings/{booking_id:int}/move")
    async def _():
        return [Case(json=w.times())]

    @entry("POST", "/api/resources/{resource_id:int}/closures")
    async def _():
        return [Case(json={**w.times(), "kind": "maintenance", "reason": "matrix"})]

    @entry("PUT", "/api/resources/{resource_id:int}/hours")
    async def _():
        return [Case(json=[{"weekday": d, "opens": "00:00", "closes": "24:00"}
                           for d in range(7)])]

    @entry("PATCH", "/api/resources/{resource_id:int}/rules")
    async def _():
        return [Case(json={"buffer_minutes": 0})]

    @entry("POST", "/api/feeds")
    async def _():
        return [Case(json={"scope": "user", "target_id": w.engineer_a.id},
                     scope={"account_id": w.engineer_a.id})]

    @entry("POST", "/api/resources/{resource_id:int}/closures/import")
    async def _():
        return [Case(content=ics(), content_type="text/calendar")]

    @entry("POST", "/operator/{code:str}/resources/{resource_id:int}/closures/import")
    async def _():
        return [Case(form={"kind": "maintenance"},
                     files={"file": ("plan.ics", ics(), "text/calendar")})]

    make = table.get(route)
    return None if make is None else await make()


def _utc_stamp(moment: datetime) -> bytes:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ").encode()
