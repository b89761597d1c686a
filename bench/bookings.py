"""Booking throughput and latency of the real server, per database engine.

For each engine: a fresh database (SQLite: a temp file; PostgreSQL: a new ``pb_bench_*``
database, dropped at the end), migrations, the seed catalog, ``--resources`` permissive
bench resources open 24/7, engineers with API tokens and ``--bookings`` pre-filled
bookings over the coming year. Then uvicorn serves ``booking.app:create_app`` on
127.0.0.1 in its own process group, a load generator in another process sends
``--clients`` concurrent clients of POST /api/bookings and then of one-day availability
queries, and after the server stops the same rows are inserted again straight through
the driver (the baseline). See bench/README.md for how to read the table.

    .venv/bin/python bench/bookings.py [--engines sqlite,postgres] [--duration 20] ...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import baseline, load, profiling  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SECRET = "bench-secret-key-0123456789abcdef0123456789"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class Cleanup:
    """Everything to undo, undone in reverse order, also on Ctrl-C and SIGTERM."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, object]] = []

    def push(self, name: str, action) -> None:
        self.steps.append((name, action))

    def pop(self, name: str) -> None:
        for i in range(len(self.steps) - 1, -1, -1):
            if self.steps[i][0] == name:
                _, action = self.steps.pop(i)
                action()
                return

    def run_all(self) -> None:
        while self.steps:
            name, action = self.steps.pop()
            try:
                action()
            except Exception as exc:  # noqa: BLE001 - keep undoing the rest
                print(f"cleanup {name} failed: {exc}", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_url(url: str, database: str) -> str:
    parts = urlparse(url)
    if parts.hostname not in LOCAL_HOSTS:
        raise SystemExit("the benchmark only talks to a local PostgreSQL (127.0.0.1)")
    return urlunparse(parts._replace(path=f"/{database}"))


def pg_admin(url: str, statement: str) -> None:
    async def work() -> None:
        import asyncpg

        conn = await asyncpg.connect(admin_url(url, "postgres"))
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(work())


def stop_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not become healthy in time")


def child_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url, "PARKBENCH_RUN_JOBS": "0",
        "PARKBENCH_SECRET_KEY": SECRET, "PARKBENCH_FAST_PASSWORD_HASH": "1",
        "PYTHONPATH": str(ROOT),
    })
    return env


def start_server(database_url: str, workers: int, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", "--factory", "booking.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--no-access-log", "--log-level", "warning", "--loop", "uvloop",
               "--http", "httptools"]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=child_env(database_url), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def server_pids(process: subprocess.Popen) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True,
                           check=False).stdout.split()
    # Multiprocessing's resource tracker is a child too; it serves nothing.
    workers = [int(p) for p in found if "resource_tracker" not in Path(
        f"/proc/{p}/cmdline").read_text(errors="ignore")]
    return workers or [process.pid]


