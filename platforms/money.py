"""Prices as people write them (yuan) to exact integer fen."""

from __future__ import annotations

import re
from decimal import Decimal

# Up to ten million yuan, at most two decimals, no sign, no exponent.
_PRICE = re.compile(r"^\d{1,8}(?:\.\d{1,2})?$")


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
    if not _PRICE.match(value):
        raise PriceError("price_invalid", text)
    return int(Decimal(value) * 100)
