"""The reads behind the engineer and operator pages, restricted to who is asking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking.accounts import queries as people_queries
from booking.catalog import queries as catalog_queries
from booking.errors import Forbidden, NotFound
from booking.reservations import queries as booking_queries
from booking.reservations import service
from platforms.tables import Platform, Qualification
from tests.support.resources import at, local_day, make_resource


async def _platform_id(code: str) -> int:
    return (await Platform.select(Platform.id).where(Platform.code == code).first())["id"]


async def _booking_of_a(people, platform: str = "mems") -> tuple[dict, object]:
    engineer = await people.engineer("a")
    resource = await make_resource(platform=platform)
    day = local_day(2)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=at(day, 9), end=at(day, 10))
    return row, engineer


async def test_platform_bookings_are_for_that_platforms_operators(people):
    row, _ = await _booking_of_a(people)
    mems, day = await _platform_id("mems"), local_day(2)
    window = (day, day + timedelta(days=1))
    own = await people.operator("mems")
    other = await people.operator("bio")
    rows = await booking_queries.platform_bookings(own.principal, mems, *window)
    assert [r["id"] for r in rows] == [row["id"]]
    assert rows[0]["account_email"] and rows[0]["enterprise_name_zh"]
    admin = await people.park_admin()
    assert len(await booking_queries.platform_bookings(admin.principal, mems, *window)) == 1
    for read in (booking_queries.platform_bookings(other.principal, mems, *window),
                 booking_queries.pending_bookings(other.principal, mems),
                 booking_queries.pending_count(other.principal, mems),
                 booking_queries.recent_bookers(other.principal, mems, day)):
        with pytest.raises(Forbidden):
            await read


async def test_bookings_by_id_show_only_what_the_principal_may_see(people):
    row, engineer = await _booking_of_a(people)
    ids = [row["id"]]
    allowed = [engineer, await people.enterprise_admin("a"), await people.operator("mems"),
               await people.park_admin()]
    denied = [await people.engineer("b"), await people.enterprise_admin("b"),
              await people.operator("bio"), await people.engineer("a")]
    for person in allowed:
        found = await booking_queries.bookings_with_names(person.principal, ids)
        assert [r["id"] for r in found] == ids, person.email
    for person in denied:
        assert await booking_queries.bookings_with_names(person.principal, ids) == []
        assert await booking_queries.booking_with_names(person.principal, row["id"]) is None


async def test_operated_platforms_follow_the_assignment(people):
    operator = await people.operator("mems", "bio")
    codes = [p["code"] for p in await catalog_queries.operated_platforms(operator.principal)]
    assert sorted(codes) == ["bio", "mems"]
    admin = await people.park_admin()
    assert len(await catalog_queries.operated_platforms(admin.principal)) == 5
    engineer = await people.engineer()
    assert await catalog_queries.operated_platforms(engineer.principal) == []


async def test_catalog_reads_hide_what_is_not_offered():
    with pytest.raises(NotFound):
        await catalog_queries.platform_or_404("nope")
    with pytest.raises(NotFound):
        await catalog_queries.active_resource(2**31 - 1)
    resource = await make_resource(active=False)
    with pytest.raises(NotFound):
        await catalog_queries.active_resource(resource)
    assert (await catalog_queries.resource(resource))["active"] is False


async def test_an_enterprise_is_read_by_its_members_and_staff_only(people):
    a = await people.enterprise("a")
    admin_a, admin_b = await people.enterprise_admin("a"), await people.enterprise_admin("b")
    engineer_a = await people.engineer("a")
    assert (await people_queries.enterprise(admin_a.principal, a))["id"] == a
    assert [p["id"] for p in await people_queries.enterprise_people(admin_a.principal, a)][0] \
        == admin_a.id  # admins first
    with pytest.raises(Forbidden):
        await people_queries.enterprise(admin_b.principal, a)
    with pytest.raises(Forbidden):
        await people_queries.enterprise_people(admin_b.principal, a)
    with pytest.raises(Forbidden):
        await people_queries.enterprise_people(engineer_a.principal, a)
    operator = await people.operator("mems")
    assert [e["id"] for e in await people_queries.engineers_of(operator.principal, a)]
    assert await people_queries.people_by_id(admin_b.principal, {engineer_a.id}) == {}
    assert set(await people_queries.people_by_id(admin_a.principal, {engineer_a.id})) == \
        {engineer_a.id}


async def test_staff_searches_are_refused_to_members(people):
    engineer = await people.engineer("a")
    with pytest.raises(Forbidden):
        await people_queries.find_engineers(engineer.principal, "engineer")
    operator = await people.operator("mems")
    found = await people_queries.find_engineers(operator.principal, engineer.email)
    assert [f["id"] for f in found] == [engineer.id]


async def test_qualification_grants_are_read_per_operated_platform(people):
    engineer = await people.engineer("a", qualifications=["mems-lithography"])
    qual = await Qualification.select().where(Qualification.code == "mems-lithography").first()
    mems = await _platform_id("mems")
    operator = await people.operator("mems")
    grants = await people_queries.platform_grants(operator.principal, mems)
    assert [g["account"] for g in grants] == [engineer.id]
    held = await people_queries.grants_held(operator.principal, mems, [engineer.id],
                                            local_day(0))
    assert held == {engineer.id: {qual["id"]}}
    other = await people.operator("bio")
    with pytest.raises(Forbidden):
        await people_queries.platform_grants(other.principal, mems)
    with pytest.raises(Forbidden):
        await people_queries.grants_held(other.principal, mems, [engineer.id], local_day(0))
