"""Response headers every answer carries: a CSP the pages satisfy, and the usual hardening.

Litestar's after_request hook never sees the answers of exception handlers (401,
403, 404, 405, 500), so ``booking.http.errors`` applies ``harden`` to those itself.
"""

from __future__ import annotations

from litestar import Response

# Pages load scripts and styles only from this origin (no inline script); htmx is
# told not to inject its inline indicator style (see base.html's htmx-config meta).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)


SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def harden(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def security_headers(response: Response) -> Response:
    return harden(response)
