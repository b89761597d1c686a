"""Enterprise search at park scale: 100,000 enterprises, Chinese, English and code queries.

    .venv/bin/python bench/enterprises.py                       # SQLite (temp file)
    .venv/bin/python bench/enterprises.py --postgres-url postgresql://postgres@127.0.0.1/scratch

The PostgreSQL database's public schema is DROPPED and recreated: give a scratch one.
Each engine runs in its own child process (Piccolo binds the engine at import). The
schema comes from the real migrations; the enterprises and their search terms are
bulk-loaded (the terms from ``booking.accounts.terms``, the rule the one writer uses),
and a few are registered through the writer itself and must be found. Queries go
through ``enterprise_queries.search_enterprises`` (terms, then the page's rows), as
``GET /api/enterprises?q=`` runs them. A ``LIKE '%…%'`` scan of the same Chinese
queries is timed for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CITIES = [("苏州", "Suzhou"), ("上海", "Shanghai"), ("无锡", "Wuxi"), ("南京", "Nanjing"),
          ("杭州", "Hangzhou"), ("昆山", "Kunshan"), ("常州", "Changzhou"), ("合肥", "Hefei"),
          ("深圳", "Shenzhen"), ("北京", "Beijing"), ("", "")]
BRAND = [("芯", "xin"), ("联", "lian"), ("晶", "jing"), ("合", "he"), ("微", "wei"), ("纳", "na"),
         ("华", "hua"), ("创", "chuang"), ("新", "xin"), ("科", "ke"), ("睿", "rui"), ("智", "zhi"),
         ("博", "bo"), ("远", "yuan"), ("恒", "heng"), ("准", "zhun"), ("泰", "tai"), ("达", "da"),
         ("中", "zhong"), ("天", "tian"), ("海", "hai"), ("光", "guang"), ("源", "yuan"),
         ("安", "an"), ("信", "xin"), ("盛", "sheng"), ("航", "hang"), ("云", "yun"),
         ("启", "qi"), ("明", "ming"), ("德", "de"), ("鑫", "xin"), ("宇", "yu"), ("峰", "feng"),
         ("瑞", "rui"), ("凯", "kai"), ("锐", "rui"), ("思", "si"), ("诺", "nuo"), ("迈", "mai")]
TRADES = [("微电子", "Microelectronics"), ("生物医药", "Biopharma"), ("软件", "Software"),
          ("智能制造", "Intelligent Manufacturing"), ("光电", "Optoelectronics"),
          ("检测技术", "Testing Technology"), ("新材料", "New Materials"),
          ("半导体", "Semiconductor"), ("信息技术", "Information Technology"),
          ("医疗器械", "Medical Devices"), ("机器人", "Robotics"), ("传感", "Sensing"),
          ("集成电路设计", "IC Design"), ("精密机械", "Precision Machinery"),
          ("环保科技", "Environmental Technology"), ("数据服务", "Data Services")]
FORMS = [("有限公司", "Co., Ltd."), ("科技有限公司", "Technology Co., Ltd."),
         ("股份有限公司", "Inc."), ("研究院有限公司", "Research Institute Co., Ltd.")]
CATEGORIES = ["sme", "tech_sme", "specialised", "high_tech", "little_giant"]


def uscc(n: int) -> str:
    from booking.accounts.rules import uscc_check_character

    body = f"91{(n * 7919) % 1000000:06d}MA{n:09d}"[:17]
    return body + uscc_check_character(body)


def make_enterprise(n: int, rng: random.Random) -> dict:
    city_zh, city_en = rng.choice(CITIES)
    brand = rng.sample(BRAND, rng.choice((2, 2, 3)))
    trade_zh, trade_en = rng.choice(TRADES)
    form_zh, form_en = rng.choice(FORMS)
    brand_zh = "".join(c for c, _ in brand)
    brand_en = "".join(s for _, s in brand).capitalize()
    name_zh = f"{city_zh}{brand_zh}{trade_zh}{form_zh}"
    name_en = " ".join(p for p in (city_en, brand_en, trade_en, form_en) if p)
    return {"id": n, "name_zh": name_zh, "name_en": name_en, "uscc": uscc(n), "brand": brand_en,
            "tier": rng.choice(("park", "park", "park", "external", "academic")),
            "categories": ",".join(sorted(rng.sample(CATEGORIES, rng.randint(0, 2))))}


async def build(count: int, seed: int) -> list[dict]:
    from booking.accounts.terms import document_terms
    from booking.cli import migrate
    from booking.db import engine, is_postgres
    from booking.lifecycle import prepare_database

    if is_postgres():
        await engine().run_ddl("DROP SCHEMA IF EXISTS public CASCADE")
        await engine().run_ddl("CREATE SCHEMA public")
    await migrate()
    await prepare_database()
    rng = random.Random(seed)
    rows = [make_enterprise(n, rng) for n in range(1, count + 1)]
    enterprises = [(r["id"], r["name_zh"], r["name_en"], r["uscc"], r["tier"], r["categories"],
                    "sme" in r["categories"] or "tech_sme" in r["categories"],
                    "specialised" in r["categories"] or "little_giant" in r["categories"])
                   for r in rows]
    terms = [(r["id"], term) for r in rows
             for term in sorted(document_terms(r["name_zh"], r["name_en"], r["uscc"]))]
    if is_postgres():
        await _load_postgres(enterprises, terms, count)
    else:
        _load_sqlite(enterprises, terms)
    return rows


def _load_sqlite(enterprises: list[tuple], terms: list[tuple]) -> None:
    import sqlite3

    path = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO enterprise (id, name_zh, name_en, uscc, tier, categories, is_sme, "
            "is_specialised, controller_uscc, contact_name, contact_email, contact_phone, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', '', '', "
            "'2026-12-01T00:00:00+00:00', '2026-12-01T00:00:00+00:00')", enterprises)
        db.executemany("INSERT INTO enterprise_term (enterprise, term) VALUES (?, ?)", terms)
        db.execute("ANALYZE")


async def _load_postgres(enterprises: list[tuple], terms: list[tuple], count: int) -> None:
    from datetime import UTC, datetime

    import asyncpg

    from piccolo_conf import postgres_config

    moment = datetime(2026, 12, 1, tzinfo=UTC)
    connection = await asyncpg.connect(**postgres_config(os.environ["DATABASE_URL"]))
    try:
        await connection.copy_records_to_table(
            "enterprise", columns=["id", "name_zh", "name_en", "uscc", "tier", "categories",
                                   "is_sme", "is_specialised", "controller_uscc",
                                   "contact_name", "contact_email", "contact_phone",
                                   "created_at", "updated_at"],
            records=[(*e, "", "", "", "", moment, moment) for e in enterprises])
        await connection.copy_records_to_table("enterprise_term", columns=["enterprise", "term"],
                                               records=terms)
        await connection.execute(f"SELECT setval('enterprise_id_seq', {count})")
        # As autovacuum leaves a table in service: statistics and the visibility map.
        await connection.execute("VACUUM ANALYZE enterprise")
        await connection.execute("VACUUM ANALYZE enterprise_term")
    finally:
        await connection.close()


def queries(rows: list[dict], rng: random.Random, per_kind: int) -> dict[str, list[str]]:
    picks = [rng.choice(rows) for _ in range(per_kind)]
    chinese = []
    for row in picks:
        name = row["name_zh"]
        length = rng.randint(2, 4)
        start = rng.randrange(0, max(len(name) - length, 1))
        chinese.append(name[start:start + length])
    brand = [row["brand"][: rng.randint(3, len(row["brand"]))].lower() for row in picks]
    return {
        "Chinese, 2-4 characters of a name": chinese,
        "Chinese, a brand and trade": [_brand_trade(r) for r in picks],
        "Chinese, common (科技, 有限公司)": [rng.choice(("科技", "有限公司", "苏州"))
                                       for _ in picks],
        "English word prefix": brand,
        "English, two words": [" ".join(r["name_en"].split()[:2]).lower() for r in picks],
        "Credit code, whole": [r["uscc"] for r in picks],
        "Credit code, first 12": [r["uscc"][:12] for r in picks],
    }


def _brand_trade(row: dict) -> str:
    for city, _ in CITIES:
        if city and row["name_zh"].startswith(city):
            rest = row["name_zh"][len(city):]
            break
    else:
        rest = row["name_zh"]
    return rest[:5]


async def measure(rows: list[dict], per_kind: int, seed: int) -> list[dict]:
    from booking.accounts import enterprise_queries, enterprises
    from booking.accounts.principal import Principal
    from booking.accounts.tables import Enterprise

    park = Principal(id=1, email="park@bench", display_name="park", role="park_admin",
                     enterprise_id=None, tier=None)
    # A few through the one writer: they must be found like the bulk-loaded ones.
    written = []
    for i, name in enumerate(("苏州芯联微电子有限公司", "上海衡准检测技术有限公司")):
        written.append(await enterprises.register(park, enterprises.EnterpriseFields(
            name_zh=name, name_en=f"Bench Writer {i} Co., Ltd.", uscc=uscc(len(rows) + 1 + i),
            tier="park", categories=("sme",))))
    found, _ = await enterprise_queries.search_enterprises(park, "衡准检测", limit=20, offset=0)
    assert written[1] in [r["id"] for r in found], "writer's enterprise not found"
    rng = random.Random(seed + 1)
    results = []
    for kind, texts in queries(rows, rng, per_kind).items():
        await enterprise_queries.search_enterprises(park, texts[0], limit=20, offset=0)  # warm
        samples, hits = [], []
        for text in texts:
            start = time.perf_counter()
            page, _ = await enterprise_queries.search_enterprises(park, text, limit=20, offset=0)
            samples.append((time.perf_counter() - start) * 1000)
            hits.append(len(page))
        results.append(_row(kind, samples, hits))
        if kind.startswith("Chinese, 2-4"):
            like, like_hits = [], []
            for text in texts[: max(per_kind // 4, 10)]:
                start = time.perf_counter()
                page = await Enterprise.select(Enterprise.id).where(
                    Enterprise.name_zh.like(f"%{text}%")).order_by(Enterprise.id).limit(20)
                like.append((time.perf_counter() - start) * 1000)
                like_hits.append(len(page))
            results.append(_row("  (LIKE '%…%' scan, same queries)", like, like_hits))
    return results


def _row(kind: str, samples: list[float], hits: list[int]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"kind": kind, "n": len(samples), "median_ms": statistics.median(samples),
            "p95_ms": p95, "median_hits": statistics.median(hits)}


async def child(count: int, per_kind: int, seed: int) -> dict:
    from booking.lifecycle import close_database

    started = time.perf_counter()
    rows = await build(count, seed)
    built = time.perf_counter() - started
    try:
        results = await measure(rows, per_kind, seed)
    finally:
        await close_database()
    return {"build_s": built, "results": results}


def run_engine(name: str, url: str, args: argparse.Namespace) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "PARKBENCH_FAST_PASSWORD_HASH": "1"}
    output = subprocess.run(
        [sys.executable, __file__, "--child", "--count", str(args.count),
         "--per-kind", str(args.per_kind), "--seed", str(args.seed)],
        env=env, cwd=ROOT, capture_output=True, text=True)
    if output.returncode != 0:
        sys.stderr.write(output.stderr)
        raise SystemExit(f"{name} run failed")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--per-kind", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--postgres-url", default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.count, args.per_kind, args.seed))))
        return
    engines = []
    with tempfile.TemporaryDirectory(prefix="parkbench-enterprises-") as tmp:
        engines.append(("SQLite", run_engine("SQLite", f"sqlite:///{tmp}/bench.sqlite", args)))
    if args.postgres_url:
        engines.append(("PostgreSQL", run_engine("PostgreSQL", args.postgres_url, args)))
    print(f"{args.count:,} enterprises, {args.per_kind} queries per kind, first page of 20")
    print(f"{'engine':<11} {'query':<38} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'hits':>5}")
    for name, data in engines:
        for r in data["results"]:
            print(f"{name:<11} {r['kind']:<38} {r['n']:>4} {r['median_ms']:>10.2f} "
                  f"{r['p95_ms']:>8.2f} {r['median_hits']:>5.0f}")
        print(f"{name:<11} (bulk load of enterprises and terms: {data['build_s']:.1f} s)")


if __name__ == "__main__":
    main()
