"""The authorisation matrix: every route of the app, as every kind of principal.

Routes come from the router itself (``app.routes``), so a new route cannot escape: it
fails here unless it declares a capability, and unless its path parameters and body
are known to ``tests.support.authz``. For each route and actor the expected answer is
computed from the declared capability and the addressed object (``holds_role`` for a
route that names no object, ``allows`` with the object's platform, enterprise and
owner otherwise), and the real answer must agree:

- denied: 401 for nobody (pages: a redirect to /login), 403 with a ``forbidden*`` code
  or 404 (the object hidden) for anyone else; ``{code, message}`` on the API, the
  error page on pages;
- allowed: anything else (a 409 or 422 got past authorisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from booking.accounts.permissions import Can, allows, declared, holds_role
from booking.accounts.principal import Principal
from tests.support.authz import (
    ACTORS,
    Actor,
    Case,
    Objects,
    World,
    bodies,
    build_world,
    parameter_kind,
    scope_of,
)
from tests.support.web_session import csrf_token, login

SAFE = {"GET", "HEAD", "OPTIONS"}
# Routes that change who the client is: run last, in this order.
SESSION_CHANGING = [("POST", "/invitations/{secret:str}"), ("POST", "/login"),
                    ("POST", "/logout")]
# Litestar's catch-all under /schema answers 404 to anyone by design.
ALWAYS_NOT_FOUND = {("GET", "/schema/{path:str}")}
# A 403 that refuses for a reason other than "forbidden": BOOK asked of a non-member,
# or an own-enterprise page asked by someone of none.
REFUSAL_CODES = {"not_a_member"}
# Pages of the caller's own enterprise (no id in the path): their object is the
# caller's enterprise, so a principal of none (the park admin) has nothing there.
OWN_ENTERPRISE = "/enterprise"
_PARAMETER = re.compile(r"{(\w+):\w+}")
_ERROR_CODE = re.compile(r'class="panel error-page".*?<code>([^<]+)</code>', re.S)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    capabilities: tuple[Can, ...]
    handler: Any

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def parameters(self) -> list[str]:
        return _PARAMETER.findall(self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def routes_of(app) -> list[Route]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            for method in sorted(handler.http_methods):
                found.append(Route(method, route.path, declared(handler), handler))
    return found


def needs_body(route: Route) -> bool:
    """A required JSON or form struct, or a body the handler reads itself."""
    data = route.handler.parsed_fn_signature.parameters.get("data")
    if data is not None and not data.has_default:
        return not (not route.is_api and data.annotation == dict[str, str])
    return route.key in {("POST", "/api/resources/{resource_id:int}/closures/import")}


def expected(principal: Principal | None, capabilities: tuple[Can, ...],
             scope: dict[str, int]) -> bool:
    if not scope:
        return any(holds_role(principal, can) for can in capabilities)
    return any(allows(principal, can, **scope) for can in capabilities)


@dataclass
class Answer:
    status: int
    code: str | None
    verdict: str  # "allowed", "unauthenticated", "forbidden", "hidden", or what is wrong
    location: str = ""


def judge(route: Route, response) -> Answer:
    status = response.status_code
    location = response.headers.get("location", "")
    if status in (302, 303) and location.startswith("/login"):
        return Answer(status, None, "unauthenticated" if not route.is_api else "api redirect",
                      location)
    if status >= 500:
        return Answer(status, None, "server error", location)
    if status not in (401, 403, 404):
        return Answer(status, None, "allowed", location)
    kind = response.headers.get("content-type", "")
    if "application/json" in kind:
        body = response.json()
        code = body.get("code") if isinstance(body, dict) else None
        if not (isinstance(code, str) and isinstance(body.get("message"), str)):
            return Answer(status, None, f"not the JSON error shape: {response.text[:200]}")
    elif "text/html" in kind and not route.is_api:
        match = _ERROR_CODE.search(response.text)
        code = match.group(1) if match else None
        if code is None and status != 401:
            return Answer(status, None, "not the error page")
    else:
        return Answer(status, None, f"unexpected content type {kind!r}")
    if status == 401:
        return Answer(status, code, "unauthenticated")
    if status == 403:
        ok = code is not None and (code.startswith("forbidden") or code in REFUSAL_CODES)
        return Answer(status, code, "forbidden" if ok else f"403 with code {code!r}")
    ok = code is not None and code.endswith("not_found")
    return Answer(status, code, "hidden" if ok else f"404 with code {code!r}")


def agrees(actor: Actor, allowed: bool, answer: Answer) -> bool:
    if allowed:
        return answer.verdict == "allowed"
    if actor.principal is None:
        return answer.verdict == "unauthenticated"
    return answer.verdict in ("forbidden", "hidden")


class Sweep:
    """One actor against every route; mismatches are collected, not raised one by one."""

    def __init__(self, client, world: World, actor: Actor):
        self.client, self.world, self.actor = client, world, actor
        self.reads = Objects(world)
        self.problems: list[str] = []
        self.answers: dict[tuple[str, str, str], Answer] = {}

    async def url_and_scope(self, route: Route, objects: Objects,
                            substitute: dict[str, Any] | None = None
                            ) -> tuple[str, dict[str, int]]:
        url, scope = route.path, {}
        for name in route.parameters:
            kind = parameter_kind(name, route.path)
            if kind is None:
                raise AssertionError(
                    f"{route}: unknown path parameter {name!r}; give it an object in "
                    "tests/support/authz.py (PARAMETERS, Objects, scope_of)")
            value = (substitute or {}).get(name)
            if value is None:
                value = await objects.value(kind)
            for key, owner in scope_of(self.world, kind, value).items():
                assert scope.get(key, owner) == owner, f"{route}: objects of two {key}s"
                scope[key] = owner
            url = re.sub(rf"{{{name}:\w+}}", str(value), url)
        return url, scope

    async def request(self, route: Route, url: str, case: Case) -> Any:
        headers = {} if not route.is_api else self.actor.api_headers()
        if route.method not in SAFE and not route.is_api:
            headers["x-csrftoken"] = await csrf_token(self.client)
        if case.content_type:
            headers["content-type"] = case.content_type
        kwargs: dict[str, Any] = {}
        if case.json is not None:
            kwargs["json"] = case.json
        if case.form is not None:
            kwargs["data"] = case.form
        if case.files is not None:
            kwargs["files"] = case.files
        if case.content is not None:
            kwargs["content"] = case.content
        return await self.client.request(route.method, url, headers=headers,
                                         follow_redirects=False, **kwargs)

    async def run(self, route: Route, *, substitute: dict[str, Any] | None = None,
                  must_deny: bool = False) -> None:
        objects = self.reads if route.method in SAFE else Objects(self.world, fresh=True)
        url, scope = await self.url_and_scope(route, objects, substitute)
        cases = await bodies(self.world, objects, self.actor, route.key)
        if cases is None:
            if needs_body(route):
                raise AssertionError(f"{route}: takes a body; add one to "
                                     "tests/support/authz.py bodies()")
            cases = [Case()]
        principal = self.actor.principal
        own_enterprise = route.path == OWN_ENTERPRISE or route.path.startswith(
            OWN_ENTERPRISE + "/")
        if own_enterprise and Can.PUBLIC not in route.capabilities:
            if principal is not None and principal.enterprise_id is None:
                must_deny = True
            elif principal is not None:
                scope["enterprise_id"] = principal.enterprise_id
        for case in cases:
            capabilities = (case.can,) if case.can else route.capabilities
            assert set(capabilities) <= set(route.capabilities), f"{route}: {case.label}"
            allowed = (not must_deny) and expected(
                principal, capabilities, {**scope, **case.scope})
            response = await self.request(route, url, case)
            answer = judge(route, response)
            self.answers[(route.method, route.path, case.label)] = answer
            if route.key in ALWAYS_NOT_FOUND and allowed:
                if answer.status != 404:
                    self.problems.append(f"{route}: expected Litestar's 404, got {answer}")
                continue
            if not agrees(self.actor, allowed, answer):
                want = "allowed" if allowed else "denied"
                label = f" [{case.label}]" if case.label else ""
                self.problems.append(f"{self.actor.name}: {route}{label} {url}: expected "
                                     f"{want}, got {answer.status} {answer.verdict} "
                                     f"{answer.code or ''} {response.text[:160]!r}")


def ordered(routes: list[Route]) -> list[Route]:
    """Reads first, then writes, then whatever changes who the client is."""
    last = {key: n for n, key in enumerate(SESSION_CHANGING)}
    return sorted(routes, key=lambda r: (r.key in last, last.get(r.key, 0),
                                         r.method not in SAFE))


async def sweep(client, app, world: World, actor_name: str, *, only=None,
                substitute: dict[str, Any] | None = None, must_deny: bool = False) -> Sweep:
    actor = world.actors[actor_name]
    if actor.logs_in_to_pages:
        await login(client, actor.person.email)
    done = Sweep(client, world, actor)
    for route in ordered(routes_of(app)):
        if only is None or only(route):
            await done.run(route, substitute=substitute, must_deny=must_deny)
    return done


async def test_every_route_declares_a_capability(app):
    routes = routes_of(app)
    assert len(routes) > 100
    undeclared = [str(r) for r in routes if not r.capabilities]
    assert not undeclared, f"routes without a declared capability: {undeclared}"


async def test_the_capability_guard_is_installed_app_wide(app):
    from booking.accounts.permissions import capability_guard

    assert capability_guard in app.guards


@pytest.mark.parametrize("actor", ACTORS)
async def test_matrix(client, app, people, actor):
    world = await build_world(people)
    result = await sweep(client, app, world, actor)
    assert not result.problems, "\n".join(result.problems)


A_OWNED = {"booking_id", "series_id", "entry_id", "grant_id", "token_id", "enterprise_id",
           "account_id"}


def _addresses_a(route: Route) -> bool:
    return route.method != "OPTIONS" and bool(A_OWNED & set(route.parameters))


async def test_enterprise_b_neither_reads_nor_writes_a_s_objects(client, app, people):
    """As B's engineer, every route naming one of A's objects is refused, for the real
    ids and for guessed ones; B's listings hold none of A's bookings."""
    world = await build_world(people)
    real = await sweep(client, app, world, "engineer_b", only=_addresses_a, must_deny=True)
    assert len(real.answers) > 20
    assert not real.problems, "\n".join(real.problems)
    guessed = {name: 10_000_000 + n for n, name in enumerate(sorted(A_OWNED))}
    guess = await sweep(client, app, world, "engineer_b", only=_addresses_a,
                        substitute=guessed, must_deny=True)
    assert not guess.problems, "\n".join(guess.problems)

    booking = await real.reads.value("booking")
    b = world.actors["engineer_b"].api_headers()
    listed = (await client.get("/api/bookings", headers=b)).json()
    assert booking not in [row["id"] for row in listed]
    page = await client.get("/my/bookings")
    assert f"/my/bookings/{booking}/" not in page.text


def _acts_for_x(route: Route) -> bool:
    staff = {Can.OPERATE_RESOURCE, Can.APPROVE_BOOKINGS, Can.MANAGE_QUALIFICATIONS,
             Can.BOOK_ON_BEHALF, Can.VIEW_OPERATIONS}
    return bool(set(route.capabilities) & staff) and bool(
        {"booking_id", "resource_id", "closure_id", "grant_id", "code"} & set(route.parameters))


async def test_operator_of_y_cannot_act_on_x(client, app, people):
    """Y's operator is refused on X's resources, bookings, closures and qualifications,
    and cannot book X's resources on behalf of anyone (API bookings and series)."""
    world = await build_world(people)
    result = await sweep(client, app, world, "operator_y", only=_acts_for_x, must_deny=True)
    assert len(result.answers) > 25
    assert not result.problems, "\n".join(result.problems)

    y = world.actors["operator_y"].api_headers()
    engineer = world.engineer_a
    staff = world.actors["park_admin"].api_headers()
    before = len((await client.get("/api/bookings", headers=staff)).json())
    for path, extra in (("/api/bookings", {}), ("/api/series", {"rrule": "FREQ=WEEKLY;COUNT=2"})):
        for on_behalf in ({"enterprise_id": world.a, "account_id": engineer.id},
                          {"enterprise_id": world.a}, {"account_id": engineer.id}):
            response = await client.post(path, headers=y, json={
                "resource_id": world.resource_x, **world.times(), **extra, **on_behalf})
            assert response.status_code == 403, (path, on_behalf, response.text)
            assert response.json()["code"].startswith("forbidden")
    after = len((await client.get("/api/bookings", headers=staff)).json())
    assert after == before, "a refused on-behalf booking was written"
