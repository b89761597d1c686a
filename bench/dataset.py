"""The benchmark's data set, built in the database that ``DATABASE_URL`` names.

Run as a child process (the engine is bound when ``piccolo_conf`` is imported):
``DATABASE_URL=... python bench/dataset.py --out spec.json``. It migrates, loads the
seed catalog, adds permissive ``bench-`` resources open 24/7, makes enterprises and
engineers with API tokens, and pre-fills bookings straight through the driver:
non-overlapping per instrument, at most ``capacity`` at once per pool (one lane per
unit), spread over the coming year. The JSON it writes tells the load generator
which resources and tokens to use and which time range is bookable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("PARKBENCH_FAST_PASSWORD_HASH", "1")

SLOT = timedelta(minutes=30)
HORIZON_DAYS = 365
POOL_SHARE = 4  # every 4th bench resource is a pool
BOOKING_COLUMNS = (
    "uid", "resource", "platform", "enterprise", "account", "created_by", "exclusive",
    "start_at", "end_at", "block_end_at", "quantity", "status", "holds", "hold_expires_at",
    "checked_in_at", "checked_out_at", "late_cancel", "series", "note", "idempotency_key",
    "sequence", "created_at", "updated_at",
)
PERMISSIVE_RULES = {
    "slot_minutes": 30, "min_duration_minutes": 30, "max_duration_minutes": 480,
    "min_notice_minutes": 0, "max_advance_days": 400, "buffer_minutes": 0,
    "approval_required": False, "cancel_cutoff_hours": 24, "no_show_grace_minutes": 15,
    "pending_hold_minutes": 60, "quota_hours_per_week": None, "qualification": None,
}


def grid_start(moment: datetime) -> datetime:
    """The next half-hour boundary (UTC; Shanghai's offset is whole hours)."""
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    extra = moment.minute % 30
    return moment + timedelta(minutes=(30 - extra) if extra else 0)


async def make_resources(count: int) -> list[dict]:
    from platforms.tables import OpeningHours, Platform, Resource, Tariff

    platforms = [p["id"] for p in await Platform.select(Platform.id).order_by(Platform.id)]
    made = []
    for n in range(count):
        pool = n % POOL_SHARE == POOL_SHARE - 1
        capacity = 4 + n % 7 if pool else 1
        row = Resource(
            code=f"bench-{'pool' if pool else 'instrument'}-{n + 1}",
            platform=platforms[n % len(platforms)], kind="pool" if pool else "instrument",
            category="bench", name_zh="基准资源", name_en="Bench resource",
            capacity=capacity, unit="hour", **PERMISSIVE_RULES,
        )
        await row.save()
        await OpeningHours.insert(*[OpeningHours(resource=row.id, weekday=d, opens=clock(0),
                                                 closes=clock(0)) for d in range(7)])
        await Tariff.insert(Tariff(resource=row.id, tier="park", price_fen=10000))
        made.append({"id": row.id, "platform": row.platform, "kind": row.kind,
                     "capacity": capacity})
    return made


async def make_people(enterprises: int, engineers: int) -> list[dict]:
    from booking.accounts import service as accounts
    from booking.accounts.rules import uscc_check_character

    people = []
    for e in range(enterprises):
        body = f"913206{e + 1:011d}"
        enterprise_id = await accounts.create_enterprise(
            name_zh=f"基准企业{e + 1}", name_en=f"Bench {e + 1} Ltd.",
            uscc=body + uscc_check_character(body), tier="park")
        for p in range(engineers):
            email = f"bench-{e + 1}-{p + 1}@example.test"
            account_id = await accounts.create_account(
                email=email, password="bench-password-0123", role="engineer",
                display_name=email.split("@")[0], enterprise_id=enterprise_id)
            token, _ = await accounts.issue_token(account_id, "bench")
            people.append({"account": account_id, "enterprise": enterprise_id,
                           "token": token})
    return people


def plan_bookings(resources: list[dict], people: list[dict], total: int, origin: datetime,
                  rng: random.Random) -> list[tuple]:
    """Rows for ``total`` bookings: each resource unit is a lane of non-overlapping slots."""
    cells = HORIZON_DAYS * 48
    lanes = [(r, lane) for r in resources for lane in range(r["capacity"])]
    # Instruments get as many bookings as pools in total, so lanes of a pool are sparser.
    per_resource = [total // len(resources) + (1 if i < total % len(resources) else 0)
                    for i in range(len(resources))]
    moment = datetime.now(UTC)
    rows: list[tuple] = []
    by_id = {r["id"]: i for i, r in enumerate(resources)}
    for resource, lane in lanes:
        share = per_resource[by_id[resource["id"]]]
        n = share // resource["capacity"] + (1 if lane < share % resource["capacity"] else 0)
        if n == 0:
            continue
        width = cells // n  # one booking in each of n equal segments of the lane
        if width < 1:
            raise ValueError("more bookings than half-hour slots in the year")
        for k in range(n):
            length = rng.randint(1, min(4, width))
            cursor = k * width + rng.randint(0, width - length)
            person = rng.choice(people)
            start = origin + cursor * SLOT
            end = start + length * SLOT
            holds = rng.random() >= 0.1  # a tenth were cancelled: rows that hold nothing
            rows.append((
                f"{uuid.uuid4()}@parkbench", resource["id"], resource["platform"],
                person["enterprise"], person["account"], person["account"],
                resource["kind"] == "instrument", start, end, end, 1,
                "confirmed" if holds else "cancelled", holds, None, None, None, False, None,
                "", None, 0, moment, moment,
            ))
    return rows


async def insert_rows(rows: list[tuple], batch: int = 5000) -> None:
    from booking.db import engine, is_postgres

    db = engine()
    if is_postgres():
        async with db.pool.acquire() as conn:
            for i in range(0, len(rows), batch):
                await conn.copy_records_to_table("booking", records=rows[i:i + batch],
                                                 columns=list(BOOKING_COLUMNS))
            await conn.execute("ANALYZE booking")
        return
    import sqlite3

    import piccolo.engine.sqlite  # noqa: F401 - registers the datetime adapters

    conn = sqlite3.connect(db.connection_kwargs["database"], timeout=60)
    try:
        marks = ", ".join("?" for _ in BOOKING_COLUMNS)
        sql = f"INSERT INTO booking ({', '.join(BOOKING_COLUMNS)}) VALUES ({marks})"
        for i in range(0, len(rows), batch):
            with conn:
                conn.executemany(sql, rows[i:i + batch])
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()


async def build(*, resources: int, bookings: int, enterprises: int, engineers: int,
                seed: int) -> dict:
    from booking.cli import migrate
    from booking.db import engine, is_postgres
    from booking.lifecycle import close_database, prepare_database
    from platforms.catalog_file import load_catalog

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    await migrate()
    await prepare_database()
    await load_catalog()
    timings["schema_and_catalog_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    made = await make_resources(resources)
    people = await make_people(enterprises, engineers)
    timings["resources_and_people_s"] = time.perf_counter() - t0
    # Bookings start tomorrow, so the run never meets a slot that began meanwhile.
    origin = grid_start(datetime.now(UTC) + timedelta(days=1))
    t0 = time.perf_counter()
    rows = plan_bookings(made, people, bookings, origin, rng)
    await insert_rows(rows)
    timings["prefill_s"] = time.perf_counter() - t0
    from booking.reservations.tables import Booking

    total = await Booking.count()
    max_id = (await Booking.select(Booking.id).order_by(Booking.id, ascending=False)
              .first())["id"]
    bookable = await engine().run_ddl(
        "SELECT count(*) AS n FROM resource WHERE active AND kind IN ('instrument', 'pool')")
    await close_database()
    return {
        "engine": "postgres" if is_postgres() else "sqlite",
        "resources": made, "people": people, "prefilled": total, "prefill_max_id": max_id,
        "bookable_resources": bookable[0]["n"],
        "origin": origin.isoformat(), "horizon_days": HORIZON_DAYS, "timings": timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--resources", type=int, default=200)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=4)
    parser.add_argument("--engineers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args()
    spec = asyncio.run(build(resources=args.resources, bookings=args.bookings,
                             enterprises=args.enterprises, engineers=args.engineers,
                             seed=args.seed))
    Path(args.out).write_text(json.dumps(spec))


if __name__ == "__main__":
    main()
