"""Server-side sessions that are only stored once something is put in them, and that
get a new id whenever the signed-in account changes.

Litestar's backend stores an empty session for every cookieless request; API
clients with bearer tokens would fill the store with millions of empty sessions.

It also keeps the id from the request's cookie when the session is filled, so an id
planted in a victim's browser before log-in would be the victim's session after it
(session fixation). The id is therefore replaced, and the old one dropped from the
store, when the identity in the session differs from the one it was loaded with:
log-in, invitation acceptance, or any later switch of account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)

# Scope keys of this request's session bookkeeping.
_LOADED_IDENTITY = "parkbench.session_identity"
_FRESH_ID = "parkbench.fresh_session_id"


class LazySessionBackend(ServerSideSessionBackend):
    config: LazySessionConfig

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope[_LOADED_IDENTITY] = data.get(self.config.identity_key)  # type: ignore[literal-required]
        return data

    def get_session_id(self, connection: ASGIConnection) -> str:
        fresh = connection.scope.get(_FRESH_ID)
        return fresh if isinstance(fresh, str) else super().get_session_id(connection)

    async def store_in_message(self, scope_session: Any, message: Any,
                               connection: ASGIConnection) -> None:
        if not scope_session and self.config.key not in connection.cookies:
            return
        if isinstance(scope_session, dict) and _FRESH_ID not in connection.scope:
            identity = scope_session.get(self.config.identity_key)
            if identity is not None and identity != connection.scope.get(_LOADED_IDENTITY):
                old = connection.cookies.get(self.config.key)
                if old:
                    await self.delete(old, store=self.config.get_store_from_app(
                        connection.scope["app"]))
                connection.scope[_FRESH_ID] = self.generate_session_id()  # type: ignore[literal-required]
        await super().store_in_message(scope_session, message, connection)


@dataclass
class LazySessionConfig(ServerSideSessionConfig):
    _backend_class = LazySessionBackend
    # The session entry naming who is signed in.
    identity_key: str = "account_id"
