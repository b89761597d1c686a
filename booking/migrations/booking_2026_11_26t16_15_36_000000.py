"""The key of ``feed_block``: one block per booking, variant, locale and zone.

A unique index rather than a table constraint, so that it can be added on SQLite
too; it leads with ``booking`` and so also serves the feed's join and the cascade.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from booking.invites.tables import FeedBlock

ID = "2026-11-26T16:15:36:000000"
VERSION = "1.38.0"
DESCRIPTION = "feed_block unique key (booking, variant, locale, zone)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)

    async def run():
        await FeedBlock._meta.db.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS feed_block_key "
            "ON feed_block (booking, variant, locale, zone)"
        )

    async def run_backwards():
        await FeedBlock._meta.db.run_ddl("DROP INDEX IF EXISTS feed_block_key")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
