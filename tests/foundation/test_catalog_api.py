"""The catalog API: five platforms, resources of three kinds, errors in JSON."""

from __future__ import annotations


async def test_health_answers_ok(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_catalog_lists_the_five_platforms_with_six_or_more_resources_each(client):
    platforms = (await client.get("/api/platforms")).json()
    assert {p["code"] for p in platforms} == {"ic", "mems", "bio", "soft", "mfg"}
    for platform in platforms:
        assert sum(platform["resource_counts"].values()) >= 6
        assert platform["name"]["zh"] and platform["name"]["en"]


async def test_resources_filter_by_platform_and_kind(client):
    response = await client.get("/api/resources", params={"platform": "mems", "kind": "instrument"})
    assert response.status_code == 200
    rows = response.json()
    assert rows and all(r["platform"] == "mems" and r["kind"] == "instrument" for r in rows)
    pools = (await client.get("/api/resources", params={"kind": "pool"})).json()
    assert pools and all(r["capacity"] > 1 for r in pools)


async def test_resource_detail_has_hours_tariffs_in_fen_and_policy(client):
    rows = (await client.get("/api/resources", params={"platform": "bio", "kind": "instrument"})).json()
    detail = (await client.get(f"/api/resources/{rows[0]['id']}")).json()
    assert detail["opening_hours"]
    tiers = {t["tier"]: t for t in detail["tariffs"]}
    assert set(tiers) == {"park", "external", "academic"}
    for tariff in tiers.values():
        assert isinstance(tariff["price_fen"], int)
        assert tariff["price"] == f"{tariff['price_fen'] // 100}.{tariff['price_fen'] % 100:02d}"
    assert detail["policy"]["slot_minutes"] > 0
    assert detail["timezone"] == "Asia/Shanghai"


async def test_unknown_resource_is_a_localised_json_404(client):
    response = await client.get("/api/resources/999999", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "resource_not_found"
    assert body["message"] == "没有这个编号的资源。"
    english = await client.get("/api/resources/999999", headers={"Accept-Language": "en"})
    assert english.json()["message"] == "No resource with this id."


async def test_unknown_platform_filter_is_404(client):
    response = await client.get("/api/resources", params={"platform": "nope"})
    assert response.status_code == 404
    assert response.json()["code"] == "platform_not_found"


async def test_malformed_query_parameters_are_400_with_code(client):
    response = await client.get("/api/resources", params={"kind": "spaceship"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_request"
    assert "message" in body and "Traceback" not in response.text
    response = await client.get("/api/resources", params={"limit": "many"})
    assert response.status_code == 400


async def test_openapi_schema_is_served(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/bookings" in paths and "/api/resources/{resource_id}/availability" in paths
    assert "/" not in paths  # HTML pages stay out of the API schema
