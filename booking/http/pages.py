"""The page toolkit of every audience package (engineer, operator, park admin pages).

Who is looking and in which zone, the whole page or its htmx fragment, a domain
error in the viewer's words, the fields of a posted form, and redirects that never
leave this site. ``request.htmx`` comes from Litestar's ``HTMXPlugin``, which the app
installs with ``HTMXRequest`` as its request class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from booking.errors import DomainError
from calendars.zones import zone_named
from i18n import gettext

if TYPE_CHECKING:  # the toolkit sits below the capabilities: the type only
    from booking.accounts.principal import Principal


def viewer(request: HTMXRequest) -> Principal | None:
    """The signed-in principal, or None on a public page."""
    return request.scope.get("user")


def viewer_zone(request: HTMXRequest) -> ZoneInfo:
    """The zone the viewer reads times in: their own, else the park's."""
    principal = viewer(request)
    return zone_named(principal.timezone if principal else None)


def is_htmx(request: HTMXRequest) -> bool:
    return bool(request.htmx)


def htmx_target(request: HTMXRequest) -> str | None:
    """The id of the element an htmx request swaps, when it names one."""
    return request.htmx.target if request.htmx else None


def template(name: str, context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(name, context=context, status_code=status_code)


def render(request: HTMXRequest, page: str, fragment: str, context: dict[str, Any],
           status_code: int = 200) -> Template:
    """The fragment for htmx requests, the whole page otherwise (works without JS)."""
    name = fragment if is_htmx(request) else page
    return Template(name, context={**context, "fragment": fragment}, status_code=status_code)


def error_text(exc: DomainError) -> str:
    """The domain error's message in the viewer's language."""
    return gettext(exc.message, **exc.params)


def failed(request: HTMXRequest, page: str, fragment: str, context: dict[str, Any],
           exc: DomainError) -> Template:
    """Re-render a form with the rule's message in place: 422 for htmx, which swaps it."""
    status = 422 if is_htmx(request) else (exc.status_code if exc.status_code >= 400 else 422)
    return render(request, page, fragment, {**context, "error": error_text(exc),
                                            "error_code": exc.code}, status_code=status)


async def form_data(request: HTMXRequest) -> dict[str, str]:
    """The posted fields as text, without the CSRF token."""
    form = await request.form()
    return {key: str(value) for key, value in form.items() if key != "_csrf_token"}


def see_other(path: str) -> Redirect:
    """After a form post: the browser fetches ``path`` with a GET."""
    return Redirect(path=path, status_code=303)


def safe_path(target: str | None, default: str = "/", *, within: str = "/") -> str:
    """``target`` when it is a path of this site under ``within``, else ``default``.

    A form field or query value chooses where a user lands next, so it must not
    send them to another site: no scheme or host, no ``//`` (scheme-relative), no
    backslash (browsers read ``/\\host`` as ``//host``), no control characters.
    """
    if not target or not target.startswith(within) or not target.startswith("/"):
        return default
    if "//" in target or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def safe_next(target: str | None) -> str:
    """Where log-in sends the user afterwards: any page of this site, else home."""
    return safe_path(target, "/")
