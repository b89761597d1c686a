"""Permissions as named capabilities: the one place that decides who may do what.

Every route declares the capability it needs (``opt=needs(Can.BOOK)`` on a handler,
or ``opt = needs(...)`` on a controller); the app-wide ``capability_guard`` answers 401
for anonymous callers and 403 for roles that can never hold it, and refuses any
route that declares nothing. Services then call ``require()`` with the object's
platform, enterprise or owner, because only they know which object is meant.
Listings go through ``restrict()``, so a query cannot forget a clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from booking.accounts.principal import Principal
from booking.accounts.roles import Role
from booking.errors import Forbidden, Unauthorized

CAPABILITY = "capability"


class Can(StrEnum):
    PUBLIC = "public"  # no account needed: the catalog, log-in, token-addressed feeds
    SIGNED_IN = "signed_in"  # one's own account: preferences, tokens, notifications
    VIEW_BOOKINGS = "view_bookings"  # a booking: its booker, their enterprise admin, its operators
    BOOK = "book"  # a member books for themselves, for their own enterprise
    BOOK_ON_BEHALF = "book_on_behalf"  # an operator books on their own platform for an enterprise
    ACT_ON_BOOKING = "act_on_booking"  # cancel, move, check in/out: as VIEW_BOOKINGS
    OPERATE_RESOURCE = "operate_resource"  # hours, closures, rules, capacity, tariffs
    APPROVE_BOOKINGS = "approve_bookings"
    MANAGE_QUALIFICATIONS = "manage_qualifications"
    VIEW_OPERATIONS = "view_operations"  # operator boards and queues, the outbox
    VIEW_ENTERPRISE = "view_enterprise"  # staff see every enterprise, members their own
    MANAGE_MEMBERS = "manage_members"  # an enterprise's admin, or the park admin
    REGISTER_ENTERPRISES = "register_enterprises"  # the park admin's register
    SEARCH_ENTERPRISES = "search_enterprises"  # list and search every enterprise: staff


_EVERY_ROLE = frozenset(Role)
_MEMBERS = frozenset(r for r in Role if r.is_member)
_STAFF = _EVERY_ROLE - _MEMBERS

# Which roles can ever hold a capability; the object decides the rest.
ROLES_HOLDING: dict[Can, frozenset[Role]] = {
    Can.PUBLIC: _EVERY_ROLE,
    Can.SIGNED_IN: _EVERY_ROLE,
    Can.VIEW_BOOKINGS: _EVERY_ROLE,
    Can.BOOK: _MEMBERS,
    Can.BOOK_ON_BEHALF: _STAFF,
    Can.ACT_ON_BOOKING: _EVERY_ROLE,
    Can.OPERATE_RESOURCE: _STAFF,
    Can.APPROVE_BOOKINGS: _STAFF,
    Can.MANAGE_QUALIFICATIONS: _STAFF,
    Can.VIEW_OPERATIONS: _STAFF,
    Can.VIEW_ENTERPRISE: _EVERY_ROLE,
    Can.MANAGE_MEMBERS: frozenset({Role.ENTERPRISE_ADMIN, Role.PARK_ADMIN}),
    Can.REGISTER_ENTERPRISES: frozenset({Role.PARK_ADMIN}),
    Can.SEARCH_ENTERPRISES: _STAFF,
}
_PLATFORM_SCOPED = frozenset({Can.BOOK_ON_BEHALF, Can.OPERATE_RESOURCE, Can.APPROVE_BOOKINGS,
                              Can.MANAGE_QUALIFICATIONS, Can.VIEW_OPERATIONS})


def holds_role(principal: Principal | None, can: Can) -> bool:
    """Whether the principal's role can hold ``can`` at all, whatever the object."""
    if can is Can.PUBLIC:
        return True
    if principal is None:
        return False
    if can is Can.BOOK and principal.enterprise_id is None:
        return False
    return principal.role in ROLES_HOLDING[can]


