"""Who is asking: the authenticated account as the rest of the app sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from booking.accounts.roles import Role
from booking.errors import Unauthorized
from calendars.zones import DEFAULT_ZONE_NAME


@dataclass(frozen=True, slots=True)
class Principal:
    id: int
    email: str
    display_name: str
    role: str
    enterprise_id: int | None
    tier: str | None
    platform_ids: frozenset[int] = field(default_factory=frozenset)
    locale: str | None = None
    timezone: str = DEFAULT_ZONE_NAME
    via_token: bool = False

    @property
    def is_park_admin(self) -> bool:
        return self.role == Role.PARK_ADMIN

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_enterprise_admin(self) -> bool:
        return self.role == Role.ENTERPRISE_ADMIN

    @property
    def can_book(self) -> bool:
        return self.enterprise_id is not None

    def operates(self, platform_id: int) -> bool:
        return self.is_park_admin or platform_id in self.platform_ids


def principal_of(connection: Any) -> Principal:
    """The authenticated principal of a request (the app's guard lets no anonymous
    request reach a route that needs one; this is the service-side backstop)."""
    principal = connection.scope.get("user")
    if principal is None:
        raise Unauthorized("authentication_required", "Please log in first.")
    return principal
