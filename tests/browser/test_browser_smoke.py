"""The catalog renders in Chromium, in Chinese by default, and a user can log in."""

from __future__ import annotations

from tests.browser.conftest import login


async def test_catalog_home_renders_in_chinese_and_logs_in(page):
    await page.goto("/")
    assert await page.locator("html").get_attribute("lang") == "zh-CN"
    assert await page.locator(".card").count() == 5
    await login(page, "engineer.a@demo.parkbench.test")
    assert "Zhang Wei" in await page.locator(".who").inner_text()
    assert page.console_errors == []
