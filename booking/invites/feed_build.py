"""Building a subscription feed fast enough for 10,000 bookings.

A feed is the calendar header and VTIMEZONE around one VEVENT block per booking.
The blocks come from the ``feed_block`` table (see ``feed_blocks``), read in the
same query as the bookings; only blocks that are missing or no longer current are
serialised by icalendar here, and stored for the next request and the other
processes. The whole feed is also kept in memory under its ETag (see
``feeds.freshness``), which comes from the data, not from these bytes.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from booking.accounts.service import load_principal
from booking.invites import feed_blocks, feeds
from booking.invites.feeds import Freshness
from calendars.ical import build_calendar, event_for_busy_block
from i18n import gettext, use_locale
from i18n.translations import localized

REFRESH = timedelta(hours=1)
_BEGIN = b"BEGIN:VEVENT\r\n"
FEED_CACHE_SIZE = 32

_feeds: OrderedDict[tuple[int, str], bytes] = OrderedDict()


def _remember(cache: OrderedDict, key: Any, value: bytes, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def _calendar_name(scope: str, target: dict[str, Any] | None) -> str:
    name = localized(target, "name") if target else ""
    if scope == "user":
        return gettext("Parkbench: my bookings")
    if scope == "enterprise":
        return gettext("Parkbench: bookings of %(name)s", name=name)
    if scope == "resource":
        return gettext("Parkbench: %(name)s busy times", name=name)
    return gettext("Parkbench: bookings on %(name)s", name=name)


async def _target_row(scope: str, target_id: int) -> dict[str, Any] | None:
    from booking.accounts.tables import Enterprise
    from platforms.tables import Platform, Resource

    table = {"enterprise": Enterprise, "resource": Resource, "platform": Platform}.get(scope)
    if table is None:
        return None
    return await table.select(table.name_zh, table.name_en).where(table.id == target_id).first()


async def still_allowed(fresh: Freshness) -> bool:
    """The owner may have lost the right since subscribing (left, unassigned)."""
    principal = await load_principal(fresh.owner_id)
    if principal is None:
        return False
    try:
        return await feeds.may_subscribe(principal, fresh.scope, fresh.target_id)
    except Exception:  # noqa: BLE001 - a vanished target: the feed is gone
        return False


async def feed_bytes(fresh: Freshness, base_url: str) -> bytes:
    """The whole calendar for ``fresh``; served from memory while the ETag holds."""
    key = (fresh.token_id, fresh.etag)
    cached = _feeds.get(key)
    if cached is not None:
        _feeds.move_to_end(key)
        return cached
    body = await build_feed(fresh.scope, fresh.target_id, locale=fresh.locale,
                            zone_name=fresh.timezone, base_url=base_url)
    _remember(_feeds, key, body, FEED_CACHE_SIZE)
    return body


async def build_feed(scope: str, target_id: int, *, locale: str | None, zone_name: str | None,
                     base_url: str, moment: datetime | None = None) -> bytes:
    if scope == "resource":
        from platforms.tables import Resource

        plat = await Resource.select(Resource.platform.timezone.as_alias("tz")).where(
            Resource.id == target_id).first()
        zone_name = plat["tz"] if plat else None
    flav = feed_blocks.flavour(scope, locale=locale, zone_name=zone_name, base_url=base_url)
    rows = await feed_blocks.feed_rows(flav, feeds.SCOPE_COLUMN[scope], target_id,
                                       feeds.window_start(moment))
    blocks, built = await feed_blocks.current_blocks(flav, rows)
    if built:
        await feed_blocks.store_quietly(flav, built)
    target = await _target_row(scope, target_id)
    with use_locale(flav.locale):
        name = _calendar_name(scope, target)
    return _assemble(blocks, rows, flav.tz, name, flav.language)


def _assemble(blocks: list[str], rows: list[dict[str, Any]], zone: ZoneInfo, name: str,
              language: str) -> bytes:
    """The header and VTIMEZONE of build_calendar around the blocks."""
    stamp = max((r["updated_at"] for r in rows), default=None) or datetime(2000, 1, 1, tzinfo=UTC)
    years = [stamp.astimezone(zone).year]
    if rows:
        years += [rows[0]["start_at"].astimezone(zone).year,
                  max(r["end_at"] for r in rows).astimezone(zone).year]
    head = _head(zone.key, min(years), max(years), bool(rows), name, language)
    return b"".join([head, "".join(blocks).encode(), b"END:VCALENDAR\r\n"])


@lru_cache(maxsize=256)
def _head(zone_key: str, first_year: int, last_year: int, sized: bool, name: str,
          language: str) -> bytes:
    """Everything before the first VEVENT; build_calendar sizes the VTIMEZONE to the
    years of the events and the stamp, so a span over those years gives the same."""
    zone = ZoneInfo(zone_key)
    first = datetime(first_year, 6, 1, tzinfo=zone)
    span = [event_for_busy_block("span", first, datetime(last_year, 6, 2, tzinfo=zone), first,
                                 "span")] if sized else []
    shell = build_calendar(span, method="PUBLISH", zone=zone, dtstamp=first,
                           calendar_name=name, refresh_interval=REFRESH, language=language)
    return shell[:shell.index(_BEGIN)] if sized else shell[:shell.rindex(b"END:VCALENDAR")]