def median_of(rounds: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def summed_statuses(rounds: list[dict]) -> dict[str, int]:
    total: dict[str, int] = {}
    for r in rounds:
        for status, n in r["statuses"].items():
            total[status] = total.get(status, 0) + n
    return total


def measure(spec: dict, args, port: int, workdir: Path, mode: str, seed: int) -> list[dict]:
    rounds = []
    per_round = args.duration / args.rounds if mode == "create" else \
        args.availability_duration / args.rounds
    for r in range(args.rounds):
        rounds.append(load.run_phase(
            spec, client=args.client, port=port, mode=mode, clients=args.clients,
            duration=per_round, max_requests=args.max_requests, workdir=workdir,
            seed=seed + r))
    return rounds


def profile_phase(spec: dict, args, server: subprocess.Popen, port: int, workdir: Path,
                  mode: str, label: str) -> str:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        return "py-spy is not installed: `.venv/bin/pip install py-spy` (not a project dependency)"
    seconds = max(int(args.profile_seconds), 2)
    outputs = []
    recorders = []
    for pid in server_pids(server):
        out = workdir / f"profile-{label}-{mode}-{pid}.txt"
        outputs.append(out)
        recorders.append(subprocess.Popen(
            [spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "250",
             "--duration", str(seconds), "--nonblocking", "--output", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        load.run_phase(spec, client=args.client, port=port, mode=mode, clients=args.clients,
                       duration=seconds, max_requests=args.max_requests, workdir=workdir,
                       seed=99)
    finally:
        for recorder in recorders:
            try:
                recorder.wait(timeout=30)
            except subprocess.TimeoutExpired:
                recorder.kill()
    merged = workdir / f"profile-{label}-{mode}.txt"
    merged.write_text("".join(p.read_text() for p in outputs if p.exists()))
    text = profiling.render(f"{label} {mode}", profiling.summarise(merged))
    keep = RESULTS / "profiles"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(merged, keep / merged.name)
    return text


def run_engine(engine: str, args, cleanup: Cleanup, workdir: Path) -> tuple[list[dict], list[str]]:
    if engine == "sqlite":
        db_path = workdir / "bench.sqlite"
        database_url = f"sqlite:///{db_path}"
        target = str(db_path)
    else:
        name = f"pb_bench_{os.getpid()}"
        pg_admin(args.postgres_url, f"DROP DATABASE IF EXISTS {name}")
        pg_admin(args.postgres_url, f"CREATE DATABASE {name}")
        cleanup.push(f"drop {name}", lambda: pg_admin(
            args.postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        database_url = target = admin_url(args.postgres_url, name)
    log = workdir / f"{engine}.log"
    print(f"[{engine}] building the data set "
          f"({args.resources} resources, {args.bookings} bookings)...", flush=True)
    spec_file = workdir / "spec.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "dataset.py"), "--out", str(spec_file),
                    "--resources", str(args.resources), "--bookings", str(args.bookings)],
                   cwd=ROOT, env=child_env(database_url), check=True, timeout=900,
                   stdout=log.open("ab"), stderr=subprocess.STDOUT)
    spec = json.loads(spec_file.read_text())
    print(f"[{engine}] {spec['prefilled']} bookings on {spec['bookable_resources']} bookable "
          f"resources; {json.dumps({k: round(v, 1) for k, v in spec['timings'].items()})}",
          flush=True)
    worker_counts = args.workers or ([1, 2] if engine == "sqlite" else [2])
    results, profiles = [], []
    for workers in worker_counts:
        port = free_port()
        label = f"{engine}-w{workers}"
        server = start_server(database_url, workers, port, log)
        cleanup.push(label, lambda server=server: stop_group(server))
        wait_healthy(port, server)
        print(f"[{label}] serving on 127.0.0.1:{port}; warming up", flush=True)
        load.run_phase(spec, client=args.client, port=port, mode="create", clients=args.clients,
                       duration=2, max_requests=args.max_requests, workdir=workdir, seed=7)
        load.run_phase(spec, client=args.client, port=port, mode="availability",
                       clients=args.clients, duration=2, max_requests=args.max_requests,
                       workdir=workdir, seed=8)
        create = measure(spec, args, port, workdir, "create", seed=1000)
        availability = measure(spec, args, port, workdir, "availability", seed=2000)
        if args.profile:
            for mode in ("create", "availability"):
                profiles.append(profile_phase(spec, args, server, port, workdir, mode, label))
        cleanup.pop(label)  # stops the server before the baseline runs
        statuses = summed_statuses(create)
        print(f"[{label}] create {median_of(create, 'req_per_s'):.0f} req/s "
              f"{statuses}; availability {median_of(availability, 'req_per_s'):.0f} req/s; "
              "baseline...", flush=True)
        if engine == "postgres":
            base = asyncio.run(baseline.postgres_baseline(target, spec["prefill_max_id"],
                                                          args.clients))
        else:
            base = baseline.sqlite_baseline(Path(target), spec["prefill_max_id"], args.clients)
        baseline.remove_rows_after(engine, target, spec["prefill_max_id"])
        created_201 = statuses.get("201", 0)
        create_seconds = sum(r["seconds"] for r in create)
        created_per_s = created_201 / create_seconds if create_seconds else 0.0
        results.append({
            "engine": engine, "workers": workers, "client": create[0]["client"],
            "create_req_per_s": median_of(create, "req_per_s"),
            "create_p50_ms": median_of(create, "p50_ms"),
            "create_p99_ms": median_of(create, "p99_ms"),
            "created_201": created_201, "created_per_s": created_per_s,
            "rejected_409_422": statuses.get("409", 0) + statuses.get("422", 0),
            "other_statuses": {k: v for k, v in statuses.items()
                               if k not in ("201", "409", "422")},
            "errors": sum(r["errors"] for r in create + availability),
            "availability_req_per_s": median_of(availability, "req_per_s"),
            "availability_p99_ms": median_of(availability, "p99_ms"),
            "availability_statuses": summed_statuses(availability),
            "baseline_inserts_per_s": base["inserts_per_s"], "baseline_rows": base["rows"],
            "ratio": created_per_s / base["inserts_per_s"] if base["inserts_per_s"] else 0.0,
            "rounds": {"create": create, "availability": availability},
            "dataset": {"prefilled": spec["prefilled"],
                        "bookable_resources": spec["bookable_resources"],
                        "bench_resources": len(spec["resources"]),
                        "timings": spec["timings"]},
        })
    return results, profiles


HEADER = ("engine", "workers", "create req/s", "create p50", "create p99", "201", "409/422",
          "avail req/s", "avail p99", "baseline ins/s", "ratio")


def render_table(rows: list[dict]) -> str:
    lines = [[r["engine"], str(r["workers"]), f"{r['create_req_per_s']:.0f}",
              f"{r['create_p50_ms']:.1f} ms", f"{r['create_p99_ms']:.1f} ms",
              str(r["created_201"]), str(r["rejected_409_422"]),
              f"{r['availability_req_per_s']:.0f}", f"{r['availability_p99_ms']:.1f} ms",
              f"{r['baseline_inserts_per_s']:.0f}", f"{r['ratio']:.2f}"] for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h)
              for i, h in enumerate(HEADER)]
    out = [" | ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="where to create the pb_bench_* database (a local server only)")
    parser.add_argument("--resources", type=int, default=200)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20,
                        help="seconds of booking creation per run, split into --rounds")
    parser.add_argument("--availability-duration", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3,
                        help="the table shows the median of the rounds")
    parser.add_argument("--max-requests", type=int, default=200_000,
                        help="upper bound of requests per round")
    parser.add_argument("--workers", default="",
                        help="uvicorn workers, e.g. 1,2 (default: SQLite 1,2; PostgreSQL 2)")
    parser.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--profile", action="store_true",
                        help="after measuring, profile each phase with py-spy (not timed)")
    parser.add_argument("--profile-seconds", type=float, default=8)
    args = parser.parse_args(argv)
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if any(e not in ("sqlite", "postgres") for e in args.engines):
        parser.error("engines are sqlite and postgres")
    args.workers = [int(w) for w in args.workers.split(",") if w.strip()]
    if args.resources < 1 or args.clients < 1 or args.rounds < 1:
        parser.error("resources, clients and rounds must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cleanup = Cleanup()
    workdir = Path(tempfile.mkdtemp(prefix="parkbench-bench-"))
    cleanup.push("workdir", lambda: shutil.rmtree(workdir, ignore_errors=True))

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    rows: list[dict] = []
    profiles: list[str] = []
    began = time.perf_counter()
    try:
        for engine in args.engines:
            engine_rows, engine_profiles = run_engine(engine, args, cleanup, workdir)
            rows += engine_rows
            profiles += engine_profiles
    except KeyboardInterrupt:
        print("interrupted: cleaning up", file=sys.stderr)
        return 130
    finally:
        cleanup.run_all()
    table = render_table(rows)
    print()
    print(f"{args.clients} clients; {args.resources} bench resources; {args.bookings} "
          f"pre-filled bookings; medians of {args.rounds} rounds; load generator: "
          f"{rows[0]['client'] if rows else '?'} on the same 2 cores")
    print(table)
    for text in profiles:
        print()
        print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"bookings-{stamp}.json"
    out.write_text(json.dumps({
        "when": stamp, "seconds": round(time.perf_counter() - began, 1),
        "args": {k: v for k, v in vars(args).items()}, "cpus": os.cpu_count(),
        "rows": rows, "table": table, "profiles": profiles,
    }, indent=2, default=str))
    print(f"\nsaved {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
