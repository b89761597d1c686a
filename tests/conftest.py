"""Test database and app fixtures.

The engine comes from ``PARKBENCH_TEST_DATABASE_URL`` (PostgreSQL) or is a fresh
SQLite file. The schema is built by the real migrations once per session; each
test starts from the seeded catalog with no people or bookings. Tests share no
transaction with the code under test, so concurrent requests really race.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_TEST_URL = os.environ.get("PARKBENCH_TEST_DATABASE_URL")
if _TEST_URL:
    os.environ["DATABASE_URL"] = _TEST_URL
else:
    _tmp = Path(tempfile.mkdtemp(prefix="parkbench-test-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp / 'test.sqlite'}"
os.environ["PARKBENCH_FAST_PASSWORD_HASH"] = "1"
os.environ["PARKBENCH_RUN_JOBS"] = "0"
os.environ.setdefault("PARKBENCH_SECRET_KEY", "test-secret-key-0123456789abcdef")

import logging  # noqa: E402

import pytest  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)

from tests.support.db import ENGINE_NAME, prepare_schema, reset_data  # noqa: E402
from tests.support.people import People  # noqa: E402


def pytest_report_header(config):
    return f"parkbench database engine: {ENGINE_NAME}"


@pytest.fixture(scope="session", autouse=True)
async def database():
    await prepare_schema()
    yield
    from booking.lifecycle import close_database

    await close_database()


@pytest.fixture(autouse=True)
async def clean_data(database):
    await reset_data()
    yield


@pytest.fixture
def settings():
    from booking.settings import Settings

    return Settings(
        database_url=os.environ["DATABASE_URL"], secret_key="test-secret-key-0123456789abcdef",
        run_jobs=False, login_attempts_per_minute=10,
    )


@pytest.fixture
async def app(settings):
    from booking.app import create_app

    return create_app(settings)


@pytest.fixture
async def client(app):
    """An HTTP client calling the app in the test's own event loop.

    Litestar's AsyncTestClient runs the app on a portal thread with its own loop,
    which the session-wide asyncpg pool cannot be shared with.
    """
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local",
                                 timeout=120) as test_client:
        yield test_client


@pytest.fixture
def people() -> People:
    return People()
