"""Every error leaves as ``{"code", "message"}`` (JSON) or a localised page (HTML).

No stack trace reaches a user: unexpected exceptions are logged and answered with
the stable code ``internal_error``.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from booking.errors import DomainError
from booking.http.pages import is_htmx
from booking.http.security import harden
from i18n import gettext
from i18n.translations import N_

log = logging.getLogger("parkbench")

_HTTP_CODES = {
    400: ("invalid_request", N_("The request is not valid.")),
    401: ("authentication_required", N_("Please log in first.")),
    403: ("forbidden", N_("You are not allowed to do this.")),
    404: ("not_found", N_("Nothing was found at this address.")),
    405: ("method_not_allowed", N_("This method is not allowed here.")),
    409: ("conflict", N_("The request conflicts with the current state.")),
    413: ("too_large", N_("The upload is too large.")),
    422: ("invalid_request", N_("The request is not valid.")),
    429: ("rate_limited", N_("Too many attempts. Please wait a minute and try again.")),
    500: ("internal_error", N_("Something went wrong on our side. Please try again later.")),
}


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path in {"/health", "/schema"}:
        return True
    if is_htmx(request):
        return False
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _respond(request: Request, status: int, body: dict[str, Any],
             headers: dict[str, str] | None = None) -> Response:
    return harden(_response(request, status, body, headers))


def _response(request: Request, status: int, body: dict[str, Any],
              headers: dict[str, str] | None) -> Response:
    if wants_json(request):
        return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)
    if status == 401:
        return Redirect(path=f"/login?next={request.url.path}")
    return Template(
        template_name="error.html",
        context={"status": status, "error": body},
        status_code=status,
        headers=headers,
    )


def domain_error_handler(request: Request, exc: DomainError) -> Response:
    body = {"code": exc.code, "message": gettext(exc.message, **exc.params), **exc.extra}
    return _respond(request, exc.status_code, body)


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    code, message = _HTTP_CODES.get(status, ("error", N_("The request could not be completed.")))
    body: dict[str, Any] = {"code": code, "message": gettext(message)}
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        body["errors"] = [
            {"key": item.get("key"), "source": str(item.get("source", "")),
             "detail": item.get("message")}
            for item in exc.extra if isinstance(item, dict)
        ]
    headers = getattr(exc, "headers", None)
    return _respond(request, status, body, headers=headers)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    code, message = _HTTP_CODES[500]
    return _respond(request, HTTP_500_INTERNAL_SERVER_ERROR,
                    {"code": code, "message": gettext(message)})


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    NotAuthorizedException: http_error_handler,
    PermissionDeniedException: http_error_handler,
    NotFoundException: http_error_handler,
    ValidationException: http_error_handler,
    TooManyRequestsException: http_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
