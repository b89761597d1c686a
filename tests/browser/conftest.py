"""Browser tests: the real server in a subprocess, driven by Debian's Chromium.

The server gets its own SQLite file with the demo data, exactly as `make run`
prepares it; a failing test leaves a full-page screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("PARKBENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
DEMO_PASSWORD = "parkbench-demo"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server():
    workdir = Path(tempfile.mkdtemp(prefix="parkbench-browser-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'browser.sqlite'}",
        "PARKBENCH_FAST_PASSWORD_HASH": "1",
        "PARKBENCH_RUN_JOBS": "0",
        "PARKBENCH_SECRET_KEY": "browser-test-secret-0123456789",
        "PARKBENCH_LOGIN_RATE": "1000",
    }
    env.pop("PARKBENCH_TEST_DATABASE_URL", None)
    cli = [sys.executable, "-m", "litestar", "--app", "booking.app:create_app"]
    subprocess.run([*cli, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*cli, "demo", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env["PARKBENCH_BASE_URL"] = base_url
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 - closed in teardown
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "booking.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise RuntimeError((workdir / "server.log").read_text())
    yield base_url
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def chromium() -> str:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium):
    from playwright.async_api import async_playwright

    playwright = await async_playwright().start()
    instance = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    yield instance
    await instance.close()
    await playwright.stop()


@pytest.fixture
async def page(browser, live_server, request):
    context = await browser.new_context(base_url=live_server, locale="zh-CN",
                                        timezone_id="Asia/Shanghai",
                                        viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = await context.new_page()
    console_errors: list[str] = []
    tab.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    tab.console_errors = console_errors  # type: ignore[attr-defined]
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        await tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    await context.close()


async def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    await page.goto("/login")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.click("form.form button[type=submit]")
    await page.wait_for_load_state("networkidle")


async def htmx_settled(page) -> None:
    """Wait until htmx has swapped and processed new content: typing into an element
    swapped in a few milliseconds ago would otherwise reach no htmx listener."""
    await page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
