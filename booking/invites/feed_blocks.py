"""Stored VEVENT blocks of subscription feeds: serialised once, after commit.

icalendar writes about 2,000 events a second, so a 10,000-event feed cannot be
serialised per request. Each booking's VEVENT, as a feed of one *flavour* shows it,
is kept in ``feed_block``:

- **variant** ``personal`` (user feeds: names, note, link and a VALARM), ``shared``
  (enterprise and platform feeds: the same without the alarm) or ``busy`` (resource
  feeds: an anonymous block);
- **locale** of the feed's owner (the wording and ``LANGUAGE=``) and the **zone** the
  times are written in (the owner's, or the resource's platform's for busy blocks).

A block is current while the booking still has the SEQUENCE and ``updated_at`` it
was built from (every booking write sets ``updated_at``) and its other inputs still
hash to the stored ``context``: the resource, platform, person and enterprise rows
it mentions, the base URL, and probe events rendered with this code, catalog and
icalendar (so a new translation or release rebuilds them). A block that is not
current is never served: the feed builds it again and stores it.

Blocks are written outside any booking transaction, by ``refresh_stale`` (the
background sweep: bookings changed since their block was built, for the flavours of
active feed tokens and the default ones) and by the feed itself for whatever the
sweep has not reached yet. DTSTAMP is the booking's ``updated_at`` — the moment this
version of the event came to be — so a block is the same bytes whoever builds it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from booking.clock import precise_now
from booking.db import in_write_transaction
from booking.invites import content, feeds
from booking.invites.tables import FeedBlock
from booking.reservations.status import BookingStatus
from calendars.ical import EventData, vevent_bytes
from calendars.zones import zone_named
from i18n import DEFAULT_LOCALE

log = logging.getLogger("parkbench.feeds")

VARIANT_OF_SCOPE = {"user": "personal", "enterprise": "shared", "platform": "shared",
                    "resource": "busy"}
# Raise when the code that turns a booking into an event changes in a way the
# probe events below would not show.
BLOCK_VERSION = "1"
SERIALISE_SLICE = 100   # events serialised between two yields to the event loop
STORE_CHUNK = 500       # rows per INSERT … ON CONFLICT
SWEEP_BATCH = 1000      # stale bookings read per sweep query
ID_CHUNK = 500          # targets per IN list

BOOKING_COLUMNS = ("id", "uid", "resource", "platform", "enterprise", "account", "start_at",
                   "end_at", "status", "sequence", "quantity", "note", "updated_at")
_SELECT = ", ".join(f"b.{c}" for c in BOOKING_COLUMNS)
_SHOWN = ", ".join(f"'{s}'" for s in feeds.SHOWN_STATUSES)


@dataclass(frozen=True)
class Flavour:
    """What, besides the booking, decides the bytes of a block."""

    variant: str
    locale: str
    zone: str
    base_url: str

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    @property
    def language(self) -> str:
        return content.language_tag(self.locale)


def flavour(scope: str, *, locale: str | None, zone_name: str | None,
            base_url: str) -> Flavour:
    """``zone_name``: the owner's zone, or for a resource feed its platform's."""
    return Flavour(VARIANT_OF_SCOPE[scope], locale or DEFAULT_LOCALE,
                   zone_named(zone_name).key, base_url)


@dataclass(frozen=True)
class Built:
    booking_id: int
    sequence: int
    updated_at: datetime
    context: str
    body: str


# -- what a block says ---------------------------------------------------------------

def event_data(row: dict[str, Any], flav: Flavour,
               directory: content.Directory | None) -> EventData:
    if flav.variant == "busy":
        return content.busy_event(row, locale=flav.locale)
    data = content.booking_event(row, directory, base_url=flav.base_url,  # type: ignore[arg-type]
                                 locale=flav.locale, zone=flav.tz, people=True,
                                 alarm=flav.variant == "personal")
    # A feed is published, not sent: no organizer or attendee to answer.
    data.organizer_email = data.attendee_email = None
    return data


def serialise(row: dict[str, Any], flav: Flavour, directory: content.Directory | None) -> str:
    """The booking's VEVENT, written by icalendar exactly as ``build_calendar`` would."""
    return _write(event_data(row, flav, directory), flav, row["updated_at"])


