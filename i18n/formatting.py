"""Dates, times, intervals and money for display, in the viewer's locale and zone.

The zone is always the caller's to give: whose zone a time is shown in (the viewer's,
a resource's) is a decision of the layers above, and the park's default zone is
declared once, in ``calendars.zones``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import format_time as _format_time
from babel.dates import format_timedelta as _format_timedelta
from babel.numbers import format_currency

from i18n.translations import active_locale


def _aware(moment: datetime) -> datetime:
    # Babel takes a naive datetime as UTC; refuse the ambiguity instead of guessing.
    if moment.tzinfo is None:
        raise ValueError("naive datetime passed to a formatter")
    return moment


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def money(fen: int, locale: str | None = None) -> str:
    return format_currency(fen_to_decimal(fen), "CNY", locale=locale or active_locale())


def datetime_text(
    moment: datetime, zone: ZoneInfo, fmt: str = "medium", locale: str | None = None
) -> str:
    return _format_datetime(
        _aware(moment), format=fmt, tzinfo=zone, locale=locale or active_locale()
    )


def date_text(moment: datetime, zone: ZoneInfo, fmt: str = "medium",
              locale: str | None = None) -> str:
    return _format_date(_aware(moment).astimezone(zone).date(), format=fmt,
                        locale=locale or active_locale())


def time_text(moment: datetime, zone: ZoneInfo, fmt: str = "short",
              locale: str | None = None) -> str:
    return _format_time(_aware(moment), format=fmt, tzinfo=zone, locale=locale or active_locale())


def interval_text(start: datetime, end: datetime, zone: ZoneInfo,
                  locale: str | None = None) -> str:
    """One date and two times when the interval stays within a local day."""
    locale = locale or active_locale()
    local_start, local_end = _aware(start).astimezone(zone), _aware(end).astimezone(zone)
    if local_start.date() == local_end.date():
        day = _format_date(local_start.date(), format="medium", locale=locale)
        first = _format_time(local_start, format="HH:mm", locale=locale)
        last = _format_time(local_end, format="HH:mm", locale=locale)
        return f"{day} {first}–{last}"
    first = _format_datetime(local_start, format="medium", locale=locale).rsplit(":", 1)[0]
    last = _format_datetime(local_end, format="medium", locale=locale).rsplit(":", 1)[0]
    return f"{first} – {last}"


def duration_text(delta: timedelta, locale: str | None = None) -> str:
    return _format_timedelta(delta, threshold=1.5, locale=locale or active_locale())
