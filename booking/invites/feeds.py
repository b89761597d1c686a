"""Subscription feed tokens: who may subscribe to what, and the secret in the URL.

A feed URL is ``/feeds/<token>.ics``. The token is ``<scope letter>_`` followed by
``secrets.token_urlsafe(32)`` (256 random bits); only its SHA-256 is stored, so a
leaked database does not leak working URLs. The scope letter says which bookings
a token covers before its row is read.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from time import monotonic
from typing import Any

from booking.accounts.permissions import Can, allows
from booking.accounts.principal import Principal
from booking.accounts.tables import Enterprise
from booking.clock import precise_now as now
from booking.errors import Forbidden, NotFound, RuleViolation
from booking.invites.tables import FeedToken
from booking.reservations.status import HOLDING, BookingStatus
from platforms.tables import Platform, Resource

SCOPES = ("user", "enterprise", "resource", "platform")
_LETTER = {"user": "u", "enterprise": "e", "resource": "r", "platform": "p"}
_SCOPE_OF_LETTER = {v: k for k, v in _LETTER.items()}
# The booking column each scope filters on.
SCOPE_COLUMN = {"user": "account", "enterprise": "enterprise", "resource": "resource",
                "platform": "platform"}
# What a feed shows: bookings that take or took place. Cancelled ones drop out.
SHOWN_STATUSES = tuple(s.value for s in BookingStatus
                       if s in HOLDING or s is BookingStatus.COMPLETED)
HISTORY = timedelta(days=90)
VERSION = "2"  # 2: DTSTAMP of each event is its last change (stored blocks)



def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(scope: str) -> str:
    return f"{_LETTER[scope]}_{secrets.token_urlsafe(32)}"


def window_start(moment: datetime | None = None) -> datetime:
    """Feeds cover bookings ending after this: midnight UTC, 90 days back."""
    day = ((moment or now()) - HISTORY).date()
    return datetime.combine(day, time(0), tzinfo=UTC)


def token_view(row: dict[str, Any], base_url: str, secret: str | None = None) -> dict[str, Any]:
    view = {"id": row["id"], "scope": row["scope"], "target_id": row["target_id"],
            "created_at": row["created_at"].isoformat() if row["created_at"] else None,
            "revoked_at": row["revoked_at"].isoformat() if row["revoked_at"] else None}
    if secret is not None:
        # Shown once, at creation or rotation: it cannot be recovered from the hash.
        view["token"] = secret
        view["url"] = f"{base_url.rstrip('/')}/feeds/{secret}.ics"
    return view


async def may_subscribe(principal: Principal, scope: str, target_id: int) -> bool:
    """user: oneself; enterprise: its admin; platform: its operators; resource: members."""
    if scope == "user":
        return allows(principal, Can.SIGNED_IN, account_id=target_id)
    if scope == "enterprise":
        if not await Enterprise.exists().where(Enterprise.id == target_id):
            raise NotFound("enterprise_not_found", "No such enterprise.")
        # The enterprise's bookings with names: its admin and the park, not platform staff.
        return allows(principal, Can.VIEW_BOOKINGS, enterprise_id=target_id)
    if scope == "platform":
        if not await Platform.exists().where(Platform.id == target_id):
            raise NotFound("platform_not_found", "No such platform.")
        return allows(principal, Can.VIEW_OPERATIONS, platform_id=target_id)
    if scope == "resource":
        if not await Resource.exists().where(Resource.id == target_id):
            raise NotFound("resource_not_found", "No resource with this id.")
        return True  # busy blocks only: no names, notes or links
    raise RuleViolation("invalid_feed_scope",
                        "A feed is for a user, an enterprise, a resource or a platform.")


async def create(principal: Principal, scope: str, target_id: int | None,
                 base_url: str) -> dict[str, Any]:
    if scope not in SCOPES:
        raise RuleViolation("invalid_feed_scope",
                            "A feed is for a user, an enterprise, a resource or a platform.")
    if target_id is None:
        target_id = {"user": principal.id, "enterprise": principal.enterprise_id}.get(scope)
        if target_id is None:
            raise RuleViolation("feed_target_required", "Say which calendar to subscribe to.")
    if not await may_subscribe(principal, scope, target_id):
        raise Forbidden("forbidden_feed", "You may not subscribe to this calendar.")
    return await _issue(principal.id, scope, target_id, base_url)


async def _issue(account_id: int, scope: str, target_id: int, base_url: str) -> dict[str, Any]:
    secret = new_secret(scope)
    row = FeedToken(account=account_id, scope=scope, target_id=target_id,
                    token_hash=token_hash(secret), created_at=now())
    await row.save()
    return token_view(row.to_dict(), base_url, secret)


async def list_mine(principal: Principal, base_url: str) -> list[dict[str, Any]]:
    rows = await FeedToken.select().where(FeedToken.account == principal.id).order_by(
        FeedToken.id, ascending=False)
    return [token_view(r, base_url) for r in rows]


async def _own(principal: Principal, token_id: int) -> dict[str, Any]:
    row = await FeedToken.select().where(
        (FeedToken.id == token_id) & (FeedToken.account == principal.id)).first()
    if row is None:
        raise NotFound("feed_not_found", "No such calendar feed.")
    return row


async def revoke(principal: Principal, token_id: int, base_url: str) -> dict[str, Any]:
    row = await _own(principal, token_id)
    if row["revoked_at"] is None:
        row["revoked_at"] = now()
        await FeedToken.update({FeedToken.revoked_at: row["revoked_at"]}).where(
            FeedToken.id == token_id)
    return token_view(row, base_url)


async def rotate(principal: Principal, token_id: int, base_url: str) -> dict[str, Any]:
    """A new secret for the same calendar; the old URL stops working at once."""
    row = await _own(principal, token_id)
    if row["revoked_at"] is not None:
        raise RuleViolation("feed_revoked", "This calendar feed was revoked.")
    if not await may_subscribe(principal, row["scope"], row["target_id"]):
        raise Forbidden("forbidden_feed", "You may not subscribe to this calendar.")
    async with FeedToken._meta.db.transaction():
        await FeedToken.update({FeedToken.revoked_at: now()}).where(FeedToken.id == token_id)
        return await _issue(principal.id, row["scope"], row["target_id"], base_url)


@dataclass(frozen=True)
class Freshness:
    token_id: int
    scope: str
    target_id: int
    owner_id: int
    locale: str | None
    timezone: str | None
    etag: str


# The booking summary behind an ETag, per (scope, target), for a few seconds: a
# revalidation then costs one indexed token lookup. This process forgets a summary
# as soon as a booking in it changes (see ``forget``); other processes within
# SUMMARY_TTL, which is far below the feeds' one-hour REFRESH-INTERVAL.
SUMMARY_TTL = 10.0
# A change is announced inside its transaction, before the commit: for this long
# afterwards a freshly computed summary is not kept, as it may predate the commit.
_UNSETTLED = 2.0
_summaries: dict[tuple[str, int], tuple[float, str]] = {}
_unsettled: dict[tuple[str, int], float] = {}


def forget(booking: dict[str, Any]) -> None:
    """Called for every booking change: drop the summaries that include it."""
    until = monotonic() + _UNSETTLED
    for scope, column in SCOPE_COLUMN.items():
        key = (scope, booking.get(column))
        _summaries.pop(key, None)
        _unsettled[key] = until


async def _summary(scope: str, target_id: int, since: datetime) -> str:
    key = (scope, target_id)
    moment = monotonic()
    cached = _summaries.get(key)
    if cached is not None and cached[0] > moment:
        return cached[1]
    column = SCOPE_COLUMN[scope]
    statuses = ", ".join(f"'{s}'" for s in SHOWN_STATUSES)
    rows = await FeedToken.raw(
        "SELECT count(id) AS n, max(updated_at) AS changed, coalesce(sum(sequence), 0) AS seq, "
        f"max(id) AS last_id FROM booking WHERE {column} = {{}} AND status IN ({statuses}) "
        "AND end_at > {}", target_id, since)
    row = rows[0]
    changed = row["changed"]
    if isinstance(changed, datetime):
        changed = changed.astimezone(UTC).isoformat()
    summary = f"{row['n']}|{changed}|{row['seq']}|{row['last_id']}"
    if _unsettled.get(key, 0.0) <= moment:
        _unsettled.pop(key, None)
        _summaries[key] = (moment + SUMMARY_TTL, summary)
        if len(_summaries) > 10_000:
            _summaries.clear()
    return summary


async def freshness(secret: str, base_url: str, moment: datetime | None = None
                    ) -> Freshness | None:
    """The token's feed and its ETag; None for an unknown or revoked token.

    The token is looked up on every request (a revocation takes effect at once).
    The ETag summarises the covered bookings: how many, the latest change, the sum
    of their SEQUENCEs and the highest id. Every write to a booking sets
    ``updated_at`` and those that change an invite raise SEQUENCE, so any change
    to what the feed shows changes the tag even within one second.
    """
    letter, _, rest = secret.partition("_")
    scope = _SCOPE_OF_LETTER.get(letter)
    if scope is None or len(rest) < 22:
        return None
    row = await FeedToken.select(
        FeedToken.id, FeedToken.target_id, FeedToken.account,
        FeedToken.account.locale.as_alias("locale"),
        FeedToken.account.timezone.as_alias("timezone"),
        FeedToken.account.active.as_alias("active"),
    ).where((FeedToken.token_hash == token_hash(secret)) & (FeedToken.scope == scope)
            & FeedToken.revoked_at.is_null()).first()
    if row is None or not row["active"]:
        return None
    since = window_start(moment)
    summary = await _summary(scope, row["target_id"], since)
    tag = "|".join(str(v) for v in (
        VERSION, scope, row["target_id"], summary, row["locale"], row["timezone"],
        since.date(), base_url))
    etag = '"' + hashlib.sha256(tag.encode()).hexdigest()[:32] + '"'
    return Freshness(row["id"], scope, row["target_id"], row["account"], row["locale"],
                     row["timezone"], etag)
