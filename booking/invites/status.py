"""The outbox's words, declared once: where a queued message stands.

Kept out of ``tables.py`` so that routes and pages can name a status without importing
the table.
"""

from __future__ import annotations

from enum import StrEnum


class OutboxStatus(StrEnum):
    """Where a queued e-mail stands."""

    PENDING = "pending"  # waiting to be rendered or sent, retried after a temporary failure
    SENT = "sent"  # the SMTP server accepted it
    FAILED = "failed"  # given up: no recipient, a malformed address, or permanent refusals
