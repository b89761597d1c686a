"""What every operator page shows around its content: the platform menu, the tabs, the
pending-approval count, and the zone times are laid out in."""

from __future__ import annotations

from typing import Any

from litestar.plugins.htmx import HTMXRequest

from booking.accounts.principal import principal_of
from booking.catalog import queries as catalog
from booking.http.pages import viewer_zone
from booking.operator.views import STATUS_LABELS
from booking.reservations import queries as bookings


async def nav_context(request: HTMXRequest, platform: dict[str, Any], tab: str) -> dict[str, Any]:
    principal = principal_of(request)
    return {"platform": platform, "platforms": await catalog.operated_platforms(principal),
            "tab": tab, "zone": viewer_zone(request),
            "pending_count": await bookings.pending_count(principal, platform["id"]),
            "status_labels": STATUS_LABELS}
