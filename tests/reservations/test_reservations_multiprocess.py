"""Two server processes sharing one database still book a slot exactly once."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.invariants import assert_never_overbooked
from tests.support.resources import at, iso, local_day, make_resource

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_servers():
    env = {**os.environ, "PARKBENCH_RUN_JOBS": "0", "PARKBENCH_DB_POOL": "10"}
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "booking.app:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        ))
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    for url, process in zip(urls, processes, strict=True):
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
            time.sleep(0.2)
    yield urls
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=10)


async def test_a_herd_split_over_two_processes_books_one_slot_once(people, two_servers):
    crowd = [await people.engineer(f"proc-{i}") for i in range(10)]
    resource = await make_resource()
    pool = await make_resource(kind="pool", capacity=5)
    day = local_day(3)
    async with httpx.AsyncClient(timeout=120) as http:
        async def fire(i: int, target: int):
            body = {"resource_id": target, "start": iso(at(day, 9)), "end": iso(at(day, 10))}
            return await http.post(f"{two_servers[i % 2]}/api/bookings", json=body,
                                   headers=crowd[i % len(crowd)].headers)

        exclusive = await asyncio.gather(*[fire(i, resource) for i in range(60)])
        pooled = await asyncio.gather(*[fire(i, pool) for i in range(60)])
    assert [r.status_code for r in exclusive].count(201) == 1
    assert {r.status_code for r in exclusive} == {201, 409}
    assert [r.status_code for r in pooled].count(201) == 5
    await assert_never_overbooked(resource)
    await assert_never_overbooked(pool)
