"""Building a subscription feed fast enough for 10,000 bookings.

icalendar serialises about 2,500 events a second, so a feed is assembled from
per-event VEVENT blocks kept in an in-process cache keyed by everything that
shows in the block (uid, SEQUENCE, status, last change, language, zone). Only
new or changed bookings are serialised again; the calendar header and its
VTIMEZONE come from ``calendars.ical.build_calendar`` like every other output.
New blocks are serialised together, a thousand per call. The ETag comes from the
data (see ``feeds.freshness``), not from these bytes.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking.accounts.service import load_principal
from booking.invites import content, feeds
from booking.invites.feeds import Freshness
from booking.reservations.tables import Booking
from calendars.ical import EventData, build_calendar, event_for_busy_block
from i18n import gettext, use_locale
from i18n.translations import localized

REFRESH = timedelta(hours=1)
_BEGIN, _END = b"BEGIN:VEVENT\r\n", b"END:VEVENT\r\n"
BLOCK_CACHE_SIZE = 200_000
FEED_CACHE_SIZE = 32

_blocks: OrderedDict[tuple, bytes] = OrderedDict()
_feeds: OrderedDict[tuple[int, str], bytes] = OrderedDict()

COLUMNS = (Booking.id, Booking.uid, Booking.resource, Booking.platform, Booking.enterprise,
           Booking.account, Booking.start_at, Booking.end_at, Booking.status, Booking.sequence,
           Booking.quantity, Booking.note, Booking.updated_at)


def _remember(cache: OrderedDict, key: Any, value: bytes, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def _serialise(missing: list[tuple[int, tuple, EventData]], zone: ZoneInfo,
               language: str) -> list[tuple[int, tuple, bytes]]:
    """VEVENT blocks of the new or changed events, from one build_calendar call each
    thousand events (icalendar is about twice as fast in bulk as one by one)."""
    out = []
    for chunk in range(0, len(missing), 1000):
        part = missing[chunk:chunk + 1000]
        text = build_calendar([data for _, _, data in part], method="PUBLISH", zone=zone,
                              dtstamp=datetime.now(UTC), language=language)
        pieces = text[text.index(_BEGIN):text.rindex(_END) + len(_END)].split(_BEGIN)[1:]
        if len(pieces) != len(part):  # cannot happen: text values never start a line
            raise RuntimeError("VEVENT blocks could not be separated")
        out += [(index, key, _BEGIN + piece) for (index, key, _), piece in zip(part, pieces,
                                                                              strict=True)]
    return out


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
    locale = locale or content.DEFAULT_LOCALE
    language = content.language_tag(locale)
    column = getattr(Booking, feeds.SCOPE_COLUMN[scope])
    rows = await Booking.select(*COLUMNS).where(
        (column == target_id) & Booking.status.is_in(list(feeds.SHOWN_STATUSES))
        & (Booking.end_at > feeds.window_start(moment))
    ).order_by(Booking.start_at)
    target = await _target_row(scope, target_id)
    if scope == "resource":
        from platforms.tables import Resource

        directory = None
        plat = await Resource.select(Resource.platform.timezone.as_alias("tz")).where(
            Resource.id == target_id).first()
        zone = content.zone_named(plat["tz"] if plat else None)
    else:
        directory = await content.Directory.load(rows)
        zone = content.zone_named(zone_name)
    blocks: list[bytes | None] = []
    missing: list[tuple[int, tuple, EventData]] = []
    for row in rows:
        key = (scope == "resource", scope == "user", row["uid"], row["sequence"], row["status"],
               row["updated_at"], locale, zone.key, base_url)
        block = _blocks.get(key)
        if block is None:
            if directory is None:
                data = content.busy_event(row, locale=locale)
            else:
                data = content.booking_event(row, directory, base_url=base_url, locale=locale,
                                             zone=zone, people=True, alarm=scope == "user")
                # A feed is published, not sent: no organizer or attendee to answer.
                data.organizer_email = data.attendee_email = None
            missing.append((len(blocks), key, data))
        else:
            _blocks.move_to_end(key)
        blocks.append(block)
    for index, key, block in _serialise(missing, zone, language):
        blocks[index] = block
        _remember(_blocks, key, block, BLOCK_CACHE_SIZE)
    with use_locale(locale):
        name = _calendar_name(scope, target)
    return _assemble(blocks, rows, zone, name, language)  # type: ignore[arg-type]


def _assemble(blocks: list[bytes], rows: list[dict[str, Any]], zone: ZoneInfo, name: str,
              language: str) -> bytes:
    """The header and VTIMEZONE of build_calendar around the cached blocks."""
    stamp = max((r["updated_at"] for r in rows), default=None) or datetime(2000, 1, 1, tzinfo=UTC)
    span = []
    if rows:
        # Only the years matter: build_calendar sizes the VTIMEZONE to them.
        span = [event_for_busy_block("span", rows[0]["start_at"],
                                     max(r["end_at"] for r in rows), stamp, "span")]
    shell = build_calendar(span, method="PUBLISH", zone=zone, dtstamp=stamp, calendar_name=name,
                           refresh_interval=REFRESH, language=language)
    head = shell[:shell.index(_BEGIN)] if span else shell[:shell.rindex(b"END:VCALENDAR")]
    return b"".join([head, *blocks, b"END:VCALENDAR\r\n"])
