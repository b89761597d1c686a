"""A booking row as it crosses package boundaries: every ``Booking`` column, typed.

Reads return what the database returns (a status is its stored code, a plain
``str`` that compares equal to ``BookingStatus`` members); the TypedDict only tells
readers and type checkers which keys they may rely on.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict


class BookingRow(TypedDict):
    id: int
    uid: str
    resource: int
    platform: int
    enterprise: int
    account: int
    created_by: int | None
    exclusive: bool
    start_at: datetime
    end_at: datetime
    block_end_at: datetime
    quantity: int
    status: str
    holds: bool
    hold_expires_at: datetime | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    late_cancel: bool
    staff_operated: bool
    series: int | None
    note: str
    idempotency_key: str | None
    idempotency_digest: str | None
    sequence: int
    created_at: datetime
    updated_at: datetime
