"""platforms.pricing: exact fen for every tier, unit, duration and quantity, checked
against plain rational arithmetic for any input hypothesis can think of."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from platforms.choices import Unit
from platforms.pricing import (
    MAX_FEN,
    PriceError,
    Rate,
    charge,
    charge_for,
    cost_fen,
    estimate_fen,
    fee,
    fen_to_yuan,
    minutes_between,
    share_fen,
    yuan_text,
    yuan_to_fen,
)

prices = st.integers(min_value=0, max_value=10_000_000)
minutes = st.integers(min_value=0, max_value=60 * 24 * 31)
quantities = st.integers(min_value=0, max_value=1000)
increments = st.sampled_from([0, 1, 5, 10, 15, 30, 60, 240])
minimums = st.sampled_from([0, 15, 30, 60, 120, 240])
timed_units = st.sampled_from([u for u in Unit if u.timed])
counted_units = st.sampled_from([u for u in Unit if not u.timed])


def half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def test_estimated_cost_rounds_up_to_the_increment_in_integer_fen():
    # Moved from tests/reservations/test_reservations_rules.py with the function.
    # 90 minutes at 120.00/hour in 60-minute increments: two hours.
    assert cost_fen(12000, "hour", 90, 1, 60, 0) == 24000
    # 50 minutes at 0.35/hour, 10-minute increments: 0.2916… rounds half up to 0.29.
    assert cost_fen(35, "hour", 50, 1, 10, 0) == 29
    assert cost_fen(50000, "sample", 120, 3, 30, 0) == 150000


def test_fee_is_a_share_of_the_cost_rounded_half_up():
    # Moved from tests/web/test_web_views.py with the function.
    assert share_fen(90_000, 50) == 45_000
    assert share_fen(101, 50) == 51
    assert share_fen(None, 50) == 0 and share_fen(1000, 0) == 0


def test_the_units_that_are_timed_and_their_minutes():
    assert {u: u.minutes for u in Unit if u.timed} == {
        Unit.HOUR: 60, Unit.HALF_DAY: 240, Unit.SEAT_DAY: 1440}
    assert all(u.minutes is None for u in (Unit.SAMPLE, Unit.WAFER, Unit.MM2,
                                           Unit.PERSON_DAY, Unit.PROJECT))


def test_a_charge_records_the_rule_it_applied():
    rate = Rate(price_fen=12000, unit=Unit.HOUR, increment_minutes=30, minimum_minutes=60)
    short = charge(rate, minutes=20)
    assert (short.amount_fen, short.used_minutes, short.billed_minutes) == (12000, 20, 60)
    assert short.minimum_applied and short.billed_units == Decimal(1)
    longer = charge(rate, minutes=70, quantity=2)
    assert (longer.amount_fen, longer.billed_minutes, longer.minimum_applied) == (36000, 90, False)
    assert longer.billed_units == Decimal(3)  # 1.5 hours × 2 units
    wafers = charge(Rate(price_fen=80000, unit=Unit.WAFER), minutes=600, quantity=3)
    assert (wafers.amount_fen, wafers.used_minutes, wafers.billed_minutes) == (240000, None, None)
    assert wafers.billed_units == Decimal(3)


def test_charge_over_an_interval_counts_whole_minutes():
    start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    rate = Rate(price_fen=6000, unit=Unit.HOUR)
    assert charge_for(rate, start, start + timedelta(minutes=45, seconds=59)).amount_fen == 4500
    assert minutes_between(start, start) == 0 and minutes_between(start, start - timedelta(1)) == 0


def test_estimate_needs_a_tier_a_price_and_an_interval():
    resource = {"unit": "hour", "increment_minutes": 30, "minimum_minutes": 0}
    tariffs = {"park": 12000}
    start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    end = start + timedelta(minutes=90)
    assert estimate_fen(resource, tariffs, "park", start, end, 1) == 18000
    assert estimate_fen(resource, tariffs, "park", start, end, 0) == 18000  # at least one unit
    assert estimate_fen(resource, tariffs, "external", start, end, 1) is None
    assert estimate_fen(resource, tariffs, None, start, end, 1) is None
    assert estimate_fen(resource, tariffs, "park", end, start, 1) is None
    assert estimate_fen(resource, tariffs, "park", None, end, 1) is None


def test_fees_are_shares_of_a_charge():
    base = charge(Rate(price_fen=12000, unit=Unit.HOUR), minutes=60)
    late = fee(base, 50)
    assert (late.amount_fen, late.percent, late.of) == (6000, 50, base)
    assert fee(None, 50).amount_fen == 0 and fee(base, 0).amount_fen == 0


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        charge(Rate(price_fen=100, unit=Unit.HOUR), minutes=-1)
    with pytest.raises(ValueError):
        charge(Rate(price_fen=100, unit=Unit.HOUR), quantity=-1)


@given(price=prices, used=minutes, quantity=quantities, increment=increments,
       minimum=minimums, unit=timed_units)
def test_timed_charges_equal_exact_rational_arithmetic(price, used, quantity, increment,
                                                       minimum, unit):
    rate = Rate(price_fen=price, unit=unit, increment_minutes=increment, minimum_minutes=minimum)
    result = charge(rate, minutes=used, quantity=quantity)
    billed = result.billed_minutes
    assert billed is not None
    assert billed >= max(used, minimum)
    if increment:
        assert billed % increment == 0 and billed - max(used, minimum) < increment
    else:
        assert billed == max(used, minimum)
    assert result.amount_fen == half_up(Fraction(price * billed * quantity, unit.minutes))
    assert result.minimum_applied == (used < minimum)
    assert result.amount_fen == cost_fen(price, unit, used, quantity, increment, minimum)


@given(price=prices, used=minutes, more=st.integers(min_value=0, max_value=600),
       quantity=quantities, increment=increments, minimum=minimums, unit=timed_units)
def test_using_longer_never_costs_less(price, used, more, quantity, increment, minimum, unit):
    rate = Rate(price_fen=price, unit=unit, increment_minutes=increment, minimum_minutes=minimum)
    assert (charge(rate, minutes=used, quantity=quantity).amount_fen
            <= charge(rate, minutes=used + more, quantity=quantity).amount_fen)


@given(price=prices, used=minutes, quantity=quantities, increment=increments,
       minimum=minimums, unit=counted_units)
def test_counted_units_ignore_time(price, used, quantity, increment, minimum, unit):
    rate = Rate(price_fen=price, unit=unit, increment_minutes=increment, minimum_minutes=minimum)
    result = charge(rate, minutes=used, quantity=quantity)
    assert result.amount_fen == price * quantity
    assert result.billed_minutes is None and not result.minimum_applied


@given(amount=st.integers(min_value=0, max_value=10**12), percent=st.integers(0, 100))
def test_shares_are_exact_and_within_the_amount(amount, percent):
    share = share_fen(amount, percent)
    assert 0 <= share <= amount
    assert share == half_up(Fraction(amount * percent, 100))
    if percent == 100:
        assert share == amount


@given(fen=st.integers(min_value=0, max_value=MAX_FEN))
def test_yuan_text_reads_back_to_the_same_fen(fen):
    text = yuan_text(fen)
    assert yuan_to_fen(text) == fen
    assert fen_to_yuan(fen) == Decimal(fen) / 100 and text.count(".") == 1
    assert len(text.split(".")[1]) == 2


@given(yuan=st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_typed_yuan_becomes_exact_fen(yuan):
    assert yuan_to_fen(str(yuan)) == int(yuan * 100)
    assert yuan_to_fen(f"¥{yuan}") == int(yuan * 100)


@pytest.mark.parametrize(("text", "code"), [
    ("", "price_required"), ("  ", "price_required"), ("-1", "price_negative"),
    ("1.005", "price_invalid"), ("1e3", "price_invalid"), ("abc", "price_invalid"),
    ("123456789", "price_invalid"), ("0.1.2", "price_invalid"),
])
def test_what_is_not_a_price_says_why(text, code):
    with pytest.raises(PriceError) as caught:
        yuan_to_fen(text)
    assert caught.value.code == code


def test_grouping_and_currency_signs_are_read():
    assert yuan_to_fen("¥1,300") == 130000
    assert yuan_to_fen("￥ 1，300.5") == 130050
    assert yuan_to_fen("0.1") == 10
