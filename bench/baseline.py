"""The bare baseline: the rows the load test created, inserted again straight through
the driver (asyncpg / sqlite3), one row per transaction, at the load test's concurrency.

No HTTP, no ORM, no lock, no re-check, no history row: what is left is the database's
own cost of a durable single-row insert into the same table with the same indexes
(and, on PostgreSQL, the same exclusion constraint). The rows are deleted first, so
they go back into the same table state the stack wrote them into.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

from bench.dataset import BOOKING_COLUMNS

COLUMNS = ", ".join(BOOKING_COLUMNS)


async def postgres_baseline(url: str, after_id: int, concurrency: int) -> dict:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(f"SELECT {COLUMNS} FROM booking WHERE id > $1 ORDER BY id",
                                after_id)
        await conn.execute("DELETE FROM booking_event WHERE booking > $1", after_id)
        await conn.execute("DELETE FROM booking WHERE id > $1", after_id)
    finally:
        await conn.close()
    if not rows:
        return {"rows": 0, "seconds": 0.0, "inserts_per_s": 0.0}
    marks = ", ".join(f"${i + 1}" for i in range(len(BOOKING_COLUMNS)))
    sql = f"INSERT INTO booking ({COLUMNS}) VALUES ({marks})"
    pool = await asyncpg.create_pool(url, min_size=concurrency, max_size=concurrency)
    queue = iter(rows)

    async def worker() -> None:
        async with pool.acquire() as conn:
            for row in queue:  # the iterator is shared: each row is taken once
                await conn.execute(sql, *row.values())  # autocommit: one row, one commit

    try:
        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - began
    finally:
        await pool.close()
    return {"rows": len(rows), "seconds": seconds, "inserts_per_s": len(rows) / seconds}


def sqlite_baseline(path: Path, after_id: int, concurrency: int) -> dict:
    setup = sqlite3.connect(path, timeout=60)
    try:
        rows = setup.execute(f"SELECT {COLUMNS} FROM booking WHERE id > ? ORDER BY id",
                             (after_id,)).fetchall()
        with setup:
            setup.execute("DELETE FROM booking_event WHERE booking > ?", (after_id,))
            setup.execute("DELETE FROM booking WHERE id > ?", (after_id,))
    finally:
        setup.close()
    if not rows:
        return {"rows": 0, "seconds": 0.0, "inserts_per_s": 0.0}
    marks = ", ".join("?" for _ in BOOKING_COLUMNS)
    sql = f"INSERT INTO booking ({COLUMNS}) VALUES ({marks})"
    lock = threading.Lock()
    queue = iter(rows)

    def worker() -> None:
        # Like the app: its own connection, an IMMEDIATE write transaction per row.
        conn = sqlite3.connect(path, timeout=60, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = 1")
        try:
            while True:
                with lock:
                    row = next(queue, None)
                if row is None:
                    return
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(sql, row)
                conn.execute("COMMIT")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    return {"rows": len(rows), "seconds": seconds, "inserts_per_s": len(rows) / seconds}


def remove_rows_after(engine: str, target: str, after_id: int) -> None:
    """Put the table back to the pre-filled state for the next run."""
    if engine == "postgres":
        async def work() -> None:
            import asyncpg

            conn = await asyncpg.connect(target)
            try:
                await conn.execute("DELETE FROM booking_event WHERE booking > $1", after_id)
                await conn.execute("DELETE FROM booking WHERE id > $1", after_id)
            finally:
                await conn.close()

        asyncio.run(work())
        return
    conn = sqlite3.connect(target, timeout=60)
    try:
        with conn:
            conn.execute("DELETE FROM booking_event WHERE booking > ?", (after_id,))
            conn.execute("DELETE FROM booking WHERE id > ?", (after_id,))
    finally:
        conn.close()
