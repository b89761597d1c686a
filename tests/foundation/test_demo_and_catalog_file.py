"""The seed catalog loads idempotently; demo data gives the README's accounts."""

from __future__ import annotations

import pytest

from booking.accounts.service import authenticate
from booking.accounts.tables import Account
from booking.demo import DEMO_PASSWORD, load_demo
from platforms.catalog_file import CatalogFileError, load_catalog, parse_span, price_to_fen
from platforms.tables import OpeningHours, Resource, Tariff

README_ACCOUNTS = [
    "engineer.a", "admin.a", "engineer.b", "admin.b", "ops.ic", "ops.mems", "ops.bio",
    "ops.soft", "ops.mfg", "park",
]


async def test_catalog_load_twice_changes_nothing():
    before = (await Resource.count(), await OpeningHours.count(), await Tariff.count())
    counts = await load_catalog()
    assert counts["platforms"] == 5 and counts["resources"] >= 30
    assert (await Resource.count(), await OpeningHours.count(), await Tariff.count()) == before


def test_prices_are_exact_fen_and_bad_ones_name_the_place():
    assert price_to_fen("120.50", "x") == 12050
    assert price_to_fen("0.10", "x") == 10
    with pytest.raises(CatalogFileError, match="resource 'r'"):
        price_to_fen("1.005", "resource 'r'")
    with pytest.raises(CatalogFileError):
        parse_span("18:00-09:00", "here")


async def test_demo_data_has_the_readme_accounts_and_loads_idempotently():
    first = await load_demo()
    second = await load_demo()
    assert first["accounts"] == second["accounts"] == len(README_ACCOUNTS)
    assert await Account.count() == len(README_ACCOUNTS)
    assert first["bookings"] == 7
    for local_part in README_ACCOUNTS:
        principal = await authenticate(f"{local_part}@demo.parkbench.test", DEMO_PASSWORD)
        assert principal.email.startswith(local_part)
    ops = await authenticate("ops.mems@demo.parkbench.test", DEMO_PASSWORD)
    assert ops.role == "operator" and len(ops.platform_ids) == 1
    b = await authenticate("engineer.b@demo.parkbench.test", DEMO_PASSWORD)
    assert b.tier == "external"
    skipped = await load_demo(only_if_empty=True)
    assert skipped == {"skipped": 1}
