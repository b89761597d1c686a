"""Domain errors: a stable machine-readable code, an HTTP status and a localised message.

Services raise these; ``booking.http.errors`` turns them into ``{"code", "message", ...}``.
Messages are gettext msgids translated when the response is built, in the
requester's language.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, code: str, message: str, *, status: int | None = None,
                 params: dict[str, Any] | None = None, extra: dict[str, Any] | None = None):
        super().__init__(code)
        self.code = code
        self.message = message  # untranslated msgid with %(name)s placeholders
        self.params = params or {}
        self.extra = extra or {}
        if status is not None:
            self.status_code = status


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class RuleViolation(DomainError):
    status_code = 422


class Unauthorized(DomainError):
    status_code = 401
