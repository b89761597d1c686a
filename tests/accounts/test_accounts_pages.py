"""The park admin's enterprise register and the enterprise admin's people page."""

from __future__ import annotations

from booking.accounts.tables import Account, Enterprise
from booking.invites.tables import OutboxMessage
from tests.support.people import make_uscc
from tests.support.web_session import login, post_form

_serial = iter(range(80_000, 90_000))


async def test_register_search_create_and_edit(client, people):
    park = await people.park_admin()
    known = await people.enterprise("xinlian")
    await login(client, park.email)
    home = await client.get("/", headers={"Accept-Language": "en"})
    assert 'id="nav-register"' in home.text
    page = await client.get("/park/enterprises", params={"q": "xinlian"})
    assert page.status_code == 200 and f'href="/park/enterprises/{known}"' in page.text
    page = await client.get("/park/enterprises", params={"q": "没有这家"})
    assert 'id="register-empty"' in page.text
    form = await client.get("/park/enterprises/new")
    assert form.status_code == 200 and 'id="enterprise-form"' in form.text
    code = make_uscc(next(_serial))
    fields = {"name_zh": "苏州晶合光电有限公司", "name_en": "Jinghe Optics", "uscc": code,
              "tier": "park", "categories": ["tech_sme", "high_tech"], "controller_uscc": ""}
    bad = await post_form(client, "/park/enterprises/new", {**fields, "uscc": code[:-1] + "?"})
    assert bad.status_code == 422 and 'id="enterprise-error"' in bad.text
    assert "苏州晶合光电有限公司" in bad.text  # the typed values stay
    created = await post_form(client, "/park/enterprises/new", fields)
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    row = await Enterprise.select().where(Enterprise.uscc == code).first()
    assert location == f"/park/enterprises/{row['id']}?saved=1"
    assert row["categories"] == "tech_sme,high_tech" and row["is_sme"] and not row["is_specialised"]
    edit = await client.get(location)
    assert 'id="enterprise-saved"' in edit.text and 'value="high_tech" checked' in edit.text
    duplicate = await post_form(client, "/park/enterprises/new", fields)
    assert duplicate.status_code == 409
    changed = await post_form(client, f"/park/enterprises/{row['id']}",
                              {**fields, "categories": ["specialised"], "name_en": "Jinghe"})
    assert changed.status_code == 303
    row = await Enterprise.select().where(Enterprise.uscc == code).first()
    assert row["name_en"] == "Jinghe" and row["is_specialised"] and not row["is_sme"]
    found = await client.get("/park/enterprises", params={"q": "晶合"})
    assert f'href="/park/enterprises/{row["id"]}"' in found.text
    missing = await client.get("/park/enterprises/999999")
    assert missing.status_code == 404


async def test_register_is_the_park_admins_only(client, people):
    assert (await client.get("/park/enterprises")).status_code in (302, 303)
    for person in (await people.operator("ic"), await people.enterprise_admin("a")):
        await login(client, person.email)
        page = await client.get("/park/enterprises")
        assert page.status_code == 403
        assert 'id="nav-register"' not in (await client.get("/")).text


async def test_people_page_invites_changes_roles_and_deactivates(client, people):
    admin = await people.enterprise_admin("a")
    engineer = await people.engineer("a")
    await people.engineer("b")
    await login(client, admin.email)
    page = await client.get("/enterprise/people", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "邀请成员" in page.text
    assert engineer.email in page.text and 'id="nav-people"' in page.text
    invited = await post_form(client, "/enterprise/people/invite",
                              {"email": "li.ming@example.test", "name": "李明", "role": "engineer",
                               "locale": "zh_CN"})
    assert invited.status_code == 303 and invited.headers["location"].endswith("done=invited")
    assert await OutboxMessage.count().where(OutboxMessage.recipient == "li.ming@example.test") == 1
    again = await post_form(client, "/enterprise/people/invite",
                            {"email": "li.ming@example.test", "name": "", "role": "engineer"})
    assert again.status_code == 409 and 'id="people-error"' in again.text
    wrong = await post_form(client, "/enterprise/people/invite",
                            {"email": "x@example.test", "role": "overlord"})
    assert wrong.status_code == 422
    last = await post_form(client, f"/enterprise/people/{admin.id}/deactivate")
    assert last.status_code == 409 and 'id="people-error"' in last.text
    promoted = await post_form(client, f"/enterprise/people/{engineer.id}/role", {"role": "admin"})
    assert promoted.status_code == 303
    assert (await Account.select(Account.role).where(Account.id == engineer.id).first())[
        "role"] == "enterprise_admin"
    gone = await post_form(client, f"/enterprise/people/{engineer.id}/deactivate")
    assert gone.status_code == 303
    assert not (await Account.select(Account.active).where(Account.id == engineer.id).first())[
        "active"]
    listing = await client.get("/enterprise/people?done=deactivated")
    assert 'id="people-notice"' in listing.text


async def test_people_page_is_for_the_enterprise_admin_and_needs_csrf(client, people):
    admin = await people.enterprise_admin("a")
    other = await people.engineer("b")
    engineer = await people.engineer("a")
    await login(client, admin.email)
    foreign = await post_form(client, f"/enterprise/people/{other.id}/deactivate")
    assert foreign.status_code == 404
    no_csrf = await client.post(f"/enterprise/people/{engineer.id}/deactivate")
    assert no_csrf.status_code == 403
    assert (await Account.select(Account.active).where(Account.id == engineer.id).first())["active"]
    await login(client, engineer.email)
    assert (await client.get("/enterprise/people")).status_code == 403
