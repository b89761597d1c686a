"""Reading bookings as each role may see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.accounts.principal import Principal
from booking.reservations.tables import Booking


async def visible_bookings(
    principal: Principal, *, statuses: list[str] | None = None, start: datetime | None = None,
    end: datetime | None = None, resource_id: int | None = None, limit: int = 200,
    offset: int = 0, mine_only: bool = False,
) -> list[dict[str, Any]]:
    query = Booking.select()
    if mine_only or principal.role == "engineer":
        query = query.where(Booking.account == principal.id)
    elif principal.is_enterprise_admin:
        query = query.where(Booking.enterprise == principal.enterprise_id)
    elif principal.is_operator:
        if not principal.platform_ids:
            return []
        query = query.where(Booking.platform.is_in(sorted(principal.platform_ids)))
    if statuses:
        query = query.where(Booking.status.is_in(list(statuses)))
    if start:
        query = query.where(Booking.end_at > start)
    if end:
        query = query.where(Booking.start_at < end)
    if resource_id:
        query = query.where(Booking.resource == resource_id)
    return await query.order_by(Booking.start_at).limit(limit).offset(offset)