def allows(principal: Principal | None, can: Can, *, platform_id: int | None = None,
           enterprise_id: int | None = None, account_id: int | None = None) -> bool:
    """Whether ``principal`` may do ``can`` to an object of this platform, enterprise
    and owner. An argument left out is not part of the object."""
    if not holds_role(principal, can):
        return False
    assert principal is not None or can is Can.PUBLIC
    if can is Can.PUBLIC:
        return True
    assert principal is not None
    if can is Can.SIGNED_IN:
        # One's own things (tokens, feeds, preferences): an owner given must be oneself.
        return account_id is None or account_id == principal.id
    if can in _PLATFORM_SCOPED:
        return platform_id is None or principal.operates(platform_id)
    if can in (Can.VIEW_BOOKINGS, Can.ACT_ON_BOOKING):
        if principal.is_park_admin:
            return True
        if platform_id is not None and principal.operates(platform_id):
            return True
        if (principal.is_enterprise_admin and enterprise_id is not None
                and enterprise_id == principal.enterprise_id):
            return True
        return account_id is not None and account_id == principal.id
    if can is Can.BOOK:
        return ((enterprise_id is None or enterprise_id == principal.enterprise_id)
                and (account_id is None or account_id == principal.id))
    if can is Can.VIEW_ENTERPRISE:
        if principal.role in _STAFF:
            return True
        return enterprise_id is not None and enterprise_id == principal.enterprise_id
    if can is Can.MANAGE_MEMBERS:
        if principal.is_park_admin:
            return True
        return enterprise_id is not None and enterprise_id == principal.enterprise_id
    if can is Can.REGISTER_ENTERPRISES:
        return principal.is_park_admin
    if can is Can.SEARCH_ENTERPRISES:
        return principal.role in _STAFF
    raise AssertionError(f"no decision for {can}")


_MESSAGES = {
    "forbidden": "You are not allowed to do this.",
}


def require(principal: Principal | None, can: Can, *, platform_id: int | None = None,
            enterprise_id: int | None = None, account_id: int | None = None,
            code: str = "forbidden", message: str | None = None) -> Principal:
    """Raise the domain ``Forbidden`` (or ``Unauthorized`` for nobody) unless allowed.

    ``code`` and ``message`` let a caller keep a more precise stable code, such as
    ``forbidden_booking``; the decision itself is always ``allows()``.
    """
    if principal is None and can is not Can.PUBLIC:
        raise Unauthorized("authentication_required", "Please log in first.")
    if not allows(principal, can, platform_id=platform_id, enterprise_id=enterprise_id,
                  account_id=account_id):
        raise Forbidden(code, message or _MESSAGES.get(code, _MESSAGES["forbidden"]))
    return principal  # type: ignore[return-value]


def needs(*capabilities: Can) -> dict[str, Any]:
    """The ``opt`` a route declares: it may be used by anyone holding one of these."""
    if not capabilities:
        raise ValueError("a route needs at least one capability")
    return {CAPABILITY: tuple(capabilities)}


def declared(handler: BaseRouteHandler) -> tuple[Can, ...]:
    """The capabilities a route declared (through any layer's ``opt``), or ()."""
    value = (handler.opt or {}).get(CAPABILITY)
    if value is None:
        return ()
    if isinstance(value, Can):
        return (value,)
    return tuple(value)


async def capability_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Installed on the app: every route passes through it."""
    capabilities = declared(handler)
    if not capabilities:
        # Fail closed: a route nobody thought about is not reachable.
        raise Forbidden("undeclared_capability", "You are not allowed to do this.")
    if Can.PUBLIC in capabilities:
        return
    principal: Principal | None = connection.scope.get("user")
    if principal is None:
        raise NotAuthorizedException()
    if not any(holds_role(principal, can) for can in capabilities):
        raise Forbidden("forbidden", "You are not allowed to do this.")


def restrict(query: Any, principal: Principal, *, platform: Any = None, enterprise: Any = None,
             account: Any = None) -> Any | None:
    """``query`` narrowed to the rows the principal may see, or None when that is none.

    Pass the query's platform, enterprise and owner columns where it has them: staff
    see their platforms' rows, an enterprise admin their enterprise's, an engineer
    their own (or their enterprise's where rows have no owner).
    """
    if principal.is_park_admin:
        return query
    if principal.is_operator:
        if platform is None or not principal.platform_ids:
            return None
        return query.where(platform.is_in(sorted(principal.platform_ids)))
    if principal.enterprise_id is None:
        return None
    if principal.is_enterprise_admin and enterprise is not None:
        return query.where(enterprise == principal.enterprise_id)
    if account is not None:
        return query.where(account == principal.id)
    return None


def holding(principal: Principal | None, capabilities: Iterable[Can]) -> list[Can]:
    """The capabilities of ``capabilities`` the principal's role can hold (for menus)."""
    return [can for can in capabilities if holds_role(principal, can)]
