"""A resource's price list: reading typed prices per tier, and replacing the rows.

``read_prices`` is pure and checks every tier before anything is written;
``replace_tariffs`` is the table write, run by the catalog service inside its locked
transaction (it knows nothing of who asks).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from platforms.choices import Tier
from platforms.pricing import PriceError, yuan_to_fen
from platforms.tables import Tariff


class UnknownTier(ValueError):
    def __init__(self, tiers: set[str]):
        super().__init__(f"unknown tiers: {sorted(tiers)}")
        self.tiers = tiers


def read_prices(prices: Mapping[str, str]) -> tuple[dict[Tier, int | None], dict[Tier, PriceError]]:
    """Every tier's price in fen (None: left blank, the tier is not offered) and the
    errors by tier. A key that is not a tier raises ``UnknownTier``."""
    unknown = set(prices) - set(Tier.values())
    if unknown:
        raise UnknownTier(unknown)
    parsed: dict[Tier, int | None] = {}
    errors: dict[Tier, PriceError] = {}
    for tier in Tier:
        text = (prices.get(tier) or "").strip()
        if not text:
            parsed[tier] = None
            continue
        try:
            parsed[tier] = yuan_to_fen(text)
        except PriceError as exc:
            errors[tier] = exc
    return parsed, errors


async def replace_tariffs(resource_id: int, prices: Mapping[Tier, int | None]) -> dict[str, int]:
    """The resource's prices become exactly ``prices`` (a None tier has none). The caller
    holds the resource lock and moves its revision on."""
    await Tariff.delete().where(Tariff.resource == resource_id)
    kept = {str(tier): fen for tier, fen in prices.items() if fen is not None}
    rows: list[Any] = [Tariff(resource=resource_id, tier=tier, price_fen=fen)
                       for tier, fen in kept.items()]
    if rows:
        await Tariff.insert(*rows)
    return kept
