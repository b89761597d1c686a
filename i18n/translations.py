"""Message catalogs and the request-scoped active locale.

The active locale lives in a ContextVar, so two concurrent requests in different
languages each see their own; Jinja's gettext callables read the same variable.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations

from i18n.negotiation import DEFAULT_LOCALE

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"

_active: ContextVar[str] = ContextVar("parkbench_locale", default=DEFAULT_LOCALE)


@cache
def catalog(locale: str) -> _gettext.NullTranslations:
    """The compiled catalog, built in memory from the .po when no fresh .mo exists."""
    po = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if po.exists():
        import io

        with po.open("rb") as handle:
            parsed = read_po(handle, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, parsed)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)
    return _gettext.NullTranslations()


def active_locale() -> str:
    return _active.get()


@contextlib.contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _active.set(locale)
    try:
        yield
    finally:
        _active.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of the current task (one request)."""
    _active.set(locale)


def gettext(message: str, **params: object) -> str:
    text = catalog(_active.get()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = catalog(_active.get()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


def pgettext(context: str, message: str) -> str:
    return catalog(_active.get()).pgettext(context, message)


def lazy_gettext(message: str, **params: object) -> LazyProxy:
    """For module-level strings, translated when rendered in the active locale."""
    return LazyProxy(gettext, message, enable_cache=False, **params)


def translate_in(locale: str, message: str, **params: object) -> str:
    with use_locale(locale):
        return gettext(message, **params)


def localized(row: dict, field: str) -> str:
    """``row[field + '_zh']`` or ``row[field + '_en']`` for the active locale, with fallback."""
    primary, secondary = ("en", "zh") if _active.get() == "en" else ("zh", "en")
    return row.get(f"{field}_{primary}") or row.get(f"{field}_{secondary}") or ""


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Marks a string for extraction; it is translated later, where it is shown."""
    return message
