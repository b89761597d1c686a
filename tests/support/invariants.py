"""Database-wide checks that no resource is ever over-booked."""

from __future__ import annotations

from booking.reservations.tables import Booking
from calendars.intervals import Interval
from calendars.occupancy import peak_units
from platforms.tables import Resource


async def assert_never_overbooked(resource_id: int) -> None:
    resource = await Resource.select(Resource.capacity, Resource.kind).where(
        Resource.id == resource_id).first()
    rows = await Booking.select(Booking.start_at, Booking.block_end_at, Booking.quantity).where(
        (Booking.resource == resource_id) & Booking.holds.eq(True))
    booked = [(Interval(r["start_at"], r["block_end_at"]), r["quantity"]) for r in rows]
    for interval, _ in booked:
        peak = peak_units(booked, interval)
        assert peak <= resource["capacity"], (
            f"resource {resource_id} holds {peak} units at once within {interval}, "
            f"capacity {resource['capacity']}")
