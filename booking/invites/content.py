"""What an invite says: a booking row and its resource, platform and person as
``calendars.ical.EventData``, worded in the recipient's language and zone."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from booking.accounts.tables import Account, Enterprise
from booking.errors import NotFound
from booking.reservations.status import BookingStatus, status_label
from calendars.ical import EventData
from i18n import DEFAULT_LOCALE, gettext, use_locale
from i18n.formatting import interval_text
from i18n.translations import localized
from platforms.tables import Platform, Resource

ALARM_MINUTES = 30

ICAL_STATUS: dict[str, str] = {
    BookingStatus.PENDING: "TENTATIVE", BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.IN_USE: "CONFIRMED", BookingStatus.COMPLETED: "CONFIRMED",
}  # every other status: CANCELLED


def ical_status(status: str) -> str:
    return ICAL_STATUS.get(status, "CANCELLED")


def language_tag(locale: str) -> str:
    return locale.replace("_", "-")


def booking_url(base_url: str, booking_id: int) -> str:
    return f"{base_url.rstrip('/')}/bookings/{booking_id}"


@dataclass
class Directory:
    """The rows an invite mentions, loaded once per batch of bookings."""

    resources: dict[int, dict[str, Any]]
    platforms: dict[int, dict[str, Any]]
    accounts: dict[int, dict[str, Any]]
    enterprises: dict[int, dict[str, Any]]

    @classmethod
    async def load(cls, bookings: Iterable[dict[str, Any]], *, people: bool = True) -> Directory:
        rows = list(bookings)
        resource_ids = sorted({b["resource"] for b in rows})
        platform_ids = sorted({b["platform"] for b in rows})
        resources = await Resource.select(
            Resource.id, Resource.name_zh, Resource.name_en, Resource.building_zh,
            Resource.building_en, Resource.room, Resource.platform,
        ).where(Resource.id.is_in(resource_ids)) if resource_ids else []
        platforms = await Platform.select(
            Platform.id, Platform.name_zh, Platform.name_en, Platform.mailbox,
            Platform.timezone,
        ).where(Platform.id.is_in(platform_ids)) if platform_ids else []
        accounts: list[dict[str, Any]] = []
        enterprises: list[dict[str, Any]] = []
        if people and rows:
            accounts = await Account.select(
                Account.id, Account.email, Account.display_name, Account.locale,
                Account.timezone,
            ).where(Account.id.is_in(sorted({b["account"] for b in rows})))
            enterprises = await Enterprise.select(
                Enterprise.id, Enterprise.name_zh, Enterprise.name_en,
            ).where(Enterprise.id.is_in(sorted({b["enterprise"] for b in rows})))
        return cls({r["id"]: r for r in resources}, {p["id"]: p for p in platforms},
                   {a["id"]: a for a in accounts}, {e["id"]: e for e in enterprises})

    def resource(self, booking: dict[str, Any]) -> dict[str, Any]:
        row = self.resources.get(booking["resource"])
        if row is None:
            raise NotFound("resource_not_found", "No resource with this id.")
        return row

    def platform(self, booking: dict[str, Any]) -> dict[str, Any]:
        return self.platforms.get(booking["platform"]) or {}

    def account(self, booking: dict[str, Any]) -> dict[str, Any]:
        return self.accounts.get(booking["account"]) or {}


def account_locale(account: dict[str, Any]) -> str:
    return account.get("locale") or DEFAULT_LOCALE


def location_text(resource: dict[str, Any], platform: dict[str, Any]) -> str:
    """Platform, building, room — in the active locale."""
    parts = [localized(platform, "name"), localized(resource, "building"), resource.get("room")]
    return ", ".join(p for p in parts if p)


def booking_event(
    booking: dict[str, Any], directory: Directory, *, base_url: str, locale: str,
    zone: ZoneInfo, organizer_email: str | None = None, people: bool = True,
    alarm: bool = True,
) -> EventData:
    """The booking as an event; ``people`` False leaves out the person and the note."""
    resource, platform = directory.resource(booking), directory.platform(booking)
    account = directory.account(booking)
    url = booking_url(base_url, booking["id"])
    with use_locale(locale):
        name = localized(resource, "name")
        summary = gettext("Booking: %(resource)s", resource=name)
        lines = [
            gettext("Resource: %(resource)s", resource=name),
            gettext("Time: %(when)s (%(zone)s)",
                    when=interval_text(booking["start_at"], booking["end_at"], zone,
                                       locale=locale), zone=zone.key),
            gettext("Status: %(status)s", status=status_label(booking["status"])),
        ]
        if booking.get("quantity", 1) > 1:
            lines.append(gettext("Quantity: %(n)s", n=booking["quantity"]))
        if people:
            if account:
                lines.append(gettext("Booked for: %(person)s",
                                     person=account.get("display_name") or account["email"]))
            enterprise = directory.enterprises.get(booking["enterprise"])
            if enterprise:
                lines.append(gettext("Enterprise: %(name)s", name=localized(enterprise, "name")))
            if booking.get("note"):
                lines.append(gettext("Note: %(note)s", note=booking["note"]))
        lines.append(gettext("Booking number: %(id)s", id=booking["id"]))
        lines.append(gettext("Details and changes: %(url)s", url=url))
        location = location_text(resource, platform)
        organizer_name = localized(platform, "name") or None
    return EventData(
        uid=booking["uid"], sequence=booking["sequence"], start=booking["start_at"],
        end=booking["end_at"], summary=summary, description="\n".join(lines),
        location=location, url=url, status=ical_status(booking["status"]),  # type: ignore[arg-type]
        organizer_email=(platform.get("mailbox") or organizer_email) if people else None,
        organizer_name=organizer_name if people else None,
        attendee_email=account.get("email") if people and account else None,
        attendee_name=(account.get("display_name") or None) if people and account else None,
        alarm_minutes_before=ALARM_MINUTES if alarm else None,
        last_modified=booking.get("updated_at"),
    )


def busy_event(booking: dict[str, Any], *, locale: str) -> EventData:
    """An anonymous block for resource feeds: no people, note, link or booking uid."""
    with use_locale(locale):
        summary = gettext("Busy")
    # The booking's own UID would let a subscriber match blocks to invites they saw.
    uid = "busy-" + hashlib.sha256(booking["uid"].encode()).hexdigest()[:24] + "@parkbench"
    return EventData(uid=uid, sequence=booking["sequence"], start=booking["start_at"],
                     end=booking["end_at"], summary=summary, alarm_minutes_before=None,
                     status=ical_status(booking["status"]),  # type: ignore[arg-type]
                     last_modified=booking.get("updated_at"))


def when_text(booking: dict[str, Any], zone: ZoneInfo, locale: str) -> str:
    return interval_text(booking["start_at"], booking["end_at"], zone, locale=locale)

