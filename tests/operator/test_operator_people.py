"""Qualification grants and bookings on behalf of an enterprise, through the pages."""

from __future__ import annotations

from booking.accounts.tables import QualificationGrant
from booking.reservations.tables import Booking
from platforms.tables import Qualification
from tests.support.resources import local_day, make_resource
from tests.support.web_session import htmx_headers, login, post_form


async def _qualification(code: str = "mems-lithography") -> dict:
    return await Qualification.select().where(Qualification.code == code).first()


async def test_find_engineer_grant_with_validity_and_revoke(client, people):
    engineer = await people.engineer()
    qual = await _qualification()
    operator = await people.operator("mems")
    await login(client, operator.email)
    found = await client.get(f"/operator/mems/qualifications?q={engineer.email}",
                             headers=htmx_headers("engineer-results"))
    assert found.status_code == 200 and "<html" not in found.text
    assert engineer.email in found.text
    response = await post_form(client, "/operator/mems/qualifications/grant",
                               {"account_id": engineer.id, "qualification_id": qual["id"],
                                "valid_days": "30", "q": engineer.email}, htmx=True)
    assert response.status_code == 200
    grant = await QualificationGrant.select().where(
        (QualificationGrant.account == engineer.id)
        & (QualificationGrant.qualification == qual["id"])).first()
    assert grant is not None and grant["revoked_at"] is None
    assert 29 <= (grant["expires_at"] - grant["granted_at"]).days <= 30
    assert f"/qualifications/{grant['id']}/revoke" in response.text
    revoked = await post_form(client, f"/operator/mems/qualifications/{grant['id']}/revoke",
                              htmx=True)
    assert revoked.status_code == 200
    grant = await QualificationGrant.select().where(QualificationGrant.id == grant["id"]).first()
    assert grant["revoked_at"] is not None


async def test_grant_with_bad_validity_or_foreign_qualification_is_refused(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    await login(client, operator.email)
    qual = await _qualification()
    bad = await post_form(client, "/operator/mems/qualifications/grant",
                          {"account_id": engineer.id, "qualification_id": qual["id"],
                           "valid_days": "0"}, htmx=True)
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    foreign = await Qualification.select().where(Qualification.platform != qual["platform"]).first()
    refused = await post_form(client, "/operator/mems/qualifications/grant",
                              {"account_id": engineer.id, "qualification_id": foreign["id"]},
                              htmx=True)
    assert refused.status_code == 422
    assert await QualificationGrant.count().where(QualificationGrant.account == engineer.id) == 0


async def test_revoking_another_platforms_grant_is_refused(client, people):
    foreign = await Qualification.select().where(Qualification.code.like("bio-%")).first()
    engineer = await people.engineer(qualifications=[foreign["code"]])
    grant = await QualificationGrant.select().where(
        QualificationGrant.account == engineer.id).first()
    operator = await people.operator("mems")
    await login(client, operator.email)
    response = await post_form(client, f"/operator/mems/qualifications/{grant['id']}/revoke")
    assert response.status_code == 404
    grant = await QualificationGrant.select().where(QualificationGrant.id == grant["id"]).first()
    assert grant["revoked_at"] is None


async def test_holders_are_listed_per_qualification(client, people):
    holder = await people.engineer(qualifications=["mems-lithography"])
    operator = await people.operator("mems")
    await login(client, operator.email)
    page = await client.get("/operator/mems/qualifications")
    assert holder.email in page.text


async def test_book_on_behalf_of_enterprise_and_named_engineer(client, people):
    engineer = await people.engineer("acme")
    enterprise_id = engineer.enterprise_id
    resource = await make_resource(approval_required=True)
    operator = await people.operator("mems")
    await login(client, operator.email)
    found = await client.get("/operator/mems/on-behalf?q=acme",
                             headers=htmx_headers("enterprise-results"))
    assert f"enterprise_id={enterprise_id}" in found.text
    page = await client.get(f"/operator/mems/on-behalf?enterprise_id={enterprise_id}")
    assert engineer.email in page.text
    date = local_day(2).date().isoformat()
    response = await post_form(client, "/operator/mems/on-behalf", {
        "enterprise_id": enterprise_id, "account_id": engineer.id, "resource_id": resource,
        "start": f"{date}T09:00", "end": f"{date}T10:30", "quantity": "1",
        "note": "Phoned in"}, htmx=True)
    assert response.status_code == 200, response.text[:2000]
    row = await Booking.select().where(Booking.resource == resource).first()
    assert row["account"] == engineer.id and row["enterprise"] == enterprise_id
    assert row["created_by"] == operator.id
    assert row["status"] == "confirmed"  # operators' bookings need no approval
    assert 'role="status"' in response.text


async def test_book_on_behalf_of_enterprise_only_and_refusals(client, people):
    enterprise_id = await people.enterprise("globex")
    resource = await make_resource()
    operator = await people.operator("mems")
    await login(client, operator.email)
    date = local_day(2).date().isoformat()
    form = {"enterprise_id": enterprise_id, "account_id": "", "resource_id": resource,
            "start": f"{date}T09:00", "end": f"{date}T10:00", "quantity": "1"}
    ok = await post_form(client, "/operator/mems/on-behalf", form, htmx=True)
    assert ok.status_code == 200
    row = await Booking.select().where(Booking.resource == resource).first()
    assert row["enterprise"] == enterprise_id and row["account"] == operator.id
    taken = await post_form(client, "/operator/mems/on-behalf", form, htmx=True)
    assert taken.status_code == 422 and 'role="alert"' in taken.text
    foreign = await make_resource(platform="bio")
    other = await post_form(client, "/operator/mems/on-behalf",
                            {**form, "resource_id": foreign}, htmx=True)
    assert other.status_code == 422
    assert await Booking.count().where(Booking.resource == foreign) == 0
