from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T22:54:37:637179"
VERSION = "1.38.0"
DESCRIPTION = "idempotency digest on bookings"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="booking", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Booking",
        tablename="booking",
        column_name="idempotency_digest",
        db_column_name="idempotency_digest",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
