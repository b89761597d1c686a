"""Enterprise search: the term lookup index, and the terms and categories of the
enterprises registered before the index existed.

On PostgreSQL the term column takes the "C" collation first: prefix ranges
(term >= 'micro' AND term < 'micrp') must follow byte order to use the index.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine

from booking.accounts.terms import document_terms

ID = "2026-12-01T21:30:21:000000"
VERSION = "1.38.0"
DESCRIPTION = "enterprise_term lookup index; terms and categories of existing enterprises"

BATCH = 500


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)

    async def run():
        from piccolo.table import Table

        class Enterprise(Table, tablename="enterprise"):
            pass

        db = Enterprise._meta.db
        if isinstance(db, PostgresEngine):
            await db.run_ddl('ALTER TABLE enterprise_term ALTER COLUMN term TYPE VARCHAR(64) '
                             'COLLATE "C"')
        await db.run_ddl("CREATE INDEX IF NOT EXISTS enterprise_term_lookup "
                         "ON enterprise_term (term, enterprise)")
        await Enterprise.raw(
            "UPDATE enterprise SET categories = CASE "
            "WHEN is_sme AND is_specialised THEN 'sme,specialised' "
            "WHEN is_sme THEN 'sme' WHEN is_specialised THEN 'specialised' ELSE '' END")
        rows = await Enterprise.raw("SELECT id, name_zh, name_en, uscc FROM enterprise")
        values: list[tuple[int, str]] = []
        for row in rows:
            values.extend((row["id"], term) for term in
                          sorted(document_terms(row["name_zh"], row["name_en"], row["uscc"])))
        for start in range(0, len(values), BATCH):
            chunk = values[start:start + BATCH]
            placeholders = ", ".join("({}, {})" for _ in chunk)
            await Enterprise.raw(
                f"INSERT INTO enterprise_term (enterprise, term) VALUES {placeholders}",
                *[item for pair in chunk for item in pair])

    async def run_backwards():
        from piccolo.table import Table

        class EnterpriseTerm(Table, tablename="enterprise_term"):
            pass

        await EnterpriseTerm._meta.db.run_ddl("DROP INDEX IF EXISTS enterprise_term_lookup")
        await EnterpriseTerm.raw("DELETE FROM enterprise_term")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
