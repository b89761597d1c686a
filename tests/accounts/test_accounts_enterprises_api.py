"""The enterprise register through the API: register, search, read, edit, and /api/me."""

from __future__ import annotations

import pytest

from tests.support.people import make_uscc

pytestmark = pytest.mark.asyncio

_serial = iter(range(70_000, 80_000))


def body(**overrides):
    data = {"name_zh": "苏州芯联微电子有限公司", "name_en": "Suzhou Xinlian Microelectronics Co., Ltd.",
            "uscc": make_uscc(next(_serial)), "tier": "park", "categories": ["sme", "high_tech"]}
    data.update(overrides)
    return data


async def register(client, admin, **overrides):
    response = await client.post("/api/enterprises", json=body(**overrides), headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_park_admin_registers_an_enterprise(client, people):
    admin = await people.park_admin()
    controller = make_uscc(next(_serial))
    created = await register(client, admin, categories=["specialised", "sme", "sme"],
                             controller_uscc=controller.lower(), contact_email=" Boss@Example.TEST ")
    assert created["id"] > 0
    assert created["name_zh"] == "苏州芯联微电子有限公司"
    assert created["categories"] == ["sme", "specialised"]
    assert created["is_sme"] is True and created["is_specialised"] is True
    assert created["controller_uscc"] == controller
    assert created["contact_email"] == "boss@example.test"
    plain = await register(client, admin, categories=["high_tech"])
    assert plain["is_sme"] is False and plain["is_specialised"] is False
    assert plain["controller_uscc"] is None


async def test_register_refuses_bad_codes_duplicates_and_unknown_words(client, people):
    admin = await people.park_admin()
    good = make_uscc(next(_serial))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = await client.post("/api/enterprises", json=body(uscc=bad), headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_uscc"
    response = await client.post("/api/enterprises", json=body(controller_uscc=bad),
                                 headers=admin.headers)
    assert response.status_code == 422
    assert response.json() | {"code": "invalid_uscc", "field": "controller_uscc"} == response.json()
    await register(client, admin, uscc=good)
    response = await client.post("/api/enterprises", json=body(uscc=good.lower()),
                                 headers=admin.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "enterprise_exists"
    for wrong in ({"tier": "galactic"}, {"categories": ["pirate"]}, {"name_zh": ""},
                  {"name_zh": "名" * 201}, {"categories": ["sme"] * 50}, {"extra": 1}):
        response = await client.post("/api/enterprises", json=body(**wrong), headers=admin.headers)
        assert response.status_code == 400, wrong
        assert response.json()["code"] == "invalid_request"
    response = await client.post("/api/enterprises", json=body(name_zh="   "), headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_name"
    response = await client.post("/api/enterprises", json=body(contact_email="nope"),
                                 headers=admin.headers)
    assert response.json()["code"] == "invalid_email"


async def test_only_the_park_admin_registers_and_edits(client, people):
    admin = await people.park_admin()
    created = await register(client, admin)
    for person in (await people.operator("ic"), await people.engineer("a"),
                   await people.enterprise_admin("a")):
        response = await client.post("/api/enterprises", json=body(), headers=person.headers)
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        response = await client.patch(f"/api/enterprises/{created['id']}", json={"name_en": "X"},
                                      headers=person.headers)
        assert response.status_code == 403
    response = await client.post("/api/enterprises", json=body())
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_required"


async def test_search_by_chinese_english_and_code(client, people):
    admin = await people.park_admin()
    operator = await people.operator("mems")
    xinlian = await register(client, admin)
    hengzhun = await register(client, admin, name_zh="上海衡准检测技术有限公司",
                              name_en="Shanghai Hengzhun Testing Technology Co., Ltd.")

    async def found(q, who=operator):
        response = await client.get("/api/enterprises", params={"q": q}, headers=who.headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await found("芯联") == [xinlian["id"]]
    assert await found("微电子") == [xinlian["id"]]
    assert await found("检测") == [hengzhun["id"]]
    assert await found("有限公司") == [xinlian["id"], hengzhun["id"]]
    assert await found("衡") == [hengzhun["id"]]
    assert await found("司") == [xinlian["id"], hengzhun["id"]]
    assert await found("micro") == [xinlian["id"]]
    assert await found("HENGZHUN testing") == [hengzhun["id"]]
    assert await found("ｓｈａｎｇｈａｉ") == [hengzhun["id"]]  # full-width letters
    assert await found(xinlian["uscc"]) == [xinlian["id"]]
    assert await found(hengzhun["uscc"][:17].lower()) == [hengzhun["id"]]  # a prefix
    assert await found("芯联 micro") == [xinlian["id"]]
    assert await found("芯联 testing") == []
    decoy = await register(client, admin, name_zh="中联微电芯联科技", name_en="Decoy")
    # The decoy holds both bigrams of 芯联微, but not as one substring.
    assert await found("芯联微") == [xinlian["id"]]
    assert await found("联微") == [xinlian["id"], decoy["id"]]
    assert await found("苏州衡准") == []
    assert await found("") == [xinlian["id"], hengzhun["id"], decoy["id"]]
    assert await found("%_") == [xinlian["id"], hengzhun["id"], decoy["id"]]  # no terms
    assert await found("芯联", await people.park_admin()) == [xinlian["id"], decoy["id"]]


async def test_search_pages_and_bounds(client, people):
    admin = await people.park_admin()
    ids = [(await register(client, admin, name_zh=f"园区测试企业{i}号"))["id"] for i in range(5)]
    response = await client.get("/api/enterprises", params={"q": "测试", "limit": 2},
                                headers=admin.headers)
    page = response.json()
    assert [i["id"] for i in page["items"]] == ids[:2]
    assert page["has_more"] is True and page["limit"] == 2 and page["offset"] == 0
    response = await client.get("/api/enterprises", params={"q": "测试", "limit": 2, "offset": 4},
                                headers=admin.headers)
    assert [i["id"] for i in response.json()["items"]] == ids[4:]
    assert response.json()["has_more"] is False
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 10_001},
                   {"q": "x" * 101}):
        response = await client.get("/api/enterprises", params=params, headers=admin.headers)
        assert response.status_code == 400, params


async def test_members_cannot_list_enterprises(client, people):
    for person in (await people.engineer("a"), await people.enterprise_admin("a")):
        response = await client.get("/api/enterprises", headers=person.headers)
        assert response.status_code == 403
    assert (await client.get("/api/enterprises")).status_code == 401


async def test_read_one_enterprise_staff_and_own_members_only(client, people):
    admin = await people.park_admin()
    engineer_a = await people.engineer("a")
    engineer_b = await people.engineer("b")
    own = engineer_a.enterprise_id
    response = await client.get(f"/api/enterprises/{own}", headers=engineer_a.headers)
    assert response.status_code == 200
    assert response.json()["id"] == own and response.json()["group"] == []
    for denied in (engineer_b, await people.enterprise_admin("b")):
        response = await client.get(f"/api/enterprises/{own}", headers=denied.headers)
        assert response.status_code == 403
        assert "name_zh" not in response.json()
    operator = await people.operator("bio")
    assert (await client.get(f"/api/enterprises/{own}", headers=operator.headers)).status_code == 200
    response = await client.get("/api/enterprises/999999", headers=admin.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "enterprise_not_found"
    response = await client.get(f"/api/enterprises/{2**40}", headers=admin.headers)
    assert response.status_code == 404
    response = await client.get(f"/api/enterprises/{2**63}", headers=admin.headers)
    assert response.status_code == 400


async def test_group_under_one_controller(client, people):
    admin = await people.park_admin()
    parent = await register(client, admin, name_zh="芯联集团有限公司")
    child = await register(client, admin, name_zh="芯联子公司", controller_uscc=parent["uscc"])
    sibling = await register(client, admin, name_zh="芯联另一子公司", controller_uscc=parent["uscc"])
    await register(client, admin, name_zh="无关公司")
    response = await client.get(f"/api/enterprises/{child['id']}", headers=admin.headers)
    group = response.json()["group"]
    assert [(g["id"], g["is_controller"]) for g in group] == [(parent["id"], True),
                                                             (sibling["id"], False)]
    response = await client.get(f"/api/enterprises/{parent['id']}", headers=admin.headers)
    assert [g["id"] for g in response.json()["group"]] == [child["id"], sibling["id"]]


async def test_edit_keeps_flags_and_search_in_step(client, people):
    admin = await people.park_admin()
    created = await register(client, admin, categories=["sme"])
    other = await register(client, admin)
    url = f"/api/enterprises/{created['id']}"
    response = await client.patch(url, json={"categories": ["little_giant", "high_tech"],
                                             "name_zh": "苏州晶合光电有限公司", "tier": "external"},
                                  headers=admin.headers)
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["categories"] == ["little_giant", "high_tech"]
    assert edited["is_sme"] is False and edited["is_specialised"] is True
    assert edited["tier"] == "external" and edited["name_en"] == created["name_en"]
    found = await client.get("/api/enterprises", params={"q": "晶合"}, headers=admin.headers)
    assert [i["id"] for i in found.json()["items"]] == [created["id"]]
    found = await client.get("/api/enterprises", params={"q": "芯联"}, headers=admin.headers)
    assert [i["id"] for i in found.json()["items"]] == [other["id"]]
    response = await client.patch(url, json={"uscc": other["uscc"]}, headers=admin.headers)
    assert response.status_code == 409 and response.json()["code"] == "enterprise_exists"
    response = await client.patch(url, json={"controller_uscc": "123"}, headers=admin.headers)
    assert response.status_code == 422 and response.json()["code"] == "invalid_uscc"
    response = await client.patch(url, json={"controller_uscc": other["uscc"]}, headers=admin.headers)
    assert response.json()["controller_uscc"] == other["uscc"]
    response = await client.patch(url, json={"controller_uscc": None}, headers=admin.headers)
    assert response.json()["controller_uscc"] is None
    response = await client.patch(url, json={"id": 5}, headers=admin.headers)
    assert response.status_code == 400
    response = await client.patch("/api/enterprises/999999", json={"name_en": "X"},
                                  headers=admin.headers)
    assert response.status_code == 404


async def test_me(client, people):
    engineer = await people.engineer("a", locale="en")
    response = await client.get("/api/me", headers=engineer.headers)
    assert response.status_code == 200
    me = response.json()
    assert me["id"] == engineer.id and me["email"] == engineer.email
    assert me["roles"] == ["engineer"] and me["enterprise_id"] == engineer.enterprise_id
    assert me["enterprise"] == {"id": engineer.enterprise_id, "name": "a Ltd.", "tier": "park",
                                "categories": []}
    assert me["platforms"] == [] and me["locale"] == "en" and me["timezone"] == "Asia/Shanghai"
    operator = await people.operator("ic", "mems")
    me = (await client.get("/api/me", headers=operator.headers)).json()
    assert me["roles"] == ["operator"] and me["enterprise"] is None
    assert sorted(p["code"] for p in me["platforms"]) == ["ic", "mems"]
    park = (await client.get("/api/me", headers=(await people.park_admin()).headers)).json()
    assert len(park["platforms"]) == 5
    response = await client.get("/api/me")
    assert response.status_code == 401


async def test_search_when_every_term_is_common(client, people, monkeypatch):
    from booking.accounts import search

    admin = await people.park_admin()
    xinlian = await register(client, admin)
    decoy = await register(client, admin, name_zh="中联微电芯联科技", name_en="Decoy Micro")
    monkeypatch.setattr(search, "COUNT_CAP", 1)  # every term counts as common: id-order walk

    async def found(q):
        response = await client.get("/api/enterprises", params={"q": q}, headers=admin.headers)
        return [item["id"] for item in response.json()["items"]]

    assert await found("芯联微") == [xinlian["id"]]
    assert await found("联微") == [xinlian["id"], decoy["id"]]
    assert await found("micro") == [xinlian["id"], decoy["id"]]
    assert await found("decoy micro") == [decoy["id"]]
    assert await found("芯联 suzhou") == [xinlian["id"]]
    assert await found("没有") == []
