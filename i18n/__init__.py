"""Locale negotiation, gettext for code and Jinja, and Babel formatting.

The bottom layer: knows nothing of tables, HTTP frameworks or calendars.
"""

from i18n.negotiation import DEFAULT_LOCALE, SUPPORTED_LOCALES, negotiate, normalize
from i18n.translations import active_locale, gettext, lazy_gettext, ngettext, use_locale

__all__ = [
    "DEFAULT_LOCALE",
    "SUPPORTED_LOCALES",
    "active_locale",
    "gettext",
    "lazy_gettext",
    "negotiate",
    "ngettext",
    "normalize",
    "use_locale",
]
