"""Writing a resource's price list: CNY decimals typed by an operator, stored as fen.

``parse_price_fen`` is pure; ``set_tariffs`` validates every tier before it writes
anything, then replaces the prices in one transaction and bumps the resource's
revision so cached policies and estimates notice.
"""

from __future__ import annotations

from typing import Any

from booking.accounts.principal import Principal
from booking.db import in_write_transaction, lock_resource
from booking.errors import Forbidden, NotFound, RuleViolation
from booking.reservations.policies import mark_changed
from platforms.money import PriceError, yuan_to_fen
from platforms.tables import TIERS, Resource, Tariff


def parse_price_fen(text: str) -> int:
    """``"120.50"`` → ``12050``. Raises ``RuleViolation`` for anything else."""
    try:
        return yuan_to_fen(text)
    except PriceError as exc:
        if exc.code == "price_required":
            raise RuleViolation(exc.code, "Enter a price.") from exc
        if exc.code == "price_negative":
            raise RuleViolation(exc.code, "A price cannot be negative.") from exc
        raise RuleViolation(
            exc.code, "Enter the price in yuan with at most two decimals, such as 120.50.") from exc


def parse_prices(prices: dict[str, str]) -> tuple[dict[str, int | None], dict[str, RuleViolation]]:
    """Every tier's price in fen (None: blank, the tier is not offered) and the errors by tier."""
    parsed: dict[str, int | None] = {}
    errors: dict[str, RuleViolation] = {}
    for tier in TIERS:
        text = (prices.get(tier) or "").strip()
        if not text:
            parsed[tier] = None
            continue
        try:
            parsed[tier] = parse_price_fen(text)
        except RuleViolation as exc:
            errors[tier] = exc
    return parsed, errors


async def set_tariffs(principal: Principal, resource_id: int,
                      prices: dict[str, str]) -> dict[str, int]:
    """Replace the resource's tariffs; a blank tier removes that tier's price."""
    row = await Resource.select(Resource.id, Resource.platform).where(
        Resource.id == resource_id).first()
    if row is None:
        raise NotFound("resource_not_found", "No resource with this id.")
    if not principal.operates(row["platform"]):
        raise Forbidden("forbidden", "You do not operate this platform.")
    unknown = set(prices) - set(TIERS)
    if unknown:
        raise RuleViolation("invalid_tier", "Unknown customer tier.")
    parsed, errors = parse_prices(prices)
    if errors:
        first = next(iter(errors.values()))
        raise RuleViolation(first.code, first.message, params=first.params,
                            extra={"fields": {tier: exc.message for tier, exc in errors.items()}})
    if all(v is None for v in parsed.values()):
        raise RuleViolation("price_required", "Enter a price.")

    async def work() -> dict[str, int]:
        revision = await lock_resource(resource_id)
        await Tariff.delete().where(Tariff.resource == resource_id)
        rows: list[Any] = [Tariff(resource=resource_id, tier=tier, price_fen=fen)
                           for tier, fen in parsed.items() if fen is not None]
        await Tariff.insert(*rows)
        await mark_changed(resource_id, revision)
        return {tier: fen for tier, fen in parsed.items() if fen is not None}

    return await in_write_transaction(work)
