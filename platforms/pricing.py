"""What a use of a resource costs, exactly in fen: the one place prices are computed.

Pure, no I/O. A ``Rate`` is a tariff row read with its resource's billing terms (unit,
billing increment, minimum charge); ``charge()`` turns it and a measured use (minutes
and/or a quantity) into a ``Charge`` that says the amount and how it was reached, so a
statement line can print the rule it applied. Fee shares (late cancellation, no-show)
and the exact yuan↔fen conversions live here too.

Integer arithmetic throughout; a fraction of a fen is rounded half up, once, at the end.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from i18n.formatting import fen_to_decimal
from platforms.choices import Unit

# Up to a hundred million yuan, at most two decimals, no sign, no exponent.
_YUAN = re.compile(r"^\d{1,8}(?:\.\d{1,2})?$")
MAX_FEN = 99_999_999_99


class PriceError(ValueError):
    """``code``: ``price_required``, ``price_negative`` or ``price_invalid``."""

    def __init__(self, code: str, text: str):
        super().__init__(f"{code}: {text!r}")
        self.code = code


def yuan_to_fen(text: str) -> int:
    """``"120.50"``, ``"¥1,300"`` or ``"0.1"`` → fen, exactly; anything else raises."""
    value = (text or "").strip().replace(",", "").replace("，", "")
    if value.startswith(("¥", "￥")):
        value = value[1:].strip()
    if not value:
        raise PriceError("price_required", text)
    if value.startswith("-"):
        raise PriceError("price_negative", text)
    if not _YUAN.match(value):
        raise PriceError("price_invalid", text)
    return int(Decimal(value) * 100)


def fen_to_yuan(fen: int) -> Decimal:
    """``12050`` → ``Decimal("120.50")``: always two places."""
    return fen_to_decimal(fen)


def yuan_text(fen: int) -> str:
    """``12050`` → ``"120.50"``: what a form field or the API shows, and ``yuan_to_fen`` reads back."""
    return str(fen_to_yuan(fen))


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative integers."""
    return (numerator * 2 + denominator) // (2 * denominator)


def share_fen(amount_fen: int | None, percent: int) -> int:
    """``percent`` of an amount, rounded half up to the fen (integer arithmetic)."""
    if not amount_fen or percent <= 0:
        return 0
    return _half_up(amount_fen * percent, 100)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes of [start, end); a started minute is not counted, an empty or
    reversed interval is zero."""
    if end <= start:
        return 0
    return int((end - start).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class Rate:
    """One tier's price for a resource, with the resource's billing terms."""

    price_fen: int
    unit: Unit
    increment_minutes: int = 0  # time is billed in whole steps of this; 0: to the minute
    minimum_minutes: int = 0  # a shorter use is billed as this long

    @classmethod
    def of(cls, resource: Mapping[str, Any], price_fen: int) -> Rate:
        """From a resource row (``unit``, ``increment_minutes``, ``minimum_minutes``)."""
        return cls(price_fen=price_fen, unit=Unit(resource["unit"]),
                   increment_minutes=resource.get("increment_minutes") or 0,
                   minimum_minutes=resource.get("minimum_minutes") or 0)


@dataclass(frozen=True, slots=True)
class Charge:
    """An amount and the rule that produced it.

    For a timed unit: ``used_minutes`` measured, raised to ``minimum_minutes`` when
    ``minimum_applied``, rounded up to ``increment_minutes``, giving ``billed_minutes``;
    amount = price × billed_minutes / unit minutes × quantity. For a counted unit
    (sample, wafer, mm², person-day, project): amount = price × quantity and the
    minutes are None.
    """

    amount_fen: int
    price_fen: int
    unit: Unit
    quantity: int
    used_minutes: int | None = None
    billed_minutes: int | None = None
    increment_minutes: int = 0
    minimum_minutes: int = 0
    minimum_applied: bool = False

    @property
    def billed_units(self) -> Decimal:
        """How many units the amount is for (1.5 hours, 3 samples), exact."""
        if self.billed_minutes is None or self.unit.minutes is None:
            return Decimal(self.quantity)
        return Decimal(self.billed_minutes * self.quantity) / Decimal(self.unit.minutes)


def charge(rate: Rate, *, minutes: int = 0, quantity: int = 1) -> Charge:
    """What ``quantity`` units used for ``minutes`` cost at ``rate``."""
    if minutes < 0 or quantity < 0 or rate.price_fen < 0:
        raise ValueError("minutes, quantity and price must not be negative")
    unit_minutes = rate.unit.minutes
    if unit_minutes is None:
        return Charge(amount_fen=rate.price_fen * quantity, price_fen=rate.price_fen,
                      unit=rate.unit, quantity=quantity)
    billed = max(minutes, rate.minimum_minutes)
    if rate.increment_minutes > 0:
        billed = -(-billed // rate.increment_minutes) * rate.increment_minutes
    return Charge(
        amount_fen=_half_up(rate.price_fen * billed * quantity, unit_minutes),
        price_fen=rate.price_fen, unit=rate.unit, quantity=quantity,
        used_minutes=minutes, billed_minutes=billed,
        increment_minutes=rate.increment_minutes, minimum_minutes=rate.minimum_minutes,
        minimum_applied=minutes < rate.minimum_minutes,
    )


def charge_for(rate: Rate, start: datetime, end: datetime, *, quantity: int = 1) -> Charge:
    """The charge of a use over [start, end) — a booking, or a check-in to check-out."""
    return charge(rate, minutes=minutes_between(start, end), quantity=quantity)


def cost_fen(price_fen: int, unit: str, minutes: int, quantity: int,
             increment_minutes: int, minimum_minutes: int) -> int:
    """The amount alone, for callers holding the terms as plain values."""
    rate = Rate(price_fen=price_fen, unit=Unit(unit), increment_minutes=increment_minutes,
                minimum_minutes=minimum_minutes)
    return charge(rate, minutes=minutes, quantity=quantity).amount_fen


def estimate_fen(resource: Mapping[str, Any], tariffs: Mapping[str, int], tier: str | None,
                 start: datetime | None, end: datetime | None, quantity: int) -> int | None:
    """The booker's tier's price for [start, end); None when the tier, the interval or the
    price is unknown (a tier the resource is not offered to has no price)."""
    if tier is None or start is None or end is None or end <= start:
        return None
    price = tariffs.get(tier)
    if price is None:
        return None
    return charge_for(Rate.of(resource, price), start, end, quantity=max(quantity, 1)).amount_fen


@dataclass(frozen=True, slots=True)
class Fee:
    """A share of a charge, as late cancellation and no-show fees are."""

    amount_fen: int
    percent: int
    of: Charge | None


def fee(of: Charge | None, percent: int) -> Fee:
    """``percent`` of the charge (nothing when there is no charge or no share)."""
    return Fee(amount_fen=share_fen(of.amount_fen if of else None, percent),
               percent=max(percent, 0), of=of)
