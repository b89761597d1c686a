"""Database engine selection.

SQLite file under ``var/`` by default; PostgreSQL when ``DATABASE_URL`` names one
(``postgres://`` or ``postgresql://``). Tests set ``DATABASE_URL`` before anything
touches a table, because Piccolo binds tables to this module's ``DB`` lazily.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine

ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = ROOT / "var" / "parkbench.sqlite"


def postgres_config(url: str) -> dict:
    parts = urlparse(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username) if parts.username else "postgres",
        "password": unquote(parts.password) if parts.password else None,
        "database": parts.path.lstrip("/") or "postgres",
    }


def make_engine(url: str | None):
    if url and url.split(":", 1)[0] in {"postgres", "postgresql"}:
        return PostgresEngine(config=postgres_config(url))
    if url and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
    else:
        path = DEFAULT_SQLITE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    from booking.sqlite_engine import PooledSQLiteEngine

    # A generous busy timeout: IMMEDIATE write transactions queue on the file lock
    # instead of failing while another writer holds it.
    return PooledSQLiteEngine(path=str(path), timeout=60)


DB = make_engine(os.environ.get("DATABASE_URL"))

APP_REGISTRY = AppRegistry(apps=["platforms.piccolo_app", "booking.piccolo_app"])