def _write(data: EventData, flav: Flavour, stamp: datetime) -> str:
    return vevent_bytes(data, method="PUBLISH", zone=flav.tz, dtstamp=stamp,
                        language=flav.language).decode()


_PROBE_STAMP = datetime(2030, 1, 7, 1, 2, 3, tzinfo=UTC)


@lru_cache(maxsize=256)
def flavour_digest(flav: Flavour) -> str:
    """A hash of probe events in this flavour: changes when the wording, the catalog,
    Babel's formats or icalendar's output change, so stored blocks are rebuilt."""
    directory = content.Directory(
        {1: {"id": 1, "name_zh": "探针仪器", "name_en": "Probe", "building_zh": "楼",
             "building_en": "Hall", "room": "1", "platform": 1}},
        {1: {"id": 1, "name_zh": "平台", "name_en": "Platform", "mailbox": "p@example.test",
             "timezone": flav.zone}},
        {1: {"id": 1, "email": "a@example.test", "display_name": "探针", "locale": None,
             "timezone": None}},
        {1: {"id": 1, "name_zh": "企业", "name_en": "Enterprise"}})
    digest = hashlib.sha256(f"{BLOCK_VERSION}|{flav}".encode())
    for number, status in enumerate(BookingStatus, start=1):
        row = {"id": number, "uid": f"probe-{number}@parkbench", "resource": 1, "platform": 1,
               "enterprise": 1, "account": 1, "start_at": _PROBE_STAMP,
               "end_at": _PROBE_STAMP.replace(hour=3 + number), "status": status,
               "sequence": number, "quantity": number, "note": "探针; note",
               "updated_at": _PROBE_STAMP}
        digest.update(_write(event_data(row, flav, directory), flav, _PROBE_STAMP).encode())
    return digest.hexdigest()


class Contexts:
    """The ``context`` hash of each booking in one flavour, memoised per combination of
    resource, platform, person and enterprise (a feed has few of those)."""

    def __init__(self, flav: Flavour, directory: content.Directory | None):
        self.base = flavour_digest(flav)
        self.directory = directory
        self._memo: dict[tuple, str] = {}

    def of(self, row: dict[str, Any]) -> str:
        if self.directory is None:
            return self.base[:32]
        key = (row["resource"], row["platform"], row["account"], row["enterprise"])
        found = self._memo.get(key)
        if found is None:
            d = self.directory
            mentioned = (d.resources.get(key[0]), d.platforms.get(key[1]),
                         d.accounts.get(key[2]), d.enterprises.get(key[3]))
            text = self.base + repr([sorted(r.items()) if r else None for r in mentioned])
            found = self._memo[key] = hashlib.sha256(text.encode()).hexdigest()[:32]
        return found


def is_current(row: dict[str, Any], context: str) -> bool:
    return (row["block_body"] is not None and row["block_sequence"] == row["sequence"]
            and row["block_updated_at"] == row["updated_at"] and row["block_context"] == context)


async def load_directory(flav: Flavour, rows: Sequence[dict[str, Any]]
                         ) -> content.Directory | None:
    return None if flav.variant == "busy" else await content.Directory.load(rows)


async def build(flav: Flavour, rows: Sequence[dict[str, Any]],
                contexts: Contexts, directory: content.Directory | None) -> list[Built]:
    """Serialise ``rows`` with icalendar, yielding to the event loop now and then."""
    out = []
    for start in range(0, len(rows), SERIALISE_SLICE):
        for row in rows[start:start + SERIALISE_SLICE]:
            out.append(Built(row["id"], row["sequence"], row["updated_at"], contexts.of(row),
                             serialise(row, flav, directory)))
        await asyncio.sleep(0)
    return out


# -- reading and writing the store ---------------------------------------------------

def _key_args(flav: Flavour) -> tuple[str, str, str]:
    return flav.variant, flav.locale, flav.zone


