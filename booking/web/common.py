"""What every engineer page needs: the viewer's zone, full page or htmx fragment, form errors."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Template

from booking.accounts.principal import Principal
from booking.errors import DomainError
from calendars.zones import zone_named
from i18n import gettext


def viewer(request: Request) -> Principal | None:
    return request.scope.get("user")


def viewer_zone(request: Request) -> ZoneInfo:
    principal = viewer(request)
    return zone_named(principal.timezone if principal else None)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(request: Request, page: str, fragment: str, context: dict[str, Any],
           status_code: int = 200) -> Template:
    """The fragment for htmx requests, the whole page otherwise (works without JS)."""
    name = fragment if is_htmx(request) else page
    return Template(name, context={**context, "fragment": fragment}, status_code=status_code)


def error_text(exc: DomainError) -> str:
    """The domain error's message in the viewer's language."""
    return gettext(exc.message, **exc.params)


def failed(request: Request, page: str, fragment: str, context: dict[str, Any],
           exc: DomainError) -> Template:
    """Re-render a form with the rule's message in place: 422 for htmx, which swaps it."""
    status = 422 if is_htmx(request) else (exc.status_code if exc.status_code >= 400 else 422)
    return render(request, page, fragment, {**context, "error": error_text(exc),
                                            "error_code": exc.code}, status_code=status)


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items() if key != "_csrf_token"}
