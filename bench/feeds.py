"""Feed speed: build a 10,000-event subscription feed, and revalidate it with a 304.

    .venv/bin/python bench/feeds.py                      # SQLite (temp file)
    .venv/bin/python bench/feeds.py --postgres postgresql://postgres@127.0.0.1/scratch

The PostgreSQL database's public schema is DROPPED and recreated: give a scratch one.
Each engine runs in its own child process (Piccolo binds the engine at import).
Bookings are inserted straight into the database; the 304 round trips go through
the real app served by uvicorn on 127.0.0.1 over one keep-alive connection.
"Cold process" rows start a new Python process per run, after the background sweep
has stored the blocks, and time its first feed (imports and engine set-up excluded;
connecting, catalogs, zones and the probe hashes included).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def setup(events: int) -> tuple[str, int]:
    """Schema, catalog, one engineer with ``events`` bookings and a feed token."""
    from booking.accounts import service as accounts
    from booking.cli import migrate
    from booking.db import engine, is_postgres
    from booking.invites import feeds
    from booking.lifecycle import prepare_database
    from booking.reservations.tables import Booking
    from platforms.catalog_file import load_catalog
    from platforms.tables import Resource

    if is_postgres():
        await engine().run_ddl("DROP SCHEMA IF EXISTS public CASCADE")
        await engine().run_ddl("CREATE SCHEMA public")
    await migrate()
    await prepare_database()
    await load_catalog()
    enterprise = await accounts.create_enterprise(name_zh="基准测试公司", name_en="Bench Ltd.",
                                                  uscc=_uscc(),
                                                  tier="park")
    account = await accounts.create_account(email="bench@example.test",
                                            password="correct-horse-battery", role="engineer",
                                            display_name="基准 工程师", enterprise_id=enterprise)
    resources = await Resource.select(Resource.id, Resource.platform).where(
        Resource.kind == "instrument").limit(20)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    moment = datetime.now(UTC).replace(microsecond=0)
    rows = []
    for i in range(events):
        resource = resources[i % len(resources)]
        begin = start + timedelta(hours=2 * (i // len(resources)))
        rows.append(Booking(
            uid=f"bench-{i}@parkbench", resource=resource["id"], platform=resource["platform"],
            enterprise=enterprise, account=account, created_by=account, exclusive=False,
            start_at=begin, end_at=begin + timedelta(hours=1),
            block_end_at=begin + timedelta(hours=1), quantity=1, status="confirmed",
            holds=True, note="基准测试: 备注; 第二行", sequence=0, created_at=moment,
            updated_at=moment))
    for chunk in range(0, len(rows), 500):
        await Booking.insert(*rows[chunk:chunk + 500])
    token = await feeds._issue(account, "user", account, "http://127.0.0.1")
    return token["token"], account


def _uscc() -> str:
    from booking.accounts.rules import uscc_check_character

    body = "91320500000000001"
    return body + uscc_check_character(body)


async def generation(secret: str, runs: int) -> dict[str, float]:
    from booking.invites import feed_blocks, feed_build, feeds
    from booking.invites.tables import FeedBlock
    from booking.reservations.tables import Booking

    base = "http://127.0.0.1"
    out: dict[str, float] = {}

    async def once() -> tuple[float, int]:
        feed_build._feeds.clear()
        start = time.perf_counter()
        fresh = await feeds.freshness(secret, base)
        body = await feed_build.feed_bytes(fresh, base)
        return time.perf_counter() - start, len(body)

    cold = []
    for _ in range(max(1, runs // 3)):
        await FeedBlock.delete(force=True)
        cold.append(await once())
    out["cold, nothing stored (all serialised + stored)"] = statistics.median(c[0] for c in cold)
    out["_bytes"] = cold[0][1]
    sweeps = []
    for _ in range(max(1, runs // 3)):
        await FeedBlock.delete(force=True)
        start = time.perf_counter()
        written = await feed_blocks.refresh_stale(base, limit=10**9)
        sweeps.append(time.perf_counter() - start)
    out[f"sweep: {written} blocks (personal+busy, background)"] = statistics.median(sweeps)
    out["sweep: per 10,000 blocks"] = statistics.median(sweeps) * 10_000 / written
    out["blocks stored, feed rebuilt (this process)"] = statistics.median(
        [(await once())[0] for _ in range(runs)])
    changed = []
    for i in range(runs):
        # One booking moves: its block is serialised again, the rest come from the store.
        rows = await Booking.update({Booking.sequence: Booking.sequence + 1,
                                     Booking.updated_at: datetime.now(UTC)}).where(
            Booking.uid == f"bench-{i}@parkbench").returning(*Booking.all_columns())
        feeds.forget(rows[0])  # what the booking-event listener does
        changed.append((await once())[0])
    out["after one booking changed"] = statistics.median(changed)
    hits = []
    await asyncio.sleep(feeds._UNSETTLED)  # let the last change settle, as in service
    await feeds.freshness(secret, base)
    for _ in range(runs):
        start = time.perf_counter()
        await feed_build.feed_bytes(await feeds.freshness(secret, base), base)
        hits.append(time.perf_counter() - start)
    out["unchanged feed (ETag + bytes from memory)"] = statistics.median(hits)
    lookups, summaries = [], []
    for _ in range(runs):
        start = time.perf_counter()
        await feeds.freshness(secret, base)
        lookups.append(time.perf_counter() - start)
        feeds._summaries.clear()
        start = time.perf_counter()
        await feeds.freshness(secret, base)
        summaries.append(time.perf_counter() - start)
    out["ETag: token lookup, summary cached"] = statistics.median(lookups)
    out["ETag: token lookup + summary query"] = statistics.median(summaries)
    return out


def cold_processes(secret: str, runs: int) -> dict[str, float]:
    """A new interpreter per run builds the feed from the stored blocks."""
    samples = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, __file__, "--cold-process", secret], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        samples.append(float(next(line for line in done.stdout.splitlines()
                                  if line.startswith("COLD ")).split()[1]))
    return {"cold process, blocks stored (after sweep)": statistics.median(samples)}


def cold_process(secret: str) -> None:
    sys.path.insert(0, str(ROOT))
    from booking.invites import feed_build, feeds
    from booking.invites.tables import FeedToken
    from booking.lifecycle import close_database

    FeedToken._meta.db  # noqa: B018 - imports piccolo_conf (what a server does at start-up)

    async def main() -> float:
        start = time.perf_counter()
        fresh = await feeds.freshness(secret, "http://127.0.0.1")
        body = await feed_build.feed_bytes(fresh, "http://127.0.0.1")
        elapsed = time.perf_counter() - start
        assert body.count(b"BEGIN:VEVENT") > 0
        await close_database()
        return elapsed

    print(f"COLD {asyncio.run(main())}")


def http_round_trips(url: str, secret: str, requests: int) -> dict[str, float]:
    import httpx

    env = {**os.environ, "PARKBENCH_RUN_JOBS": "0", "PARKBENCH_BASE_URL": "http://127.0.0.1"}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "booking.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(100):
                try:
                    client.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            path = f"/feeds/{secret}.ics"
            start = time.perf_counter()
            first = client.get(path)
            fresh_server = time.perf_counter() - start
            assert first.status_code == 200, first.text[:200]
            etag = first.headers["etag"]
            full = []
            for _ in range(5):
                start = time.perf_counter()
                response = client.get(path)
                full.append(time.perf_counter() - start)
                assert response.status_code == 200
            revalidations = []
            for _ in range(requests):
                start = time.perf_counter()
                response = client.get(path, headers={"If-None-Match": etag})
                revalidations.append(time.perf_counter() - start)
                assert response.status_code == 304
        return {"HTTP 200, new server, blocks stored (1st GET)": fresh_server,
                "HTTP 200, unchanged feed (median of 5)": statistics.median(full),
                f"HTTP 304 revalidation (median of {requests})": statistics.median(revalidations),
                f"HTTP 304 revalidation (p95 of {requests})":
                    sorted(revalidations)[int(len(revalidations) * 0.95) - 1]}
    finally:
        server.terminate()
        server.wait(timeout=10)


def child(url: str, events: int, runs: int, requests: int) -> None:
    sys.path.insert(0, str(ROOT))

    async def main() -> tuple[str, dict[str, float]]:
        from booking.lifecycle import close_database

        secret, _ = await setup(events)
        figures = await generation(secret, runs)
        await close_database()
        return secret, figures

    secret, figures = asyncio.run(main())
    figures.update(cold_processes(secret, 3))
    figures.update(http_round_trips(url, secret, requests))
    print("RESULT " + json.dumps(figures))


def run_engine(name: str, url: str, args) -> dict[str, float]:
    env = {**os.environ, "DATABASE_URL": url, "PARKBENCH_FAST_PASSWORD_HASH": "1",
           "PARKBENCH_SECRET_KEY": "bench-secret-key-0123456789abcdef"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, "--events", str(args.events),
         "--runs", str(args.runs), "--requests", str(args.requests)],
        cwd=ROOT, env=env, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"{name} run failed:\n{done.stdout}\n{done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cold-process", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_process:
        cold_process(args.cold_process)
        return
    if args.child:
        child(args.child, args.events, args.runs, args.requests)
        return
    engines = {"sqlite": f"sqlite:///{tempfile.mkdtemp(prefix='pb-feeds-')}/bench.sqlite"}
    if args.postgres:
        engines["postgresql"] = args.postgres
    results = {name: run_engine(name, url, args) for name, url in engines.items()}
    size = next(iter(results.values())).pop("_bytes")
    for figures in results.values():
        figures.pop("_bytes", None)
    print(f"\nFeed of {args.events} events ({size / 1e6:.1f} MB), medians of {args.runs} runs "
          "unless said otherwise\n")
    names = list(results)
    print(f"{'measurement':<52}" + "".join(f"{n:>14}" for n in names))
    for key in next(iter(results.values())):
        print(f"{key:<52}" + "".join(f"{results[n][key] * 1000:>11.1f} ms" for n in names))


if __name__ == "__main__":
    main()
