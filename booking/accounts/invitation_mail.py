"""The invitation e-mail's words, in the invited person's language."""

from __future__ import annotations

from babel.dates import format_datetime

from booking.accounts.events import InvitationIssued
from calendars.zones import zone_named
from i18n import gettext, use_locale
from i18n.translations import localized

INVITATION_PATH = "/invitations/"


def invitation_link(base_url: str, secret: str) -> str:
    return f"{base_url.rstrip('/')}{INVITATION_PATH}{secret}"


def compose(event: InvitationIssued, base_url: str) -> tuple[str, str]:
    """``(subject, text body)`` of the invitation to ``event.email``."""
    with use_locale(event.locale):
        enterprise = localized({"name_zh": event.enterprise_name_zh,
                                "name_en": event.enterprise_name_en}, "name")
        expires = format_datetime(event.expires_at, "medium",
                                  tzinfo=zone_named(event.timezone), locale=event.locale)
        subject = gettext("You are invited to Parkbench by %(enterprise)s", enterprise=enterprise)
        lines = [
            gettext("Hello %(name)s,", name=event.display_name or event.email),
            gettext("%(inviter)s added you to %(enterprise)s on Parkbench, where the park's "
                    "enterprises book shared instruments and technical services.",
                    inviter=event.inviter_name, enterprise=enterprise),
            gettext("Open this link to choose your password; it works once, until %(expires)s:",
                    expires=expires),
            invitation_link(base_url, event.secret),
            gettext("If you did not expect this message, you can ignore it."),
        ]
    return subject, "\n\n".join(lines) + "\n"
