"""The tariff write, moved out of the operator pages into the catalog service: checked
per tier before anything is written, allowed only to the platform's operators, done
under the resource lock with the revision moved on."""

from __future__ import annotations

import pytest

from booking.catalog.service import set_tariffs
from booking.errors import Forbidden, NotFound, RuleViolation
from platforms import catalog
from platforms.choices import Tier
from platforms.tables import Resource
from platforms.tariffs import UnknownTier, read_prices
from tests.support.resources import make_resource


def test_read_prices_checks_every_tier_and_blank_means_not_offered():
    parsed, errors = read_prices({"park": "120.5", "external": "1.005", "academic": ""})
    assert parsed == {Tier.PARK: 12050, Tier.ACADEMIC: None}
    assert errors[Tier.EXTERNAL].code == "price_invalid"
    with pytest.raises(UnknownTier):
        read_prices({"vip": "1"})


async def _revision(resource_id: int) -> int:
    row = await Resource.select(Resource.revision).where(Resource.id == resource_id).first()
    return row["revision"]


async def test_operator_replaces_the_price_list_and_the_revision_moves_on(people):
    resource = await make_resource()
    operator = await people.operator("mems")
    before = await _revision(resource)
    saved = await set_tariffs(operator.principal, resource,
                              {"park": "80", "external": "¥1,300.50", "academic": ""})
    assert saved == {"park": 8000, "external": 130050}
    assert await catalog.tariffs(resource) == saved
    assert await _revision(resource) == before + 1


async def test_a_bad_price_writes_nothing_and_names_each_tier(people):
    resource = await make_resource()
    operator = await people.operator("mems")
    before = await catalog.tariffs(resource)
    with pytest.raises(RuleViolation) as caught:
        await set_tariffs(operator.principal, resource,
                          {"park": "-1", "external": "abc", "academic": "90"})
    assert caught.value.code == "price_negative"
    assert set(caught.value.extra["fields"]) == {"park", "external"}
    with pytest.raises(RuleViolation) as blank:
        await set_tariffs(operator.principal, resource, {"park": "", "external": ""})
    assert blank.value.code == "price_required"
    with pytest.raises(RuleViolation) as unknown:
        await set_tariffs(operator.principal, resource, {"vip": "1"})
    assert unknown.value.code == "invalid_tier"
    assert await catalog.tariffs(resource) == before


async def test_only_the_platforms_operators_and_the_park_admin_set_prices(people):
    resource = await make_resource(platform="bio")
    stranger = await people.operator("mems")
    engineer = await people.engineer()
    before = await catalog.tariffs(resource)
    for principal in (stranger.principal, engineer.principal):
        with pytest.raises(Forbidden) as caught:
            await set_tariffs(principal, resource, {"park": "1"})
        assert caught.value.code == "forbidden"
    assert await catalog.tariffs(resource) == before
    admin = await people.park_admin()
    assert await set_tariffs(admin.principal, resource, {"academic": "0.10"}) == {"academic": 10}
    with pytest.raises(NotFound):
        await set_tariffs(admin.principal, 10**9, {"park": "1"})
