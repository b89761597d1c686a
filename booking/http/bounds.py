"""The bounds every input is held to, declared once so the OpenAPI schema states them.

A value outside them could only overflow a 64-bit column or the calendar's arithmetic,
so it is refused at the schema with a 400 (or, for instants, the 422 ``instant_out_of_range``)
before any service sees it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import msgspec
from litestar.params import Parameter

from booking.errors import RuleViolation

MAX_ID = 2**63 - 1
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_RANGE = "between 2000-01-01 and 2100-01-01"

# Litestar writes bounds into the OpenAPI schema as floats, and 2**63 - 1 as a float is
# 2**63: the exact integer goes in as schema_extra so clients see the real maximum.
_EXACT = {"maximum": MAX_ID}

# Path and query parameters.
Id = Annotated[int, Parameter(ge=1, le=MAX_ID, schema_extra=_EXACT)]
Offset = Annotated[int, Parameter(ge=0, le=MAX_ID, schema_extra=_EXACT)]
# Litestar loses a Parameter nested inside ``Id | None``: the bounds go on the union.
OptionalId = Annotated[int | None, Parameter(ge=1, le=MAX_ID, schema_extra=_EXACT)]
InstantParam = Annotated[datetime, Parameter(
    description=f"ISO 8601; without an offset, wall-clock time in the resource's zone; {_RANGE}")]

# Fields of request bodies.
IdField = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID, extra_json_schema={"extra": _EXACT})]
Instant = Annotated[datetime, msgspec.Meta(
    description=f"ISO 8601; without an offset, wall-clock time in the resource's zone; {_RANGE}",
    extra_json_schema={"examples": ["2027-03-01T09:00:00+08:00"]})]


def check_instant(moment: datetime) -> datetime:
    """Refuse an instant outside the range before any zone or offset arithmetic, which
    overflows at the calendar's ends (year 1 with a positive offset, 9999 with a negative)."""
    if moment.tzinfo is None:
        inside = EARLIEST.replace(tzinfo=None) <= moment < LATEST.replace(tzinfo=None)
    else:
        inside = EARLIEST <= moment < LATEST
    if not inside:
        raise RuleViolation("instant_out_of_range",
                            "Times must lie between 2000-01-01 and 2100-01-01.")
    return moment
