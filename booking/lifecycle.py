"""Start-up and shut-down: database pools, SQLite pragmas, background jobs."""

from __future__ import annotations

import asyncio
import logging
import os

from litestar import Litestar

from booking.db import engine, is_postgres

log = logging.getLogger("parkbench")


async def prepare_database() -> None:
    db = engine()
    if is_postgres():
        if db.pool is not None:
            return
        await db.start_connection_pool(
            min_size=1, max_size=int(os.environ.get("PARKBENCH_DB_POOL", "20")),
            reset=_keep_connection,
        )
    else:
        # WAL lets readers go on while one writer holds the lock; it persists in the file.
        await db.run_ddl("PRAGMA journal_mode=WAL")


async def _keep_connection(connection) -> None:
    """No reset round trip on release: the app sets no session state, LISTENs to
    nothing and takes no advisory locks, and Piccolo ends every transaction."""


async def close_database() -> None:
    db = engine()
    if is_postgres():
        await db.close_connection_pool()
    elif hasattr(db, "close_pools"):
        await db.close_pools()


async def startup(app: Litestar) -> None:
    await prepare_database()
    settings = app.state.settings
    if settings.run_jobs:
        from booking.jobs import run_forever

        app.state.jobs_task = asyncio.create_task(run_forever(settings))


async def shutdown(app: Litestar) -> None:
    task = getattr(app.state, "jobs_task", None)
    if task is not None:
        task.cancel()
        try:
            await task
        except (asyncio.CancelledError, Exception):  # noqa: BLE001 - shutting down
            pass
    await close_database()
