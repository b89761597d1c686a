"""The language cookie: remembered for a year, read by authentication on every request."""

from __future__ import annotations

from litestar import Response

LOCALE_COOKIE = "lang"
_YEAR = 365 * 86400


def remember_locale(response: Response, locale: str | None) -> Response:
    """Keep the chosen language for visits before log-in; None forgets it."""
    if locale:
        response.set_cookie(LOCALE_COOKIE, locale, max_age=_YEAR, samesite="lax")
    else:
        response.delete_cookie(LOCALE_COOKIE)
    return response
