"""Indexes for the conflict check, and on PostgreSQL the exclusion-constraint backstop.

The lock-and-recheck path in ``booking.reservations.locking`` is what keeps bookings
apart on every engine; on PostgreSQL this constraint makes a double booking of an
exclusive instrument impossible even for a write that bypassed it.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine

from booking.reservations.tables import Booking

ID = "2026-11-26T15:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "booking conflict indexes and exclusion constraint"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)

    async def run():
        db = Booking._meta.db
        await db.run_ddl(
            "CREATE INDEX IF NOT EXISTS booking_resource_window "
            "ON booking (resource, block_end_at, start_at)"
        )
        await db.run_ddl(
            "CREATE INDEX IF NOT EXISTS booking_enterprise_start ON booking (enterprise, start_at)"
        )
        await db.run_ddl(
            "CREATE INDEX IF NOT EXISTS booking_account_start ON booking (account, start_at)"
        )
        if isinstance(db, PostgresEngine):
            await db.run_ddl("CREATE EXTENSION IF NOT EXISTS btree_gist")
            await db.run_ddl(
                "ALTER TABLE booking ADD CONSTRAINT booking_no_overlap "
                "EXCLUDE USING gist (resource WITH =, "
                "tstzrange(start_at, block_end_at, '[)') WITH &&) "
                "WHERE (exclusive AND holds)"
            )

    async def run_backwards():
        db = Booking._meta.db
        if isinstance(db, PostgresEngine):
            await db.run_ddl("ALTER TABLE booking DROP CONSTRAINT IF EXISTS booking_no_overlap")
        for name in ("booking_resource_window", "booking_enterprise_start", "booking_account_start"):
            await db.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
