"""Strict decoding of JSON request bodies.

Litestar converts a body to its Struct with msgspec's lax rules, which turn ``"3"`` and
``3.0`` into the id 3 and an epoch number into a datetime. Every typed JSON body is
decoded here first with ``strict=True``, so such a body is a 400 before the handler
runs; undecodable bytes (invalid UTF-8, malformed or absurdly nested JSON) get the
stable code ``invalid_json`` instead of reaching a 500.
"""

from __future__ import annotations

import typing
from typing import Any

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException

from booking.errors import DomainError


def _has_struct(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, msgspec.Struct)
    return any(_has_struct(arg) for arg in typing.get_args(annotation))


def _target(request: Request) -> Any:
    field = request.route_handler.parsed_data_field  # parsed once per handler by Litestar
    if field is None:
        return None
    media = getattr(field.kwarg_definition, "media_type", None)
    if media not in (None, RequestEncodingType.JSON):
        return None  # forms are parsed by Litestar, not as JSON
    return field.raw if _has_struct(field.raw) else None


async def strict_body(request: Request) -> None:
    """A ``before_request`` hook: it runs after the guards, so a caller without the
    capability still gets 401/403 rather than learning how the body was wrong."""
    target = _target(request)
    if target is None:
        return
    body = await request.body()
    if not body.strip():
        return  # Litestar answers a missing required body, or passes None to an optional one
    try:
        msgspec.json.decode(body, type=target, strict=True)
    except msgspec.ValidationError as exc:
        raise ValidationException(
            detail="Validation failed", extra=[{"key": "data", "source": "body",
                                                "message": str(exc)}]) from exc
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise DomainError("invalid_json", "The request body is not valid JSON.") from exc
