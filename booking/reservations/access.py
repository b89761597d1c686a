"""Permission decisions about one booking, through ``booking.accounts.permissions``.

A booking's scope is its platform, enterprise and booker: every capability about it
(view, act on, approve, operate) is asked with these three, so no caller picks a
subset and gets a different answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from booking.accounts.permissions import Can, allows, require
from booking.accounts.principal import Principal
from i18n.translations import N_

NOT_YOURS = N_("This booking belongs to another enterprise.")
OPERATORS_ONLY = N_("Only the platform's operators can do this.")


def may(principal: Principal | None, can: Can, booking: Mapping[str, Any]) -> bool:
    """Whether ``principal`` may ``can`` on a booking (or a row with its platform,
    enterprise and account, such as a series with its resource's platform)."""
    return allows(principal, can, platform_id=booking["platform"],
                  enterprise_id=booking["enterprise"], account_id=booking["account"])


def require_on(principal: Principal | None, can: Can, booking: Mapping[str, Any], *,
               code: str = "forbidden", message: str | None = None) -> Principal:
    return require(principal, can, platform_id=booking["platform"],
                   enterprise_id=booking["enterprise"], account_id=booking["account"],
                   code=code, message=message)


def require_party(principal: Principal | None, can: Can, booking: Mapping[str, Any]) -> Principal:
    """As ``require_on`` for what the booking's parties may do (see, cancel, move, check
    in): its booker, their enterprise admin, the platform's staff. Anyone else is
    told ``forbidden_booking``."""
    return require_on(principal, can, booking, code="forbidden_booking", message=NOT_YOURS)
