"""``create_app()``: the composition root, the only place that wires every layer."""

from __future__ import annotations

import logging

from litestar import Litestar, Router, get
from litestar.config.csrf import CSRFConfig
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.stores.memory import MemoryStore
from litestar.stores.registry import StoreRegistry

from booking.accounts.permissions import CAPABILITY, Can, capability_guard, needs
from booking.settings import ROOT, Settings

# The closure import takes 2 MiB of .ics; with the multipart envelope, 3 MiB is room enough.
MAX_BODY_BYTES = 3 * 1024 * 1024


@get("/health", tags=["system"], opt=needs(Can.PUBLIC))
async def health() -> dict[str, str]:
    from platforms.tables import Platform

    await Platform.count()
    return {"status": "ok"}


def _stores(settings: Settings) -> StoreRegistry:
    if settings.redis_url:
        from litestar.stores.redis import RedisStore

        root = RedisStore.with_client(url=settings.redis_url, namespace="parkbench")
        return StoreRegistry(default_factory=root.with_namespace)
    return StoreRegistry(default_factory=lambda name: MemoryStore())


def create_app(settings: Settings | None = None) -> Litestar:
    from litestar.plugins.htmx import HTMXPlugin

    from booking import lifecycle
    from booking.accounts.authentication import AuthMiddleware
    from booking.accounts.qualification_routes import QualificationsApi
    from booking.accounts.routers import ROUTERS as ACCOUNT_ROUTERS
    from booking.accounts.routes import LOGIN_PATHS, AuthApi, SessionPages
    from booking.catalog.routes import CatalogApi
    from booking.cli import CLIPlugin
    from booking.http.errors import EXCEPTION_HANDLERS
    from booking.http.security import security_headers
    from booking.http.sessions import LazySessionConfig
    from booking.http.static import static_router
    from booking.http.strict import strict_body
    from booking.http.templating import template_config
    from booking.invites import outbox
    from booking.invites.routes import ROUTERS as INVITE_ROUTERS
    from booking.operator.routes import ROUTERS as OPERATOR_ROUTERS
    from booking.park import PAGES as PARK_PAGES
    from booking.reservations.routes import ROUTERS as RESERVATION_ROUTERS
    from booking.web import PAGES as WEB_PAGES
    from booking.web.jinja import install as install_web_helpers

    settings = settings or Settings.from_env()
    # Invite e-mails are queued inside the transaction of the booking change.
    outbox.install(settings)
    logging.basicConfig(level=logging.INFO if not settings.debug else logging.DEBUG)

    session = LazySessionConfig(
        store="sessions", httponly=True, samesite="lax", secure=settings.secure_cookies,
        max_age=14 * 86400,
    )
    csrf = CSRFConfig(
        secret=settings.secret_key, cookie_httponly=False, cookie_samesite="lax",
        cookie_secure=settings.secure_cookies, exclude=["^/api/", "^/feeds/"],
        header_name="x-csrftoken",
    )
    async def is_login_attempt(request) -> bool:
        # Async, so Litestar does not hand every request to a worker thread for it.
        return request.method == "POST" and request.url.path in LOGIN_PATHS

    rate_limit = RateLimitConfig(
        rate_limit=("minute", settings.login_attempts_per_minute),
        check_throttle_handler=is_login_attempt,
        store="rate_limit",
    )
    route_handlers = [
        health,
        CatalogApi,
        AuthApi,
        SessionPages,
        QualificationsApi,
        *ACCOUNT_ROUTERS,
        *RESERVATION_ROUTERS,
        *OPERATOR_ROUTERS,
        *INVITE_ROUTERS,
        *WEB_PAGES,
        *PARK_PAGES,
        static_router(ROOT, needs(Can.PUBLIC)),
    ]

    templates = template_config()
    install_web_helpers(templates.engine_instance.engine)
    app = Litestar(
        route_handlers=route_handlers,
        guards=[capability_guard],
        middleware=[session.middleware, rate_limit.middleware,
                    lambda app: AuthMiddleware(app=app, exclude=["^/static/"])],
        csrf_config=csrf,
        stores=_stores(settings),
        template_config=templates,
        exception_handlers=EXCEPTION_HANDLERS,
        plugins=[HTMXPlugin(), CLIPlugin()],
        openapi_config=OpenAPIConfig(
            title="Parkbench API", version="1.0.0",
            openapi_router=Router(path="/schema", route_handlers=[], include_in_schema=False,
                                  opt=needs(Can.PUBLIC)),
            render_plugins=[SwaggerRenderPlugin()],
        ),
        on_startup=[lifecycle.startup],
        on_shutdown=[lifecycle.shutdown],
        before_request=strict_body,
        after_request=security_headers,
        request_max_body_size=MAX_BODY_BYTES,
        debug=False,
    )
    app.state.settings = settings
    _declare_generated_options(app)
    return app


def _declare_generated_options(app: Litestar) -> None:
    """Litestar answers OPTIONS on every path itself, with only the ``Allow`` header:
    the same facts the public OpenAPI schema states, so anyone may ask."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            generated = handler.fn.__qualname__.startswith("HTTPRoute.create_options_handler")
            if generated and handler.http_methods == {"OPTIONS"}:
                handler.opt[CAPABILITY] = (Can.PUBLIC,)
