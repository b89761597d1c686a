"""Schema set-up through the real migrations, and a data reset between tests."""

from __future__ import annotations

import os

from piccolo.engine.postgres import PostgresEngine

ENGINE_NAME = "postgresql" if os.environ["DATABASE_URL"].startswith("postgres") else "sqlite"

# Child tables first, so deletes never trip a foreign key.
MUTABLE_TABLES = (
    "feed_token", "outbox_message", "notification", "waitlist_entry", "booking_event",
    "booking", "series", "qualification_grant", "api_token", "operator_assignment",
    "invitation", "account", "enterprise_term", "enterprise", "closure",
)


async def prepare_schema() -> None:
    from booking.cli import migrate
    from booking.db import engine
    from booking.lifecycle import prepare_database
    from platforms.catalog_file import load_catalog

    db = engine()
    if isinstance(db, PostgresEngine):
        await db.run_ddl("DROP SCHEMA IF EXISTS public CASCADE")
        await db.run_ddl("CREATE SCHEMA public")
    await migrate()
    await prepare_database()
    await load_catalog()


async def reset_data() -> None:
    from booking.accounts import service as accounts
    from booking.db import engine
    from booking.reservations import policies
    from platforms.catalog_file import load_catalog

    db = engine()
    for table in MUTABLE_TABLES:
        await db.run_ddl(f"DELETE FROM {table}")
    test_resources = "SELECT id FROM resource WHERE code LIKE 'test-%'"
    for table in ("opening_hours", "tariff"):
        await db.run_ddl(f"DELETE FROM {table} WHERE resource IN ({test_resources})")
    await db.run_ddl("DELETE FROM resource WHERE code LIKE 'test-%'")
    # Tests may change rules and capacities; the seed file puts them back.
    await load_catalog()
    policies._cache.clear()
    accounts._token_cache.clear()
