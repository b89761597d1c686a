"""Server-side sessions that are only stored once something is put in them.

Litestar's backend stores an empty session for every cookieless request; API
clients with bearer tokens would fill the store with millions of empty sessions.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)


class LazySessionBackend(ServerSideSessionBackend):
    async def store_in_message(self, scope_session: Any, message: Any,
                               connection: ASGIConnection) -> None:
        if not scope_session and self.config.key not in connection.cookies:
            return
        await super().store_in_message(scope_session, message, connection)


class LazySessionConfig(ServerSideSessionConfig):
    _backend_class = LazySessionBackend
