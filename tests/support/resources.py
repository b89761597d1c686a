"""Resources made for a test, with rules chosen by the test (codes start ``test-``)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from platforms.tables import OpeningHours, Platform, Resource, Tariff

SHANGHAI = ZoneInfo("Asia/Shanghai")
_counter = itertools.count(1)


async def make_resource(
    *, kind: str = "instrument", capacity: int = 1, platform: str = "mems",
    hours: list[tuple[int, time, time]] | None = None, **rules,
) -> int:
    """Open every day 00:00–24:00 unless ``hours`` say otherwise; permissive rules."""
    plat = await Platform.select(Platform.id).where(Platform.code == platform).first()
    values = {
        "slot_minutes": 30, "min_duration_minutes": 30, "max_duration_minutes": 24 * 60,
        "min_notice_minutes": 0, "max_advance_days": 365, "buffer_minutes": 0,
        "approval_required": False, "cancel_cutoff_hours": 24, "no_show_grace_minutes": 15,
        "pending_hold_minutes": 60, "quota_hours_per_week": None,
    }
    values.update(rules)
    values.setdefault("category", "test")
    row = Resource(
        code=f"test-{kind}-{next(_counter)}", platform=plat["id"], kind=kind,
        name_zh="测试资源", name_en="Test resource", capacity=capacity,
        unit="hour", **values,
    )
    await row.save()
    spans = hours if hours is not None else [(d, time(0), time(0)) for d in range(7)]
    if spans:
        await OpeningHours.insert(*[OpeningHours(resource=row.id, weekday=d, opens=o, closes=c)
                                    for d, o, c in spans])
    await Tariff.insert(Tariff(resource=row.id, tier="park", price_fen=12000),
                        Tariff(resource=row.id, tier="external", price_fen=18000),
                        Tariff(resource=row.id, tier="academic", price_fen=9000))
    return row.id


def local_day(days_ahead: int = 3) -> datetime:
    """Local midnight, ``days_ahead`` days from today in Shanghai."""
    today = datetime.now(SHANGHAI).date() + timedelta(days=days_ahead)
    return datetime.combine(today, time(0), tzinfo=SHANGHAI)


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def utc_now() -> datetime:
    return datetime.now(UTC)
