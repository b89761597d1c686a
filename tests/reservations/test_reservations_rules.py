"""Pure reservation rules: cancellation terms (prices: tests/platforms/test_platforms_pricing.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking.reservations.rules import cancellation_terms

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
CUTOFF = timedelta(hours=24)


def test_cancelling_before_the_cutoff_is_free():
    terms = cancellation_terms(START, CUTOFF, 50, START - timedelta(hours=25),
                               status="confirmed", by_operator=False)
    assert (terms.late, terms.fee_percent) == (False, 0)
    assert terms.cutoff_at == START - CUTOFF


def test_cancelling_after_the_cutoff_charges_the_late_share():
    terms = cancellation_terms(START, CUTOFF, 50, START - timedelta(hours=2),
                               status="confirmed", by_operator=False)
    assert (terms.late, terms.fee_percent) == (True, 50)


def test_pending_bookings_and_operator_cancellations_are_never_charged():
    late = START - timedelta(hours=2)
    assert not cancellation_terms(START, CUTOFF, 50, late, status="pending",
                                  by_operator=False).late
    assert cancellation_terms(START, CUTOFF, 50, late, status="confirmed",
                              by_operator=True).fee_percent == 0

