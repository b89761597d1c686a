"""Writes to the catalog that people make through the app: a resource's price list.

The operator of the resource's platform (or the park admin) replaces its tariffs; every
tier is checked before anything is written, and the write runs under the resource lock
and moves the resource's revision on, so cached policies and estimates notice.
"""

from __future__ import annotations

from booking.accounts.permissions import Can, require
from booking.accounts.principal import Principal
from booking.db import in_write_transaction, lock_resource
from booking.errors import NotFound, RuleViolation
from booking.reservations.policies import mark_changed
from i18n.translations import N_
from platforms import catalog
from platforms.choices import Tier
from platforms.pricing import PriceError, yuan_to_fen
from platforms.tariffs import UnknownTier, read_prices, replace_tariffs

_PRICE_MESSAGES = {
    "price_required": N_("Enter a price."),
    "price_negative": N_("A price cannot be negative."),
    "price_invalid": N_("Enter the price in yuan with at most two decimals, such as 120.50."),
}


def price_violation(exc: PriceError) -> RuleViolation:
    return RuleViolation(exc.code, _PRICE_MESSAGES.get(exc.code, _PRICE_MESSAGES["price_invalid"]))


def parse_price_fen(text: str) -> int:
    """``"120.50"`` → ``12050``. Raises ``RuleViolation`` for anything else."""
    try:
        return yuan_to_fen(text)
    except PriceError as exc:
        raise price_violation(exc) from exc


def parse_prices(prices: dict[str, str]) -> tuple[dict[str, int | None], dict[str, RuleViolation]]:
    """Every tier's price in fen (None: blank, the tier is not offered) and the errors by tier."""
    try:
        parsed, errors = read_prices(prices)
    except UnknownTier as exc:
        raise RuleViolation("invalid_tier", "Unknown customer tier.") from exc
    return ({str(tier): fen for tier, fen in parsed.items()},
            {str(tier): price_violation(exc) for tier, exc in errors.items()})


async def set_tariffs(principal: Principal, resource_id: int,
                      prices: dict[str, str]) -> dict[str, int]:
    """Replace the resource's tariffs; a blank tier removes that tier's price."""
    row = await catalog.resource_row(resource_id)
    if row is None:
        raise NotFound("resource_not_found", "No resource with this id.")
    require(principal, Can.OPERATE_RESOURCE, platform_id=row["platform"],
            message="You do not operate this platform.")
    parsed, errors = parse_prices(prices)
    if errors:
        first = next(iter(errors.values()))
        raise RuleViolation(first.code, first.message, params=first.params,
                            extra={"fields": {tier: exc.message for tier, exc in errors.items()}})
    if all(v is None for v in parsed.values()):
        raise RuleViolation("price_required", "Enter a price.")

    async def work() -> dict[str, int]:
        revision = await lock_resource(resource_id)
        kept = await replace_tariffs(resource_id, {Tier(t): fen for t, fen in parsed.items()})
        await mark_changed(resource_id, revision)  # type: ignore[arg-type]
        return kept

    return await in_write_transaction(work)
