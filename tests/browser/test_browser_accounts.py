"""The enterprise register and the people page in a real browser, on a 390 px phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


async def fits(page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_register_and_people_page_on_a_phone(browser, live_server, language):
    context = await browser.new_context(base_url=live_server, locale=language, viewport=PHONE,
                                        timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    page = await context.new_page()
    try:
        await login(page, "park@demo.parkbench.test")
        await page.click("#nav-register")
        await page.fill("#register-q", "芯联")
        await page.click("#register-search button[type=submit]")
        rows = page.locator("[data-testid=enterprise]")
        assert await rows.count() == 4  # the holding group and its three companies
        await fits(page)
        await page.locator("[data-testid=enterprise] a").first.click()
        await page.wait_for_selector("#enterprise-group")
        await fits(page)
        await page.goto("/park/enterprises/new")
        await page.fill("#f-name-zh", "苏州晶合光电有限公司")
        await page.fill("#f-uscc", "91320594MA1PK00XX")
        await page.click("#enterprise-save")
        await page.wait_for_selector("#enterprise-error")
        await fits(page)
        await page.click("form.inline button[type=submit]")  # log out
        await login(page, "admin.b@demo.parkbench.test")
        await page.click("#nav-people")
        before = await page.locator("[data-testid=member]").count()
        await page.fill("#invite-email", f"phone.{language.lower()}@demo.parkbench.test")
        await page.fill("#invite-name", "Phone Tester")
        await page.click("#invite-send")
        await page.wait_for_selector("#people-notice")
        assert await page.locator("[data-testid=member]").count() == before + 1
        await fits(page)
    finally:
        await context.close()