async def feed_rows(flav: Flavour, column: str, target_id: int, since: datetime
                    ) -> list[dict[str, Any]]:
    """A feed's bookings in order, each with its stored block (or NULLs): one query."""
    if column not in BOOKING_COLUMNS:
        raise ValueError(column)
    return await FeedBlock.raw(
        f"SELECT {_SELECT}, f.booking_sequence AS block_sequence, "
        "f.booking_updated_at AS block_updated_at, f.context AS block_context, "
        "f.body AS block_body FROM booking b LEFT JOIN feed_block f ON f.booking = b.id "
        "AND f.variant = {} AND f.locale = {} AND f.zone = {} "
        f"WHERE b.{column} = {{}} AND b.status IN ({_SHOWN}) AND b.end_at > {{}} "
        "ORDER BY b.start_at, b.id", *_key_args(flav), target_id, since)


async def store(flav: Flavour, built: Sequence[Built]) -> None:
    """Upsert blocks in chunks, each in its own short write transaction. A block built
    from an older state of the booking never replaces a newer one."""
    moment = precise_now()
    for start in range(0, len(built), STORE_CHUNK):
        chunk = built[start:start + STORE_CHUNK]
        args: list[Any] = []
        for b in chunk:
            args += [b.booking_id, *_key_args(flav), b.sequence, b.updated_at, b.context,
                     b.body, moment]
        values = ", ".join(["({}, {}, {}, {}, {}, {}, {}, {}, {})"] * len(chunk))
        sql = (
            "INSERT INTO feed_block (booking, variant, locale, zone, booking_sequence, "
            f"booking_updated_at, context, body, built_at) VALUES {values} "
            "ON CONFLICT (booking, variant, locale, zone) DO UPDATE SET "
            "booking_sequence = excluded.booking_sequence, "
            "booking_updated_at = excluded.booking_updated_at, context = excluded.context, "
            "body = excluded.body, built_at = excluded.built_at "
            "WHERE feed_block.booking_updated_at <= excluded.booking_updated_at")

        async def write(sql: str = sql, args: list[Any] = args) -> None:
            await FeedBlock.raw(sql, *args)

        await in_write_transaction(write)


async def store_quietly(flav: Flavour, built: Sequence[Built]) -> None:
    """For the request path: a block that could not be kept is built again next time."""
    try:
        await store(flav, built)
    except Exception:  # noqa: BLE001 - the feed was served; storing is an optimisation
        log.warning("could not store %d feed blocks", len(built), exc_info=True)


async def current_blocks(flav: Flavour, rows: Sequence[dict[str, Any]]
                         ) -> tuple[list[str], list[Built]]:
    """Each row's block: the stored one if current, else serialised now (returned as
    ``Built`` for the caller to store)."""
    directory = await load_directory(flav, rows)
    contexts = Contexts(flav, directory)
    blocks: list[str] = []
    stale: list[int] = []
    for index, row in enumerate(rows):
        if is_current(row, contexts.of(row)):
            blocks.append(row["block_body"])
        else:
            stale.append(index)
            blocks.append("")
    built = await build(flav, [rows[i] for i in stale], contexts, directory)
    for index, block in zip(stale, built, strict=True):
        blocks[index] = block.body
    return blocks, built


# -- the background sweep ------------------------------------------------------------

