"""Who reaches the operator pages: operators of the platform and park admins only."""

from __future__ import annotations

import pytest

from tests.support.web_session import login, post_form

PAGES = ["today", "board", "board?view=week", "approvals", "resources", "qualifications",
         "on-behalf"]


@pytest.mark.parametrize("page", PAGES)
async def test_operator_sees_each_page_of_their_platform(client, people, page):
    operator = await people.operator("mems")
    await login(client, operator.email)
    response = await client.get(f"/operator/mems/{page}")
    assert response.status_code == 200, response.text[:2000]
    assert "<form" in response.text or "op-tabs" in response.text


async def test_operator_of_another_platform_gets_403(client, people):
    operator = await people.operator("bio")
    await login(client, operator.email)
    for page in PAGES:
        response = await client.get(f"/operator/mems/{page}")
        assert response.status_code == 403, page


async def test_engineer_gets_403_and_anonymous_is_sent_to_login(client, people):
    response = await client.get("/operator/mems/today", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")
    engineer = await people.engineer()
    await login(client, engineer.email)
    assert (await client.get("/operator")).status_code == 403
    assert (await client.get("/operator/mems/today")).status_code == 403


async def test_park_admin_sees_every_platform(client, people):
    admin = await people.park_admin()
    await login(client, admin.email)
    landing = await client.get("/operator")
    assert landing.status_code == 200
    for code in ("ic", "mems", "bio", "soft", "mfg"):
        assert f"/operator/{code}/today" in landing.text
    assert (await client.get("/operator/bio/approvals")).status_code == 200


async def test_single_platform_operator_lands_on_the_today_board(client, people):
    operator = await people.operator("mems")
    await login(client, operator.email)
    response = await client.get("/operator", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/operator/mems/today"


async def test_forms_without_csrf_token_are_refused(client, people):
    operator = await people.operator("mems")
    await login(client, operator.email)
    response = await client.post("/operator/mems/qualifications/grant",
                                 data={"account_id": "1", "qualification_id": "1"})
    assert response.status_code == 403


async def test_actions_on_another_platforms_booking_are_403(client, people):
    from booking.reservations import service
    from tests.support.resources import at, local_day, make_resource

    engineer = await people.engineer()
    resource = await make_resource(platform="bio")
    day = local_day(2)
    row, _ = await service.create_booking(engineer.principal, resource_id=resource,
                                          start=at(day, 9), end=at(day, 10))
    operator = await people.operator("mems")
    await login(client, operator.email)
    for action in ("check-in", "check-out", "approve", "cancel"):
        response = await post_form(client, f"/operator/bookings/{row['id']}/{action}",
                                   {"reason": "x"})
        assert response.status_code == 403, action
