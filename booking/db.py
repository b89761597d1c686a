"""Engine-aware transactions: the one place that knows SQLite from PostgreSQL.

Every write that can take capacity runs inside ``write_transaction()`` and calls
``lock_resource()`` before it re-checks: on PostgreSQL that is ``SELECT … FOR UPDATE``
of the resource row, on SQLite the IMMEDIATE transaction already holds the
database's single write lock, so the recheck that follows sees every committed
booking and no other writer can slip in before the commit.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Awaitable, Callable
from typing import TypeVar

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from platforms.tables import Resource

T = TypeVar("T")


def engine():
    return Resource._meta.db


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


def write_transaction():
    db = engine()
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


async def lock_resource(resource_id: int) -> int | None:
    """Lock the resource for this transaction; returns its current ``revision``."""
    query = Resource.select(Resource.revision).where(Resource.id == resource_id)
    if is_postgres():
        query = query.lock_rows()
    row = await query.first()
    return row["revision"] if row else None


async def lock_rows(table: type[Table], ids: list[int]) -> None:
    """Row locks in id order (a fixed order cannot deadlock) on PostgreSQL."""
    if is_postgres() and ids:
        await table.select(table._meta.primary_key).where(
            table._meta.primary_key.is_in(sorted(set(ids)))
        ).order_by(table._meta.primary_key).lock_rows()


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return "locked" in str(exc) or "busy" in str(exc)
    name = type(exc).__name__
    return name in {"DeadlockDetectedError", "SerializationError"}


async def in_write_transaction(work: Callable[[], Awaitable[T]], attempts: int = 5) -> T:
    """Run ``work`` in the outermost write transaction, retrying lock timeouts."""
    for attempt in range(attempts):
        try:
            async with write_transaction():
                return await work()
        except Exception as exc:  # noqa: BLE001 - re-raised unless a lock hiccup
            if attempt == attempts - 1 or not _retryable(exc):
                raise
            await asyncio.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")