async def _needed(base_url: str) -> list[tuple[Flavour, str | None, list[int] | None]]:
    """The flavours to keep current, and which bookings: those of every active feed
    token, then the default ones (zh_CN, Asia/Shanghai) for all bookings, so that a
    new subscriber's first feed is already stored."""
    from booking.invites.tables import FeedToken
    from platforms.tables import Platform, Resource

    tokens = await FeedToken.select(
        FeedToken.scope, FeedToken.target_id,
        FeedToken.account.locale.as_alias("locale"),
        FeedToken.account.timezone.as_alias("timezone"),
    ).where(FeedToken.revoked_at.is_null() & (FeedToken.account.active == True))  # noqa: E712
    platforms = {p["id"]: p["timezone"] for p in await Platform.select(Platform.id,
                                                                        Platform.timezone)}
    resource_ids = sorted({t["target_id"] for t in tokens if t["scope"] == "resource"})
    resource_zone = {r["id"]: platforms.get(r["platform"]) for r in (await Resource.select(
        Resource.id, Resource.platform).where(Resource.id.is_in(resource_ids))
        if resource_ids else [])}
    groups: dict[tuple[Flavour, str], set[int]] = {}
    for token in tokens:
        scope = token["scope"]
        zone = resource_zone.get(token["target_id"]) if scope == "resource" else token[
            "timezone"]
        flav = flavour(scope, locale=token["locale"], zone_name=zone, base_url=base_url)
        groups.setdefault((flav, feeds.SCOPE_COLUMN[scope]), set()).add(token["target_id"])
    out: list[tuple[Flavour, str | None, list[int] | None]] = [
        (flav, column, sorted(ids)) for (flav, column), ids in groups.items()]
    out.append((flavour("user", locale=None, zone_name=None, base_url=base_url), None, None))
    busy: dict[Flavour, list[int]] = {}
    for platform_id, zone in sorted(platforms.items()):
        busy.setdefault(flavour("resource", locale=None, zone_name=zone, base_url=base_url),
                        []).append(platform_id)
    out += [(flav, "platform", ids) for flav, ids in busy.items()]
    return out


async def _stale_rows(flav: Flavour, column: str | None, ids: list[int] | None,
                      since: datetime, limit: int) -> list[dict[str, Any]]:
    """Shown bookings whose block is missing or older than the booking."""
    where, args = "", []
    if column is not None:
        if column not in BOOKING_COLUMNS:
            raise ValueError(column)
        where = f"AND b.{column} IN ({', '.join(['{}'] * len(ids or []))}) "
        args = list(ids or [])
    return await FeedBlock.raw(
        f"SELECT {_SELECT} FROM booking b LEFT JOIN feed_block f ON f.booking = b.id "
        "AND f.variant = {} AND f.locale = {} AND f.zone = {} "
        f"WHERE b.status IN ({_SHOWN}) AND b.end_at > {{}} {where}"
        "AND (f.id IS NULL OR f.booking_sequence <> b.sequence "
        "OR f.booking_updated_at <> b.updated_at) ORDER BY b.id LIMIT {}",
        *_key_args(flav), since, *args, limit)


def _chunks(ids: list[int] | None) -> Iterable[list[int] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start:start + ID_CHUNK]


async def refresh_stale(base_url: str, *, limit: int = 5000,
                        moment: datetime | None = None) -> int:
    """Serialise and store the blocks of bookings changed since their block was built
    (or never built), at most ``limit`` per run; returns how many were written.

    Runs in the background sweep, never inside a booking's transaction. A change of
    a name (resource, person, enterprise) is not seen here: the feed notices the
    context hash and rebuilds those blocks itself.
    """
    since = feeds.window_start(moment)
    done = 0
    for flav, column, ids in await _needed(base_url):
        for part in _chunks(ids):
            while done < limit:
                rows = await _stale_rows(flav, column, part, since,
                                         min(SWEEP_BATCH, limit - done))
                if not rows:
                    break
                directory = await load_directory(flav, rows)
                built = await build(flav, rows, Contexts(flav, directory), directory)
                await store(flav, built)
                done += len(built)
    await prune(moment=moment)
    return done


async def prune(*, moment: datetime | None = None, limit: int = 1000) -> None:
    """Drop blocks of bookings a feed no longer shows (cancelled, long past); deleted
    bookings take their blocks with them (ON DELETE CASCADE)."""
    since = feeds.window_start(moment)
    await in_write_transaction(lambda: FeedBlock.raw(
        "DELETE FROM feed_block WHERE id IN (SELECT f.id FROM feed_block f "
        "JOIN booking b ON b.id = f.booking "
        f"WHERE b.status NOT IN ({_SHOWN}) OR b.end_at <= {{}} LIMIT {{}})", since, limit))
