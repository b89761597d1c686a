"""One booking as a row the operator acts on (today board, approval queue), and the
response every booking action gives: the re-rendered row for htmx, a redirect back
for a plain form post, or the row with the error when the action was refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from litestar import Response
from litestar.plugins.htmx import HTMXRequest

from booking.accounts.principal import Principal, principal_of
from booking.catalog import queries as catalog
from booking.clock import now
from booking.errors import DomainError, NotFound
from booking.http.pages import error_text, is_htmx, safe_path, see_other, template, viewer_zone
from booking.operator.access import booking_for
from booking.operator.views import STATUS_LABELS, today_item
from booking.reservations import queries as bookings


def safe_back(target: str | None, default: str) -> str:
    """Only paths of the operator pages, so a form cannot bounce a user elsewhere."""
    return safe_path(target, default, within="/operator")


async def row_context(principal: Principal, booking_id: int) -> dict[str, Any]:
    booking = await bookings.booking_with_names(principal, booking_id)
    if booking is None:
        raise NotFound("booking_not_found", "No booking with this id.")
    resource = await catalog.resource(booking["resource"])
    grace = timedelta(minutes=resource["no_show_grace_minutes"] if resource else 15)
    platform = await catalog.platform(booking["platform"])
    assert platform is not None
    return {"item": today_item(booking, now(), grace), "platform_code": platform["code"],
            "status_labels": STATUS_LABELS}


MODES = ("today", "queue", "resolve")


async def row_response(request: HTMXRequest, booking_id: int, *, back: str | None,
                       notice: str | None = None, error: str | None = None,
                       mode: str | None = None) -> Response:
    context = await row_context(principal_of(request), booking_id)
    default = f"/operator/{context['platform_code']}/today"
    context.update({"zone": viewer_zone(request), "notice": notice, "error": error,
                    "back": safe_back(back, default),
                    "mode": mode if mode in MODES else "today"})
    status = 422 if error else 200
    if is_htmx(request):
        return template("operator/_booking_row.html", context, status)
    if error:
        return template("operator/action_result.html", context, status)
    return see_other(context["back"])


async def act_on_booking(request: HTMXRequest, booking_id: int, form: dict[str, str],
                         action: Callable[[], Awaitable[Any]], *, notice: str | None = None,
                         missing_reason: str | None = None) -> Response:
    """Run one operator action on a booking and answer with its refreshed row.

    ``missing_reason`` is the message shown when the form's reason is empty and the
    action needs one; a refused action comes back as the row with its message (422).
    """
    await booking_for(request, booking_id)
    back, mode = form.get("back"), form.get("mode")
    if missing_reason is not None and not (form.get("reason") or "").strip():
        return await row_response(request, booking_id, back=back, mode=mode,
                                  error=missing_reason)
    try:
        await action()
    except DomainError as exc:
        return await row_response(request, booking_id, back=back, mode=mode,
                                  error=error_text(exc))
    return await row_response(request, booking_id, back=back, mode=mode, notice=notice)


def reason_of(form: dict[str, str]) -> str:
    return (form.get("reason") or "").strip()[:2000]
