"""Commands under ``litestar --app booking.app:create_app …`` (Litestar's CLI plugin).

``db migrate``, ``demo load``, ``catalog load``, ``user create``, ``jobs run``;
serving is Litestar's own ``run``.
"""

from __future__ import annotations

import asyncio

import click
from litestar.plugins import CLIPluginProtocol

from booking.accounts.roles import Role


def _run(coro):
    async def main():
        from booking.lifecycle import close_database

        try:
            return await coro
        finally:
            # Pooled SQLite connections hold threads that would keep the process alive.
            await close_database()

    return asyncio.run(main())


async def migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    for app_name in ("platforms", "booking"):
        response = await run_forwards(app_name=app_name, migration_id="all", fake=False)
        if not response.success:
            raise click.ClickException(response.message or f"migrating {app_name} failed")


class CLIPlugin(CLIPluginProtocol):
    def on_cli_init(self, cli: click.Group) -> None:
        @cli.group(name="db", help="Database schema.")
        def db() -> None: ...

        @db.command(name="migrate", help="Run every pending migration (SQLite or PostgreSQL).")
        def migrate_command() -> None:
            _run(migrate())
            click.echo("migrations applied")

        @cli.group(name="catalog", help="The platforms' catalog.")
        def catalog_group() -> None: ...

        @catalog_group.command(name="load", help="Load or refresh the catalog from YAML.")
        @click.option("--file", "path", type=click.Path(exists=True, dir_okay=False),
                      default=None)
        def catalog_load(path: str | None) -> None:
            from pathlib import Path

            from platforms.catalog_file import CATALOG_FILE, load_catalog

            counts = _run(load_catalog(Path(path) if path else CATALOG_FILE))
            click.echo(f"catalog loaded: {counts}")

        @cli.group(name="demo", help="Demo data (never loaded by production start-up).")
        def demo() -> None: ...

        @demo.command(name="load", help="Load the demo catalog, accounts and bookings.")
        @click.option("--if-empty", is_flag=True, help="Only when there are no accounts yet.")
        def demo_load(if_empty: bool) -> None:
            from booking.demo import load_demo

            result = _run(load_demo(only_if_empty=if_empty))
            click.echo(result)

        @cli.group(name="user", help="Accounts.")
        def user() -> None: ...

        @user.command(name="create", help="Create an account.")
        @click.option("--email", required=True)
        @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
        @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
        @click.option("--name", "display_name", default="")
        @click.option("--enterprise-uscc", default=None,
                      help="Credit code of the enterprise (engineers and their admins).")
        @click.option("--platform", "platforms", multiple=True,
                      help="Platform code an operator runs (repeatable).")
        def user_create(email, password, role, display_name, enterprise_uscc, platforms) -> None:
            from booking.accounts.service import create_account
            from booking.accounts.tables import Enterprise
            from booking.errors import DomainError

            async def work() -> int:
                enterprise_id = None
                if enterprise_uscc:
                    row = await Enterprise.select(Enterprise.id).where(
                        Enterprise.uscc == enterprise_uscc.strip().upper()).first()
                    if not row:
                        raise click.ClickException("no enterprise with that credit code")
                    enterprise_id = row["id"]
                return await create_account(
                    email=email, password=password, role=role, display_name=display_name,
                    enterprise_id=enterprise_id, platform_codes=list(platforms),
                )

            try:
                account_id = _run(work())
            except DomainError as exc:
                raise click.ClickException(f"{exc.code}: {exc.message % exc.params}") from exc
            click.echo(f"created account {account_id}")

        @cli.group(name="jobs", help="Background sweeps.")
        def jobs() -> None: ...

        @jobs.command(name="run", help="Run every sweep once (expiry, no-shows, mail).")
        def jobs_run() -> None:
            from booking.jobs import run_once
            from booking.settings import Settings

            click.echo(_run(run_once(Settings.from_env())))
