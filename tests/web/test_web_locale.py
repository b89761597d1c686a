"""Choosing the language: the user's setting, then the cookie, then Accept-Language."""

from __future__ import annotations

import asyncio

import pytest

from i18n import negotiate, normalize
from i18n.negotiation import parse_accept_language


@pytest.mark.parametrize("tag, expected", [
    ("zh-Hans-CN", "zh_CN"), ("zh-Hans", "zh_CN"), ("zh-CN", "zh_CN"), ("zh", "zh_CN"),
    ("zh_SG", "zh_CN"), ("en-GB", "en"), ("en-US", "en"), ("EN", "en"),
    ("zh-TW", None), ("zh-Hant-HK", None), ("fr-FR", None), ("", None),
])
def test_language_tags_map_to_supported_locales(tag, expected):
    assert normalize(tag) == expected


def test_setting_beats_cookie_beats_browser():
    assert negotiate("en", "zh_CN", "zh-Hans-CN") == "en"
    assert negotiate(None, "en", "zh-Hans-CN,zh;q=0.9") == "en"
    assert negotiate(None, None, "fr-FR, zh-Hans-CN;q=0.8, en;q=0.5") == "zh_CN"
    assert negotiate(None, "klingon", "en-US,en;q=0.9") == "en"
    assert negotiate(None, None, None) == "zh_CN"
    assert negotiate(None, None, "de, fr") == "zh_CN"


def test_accept_language_honours_quality_values():
    assert parse_accept_language("en;q=0.4, zh-Hans-CN, fr;q=0") == ["zh-Hans-CN", "en"]


async def test_pages_follow_accept_language_cookie_and_setting(client, people):
    from tests.support.web_session import login

    page = await client.get("/", headers={"Accept-Language": "zh-Hans-CN,zh;q=0.9"})
    assert '<html lang="zh-CN">' in page.text and "资源目录" in page.text
    page = await client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in page.text and "Catalog" in page.text
    client.cookies.set("lang", "en")
    page = await client.get("/", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in page.text
    person = await people.engineer(locale="zh_CN")
    await login(client, person.email)
    client.cookies.set("lang", "en")
    page = await client.get("/my/bookings", headers={"Accept-Language": "en"})
    assert "我的预约" in page.text  # the account's setting wins


async def test_concurrent_requests_each_get_their_own_language(client):
    async def fetch(language: str) -> str:
        response = await client.get("/resources", params={"kind": "instrument"},
                                    headers={"Accept-Language": language})
        return response.text

    pages = await asyncio.gather(*[fetch("en" if i % 2 else "zh-Hans-CN") for i in range(12)])
    for i, text in enumerate(pages):
        if i % 2:
            assert '<html lang="en">' in text and "Find an instrument or service" in text
            assert "查找仪器或服务" not in text
        else:
            assert '<html lang="zh-CN">' in text and "查找仪器或服务" in text
            assert "Find an instrument or service" not in text
