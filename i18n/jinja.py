"""Jinja wiring: gettext callables and filters that follow the active locale."""

from __future__ import annotations

from jinja2 import Environment

from i18n import formatting
from i18n.translations import active_locale, gettext, localized, ngettext, pgettext


def install(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message, **kw: gettext(message, **kw),
        ngettext=lambda s, p, n, **kw: ngettext(s, p, n, **kw),
        pgettext=pgettext,
        newstyle=True,
    )
    env.globals["active_locale"] = active_locale
    env.globals["localized"] = localized
    env.filters["money"] = formatting.money
    env.filters["datetime"] = formatting.datetime_text
    env.filters["date"] = formatting.date_text
    env.filters["time"] = formatting.time_text
    env.filters["duration"] = formatting.duration_text
    env.globals["interval_text"] = formatting.interval_text
