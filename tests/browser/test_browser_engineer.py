"""An engineer in Chromium: find an instrument, book from the calendar, see it in My
bookings, download its .ics, cancel another booking, hit a rule, switch to English."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path

from playwright.async_api import expect

from tests.browser.conftest import htmx_settled, login

ENGINEER = "engineer.a@demo.parkbench.test"
ALIGNER = "双面接触式光刻机"  # the double-sided mask aligner: no approval, 2 h notice


async def open_aligner(page) -> None:
    await page.goto("/")
    await page.select_option("#search-category", "lithography")
    result = page.locator("#results a.result-name", has_text=ALIGNER)
    await result.click()
    await expect(page.locator("#resource-name")).to_have_text(ALIGNER)
    # Move on to a week with free cells if this one is over.
    for _ in range(3):
        if await page.locator("#calendar .slot-btn").count():
            return
        await page.click("#cal-next")
        await page.wait_for_load_state("networkidle")
    assert await page.locator("#calendar .slot-btn").count(), "no free slot in three weeks"


def csp_or_script_errors(page) -> list[str]:
    # A 422 answer is expected (a rule refused); anything else in the console is a bug.
    return [e for e in page.console_errors if "status of 422" not in e]


async def test_engineer_books_from_the_calendar_and_manages_bookings(page):
    await login(page, ENGINEER)
    await open_aligner(page)

    # Book a free slot by clicking it in the calendar.
    await page.locator("#calendar .slot-btn").first.click()
    form = page.locator("#booking-form")
    await expect(form).to_be_visible()
    await expect(page.locator("#estimate")).to_contain_text("¥")
    await page.click("#book-submit")
    done = page.locator("#booking-done")
    await expect(done).to_be_visible()
    await expect(done).to_contain_text(ALIGNER)
    # The calendar refreshed itself and now shows the booking as mine.
    await expect(page.locator("#calendar td.s-mine").first).to_be_visible()

    # It is in My bookings.
    await page.click("#to-my-bookings")
    await expect(page.locator("h1")).to_have_text("我的预约")
    new_row = page.locator("#upcoming [data-testid=booking]", has_text=ALIGNER).first
    await expect(new_row).to_be_visible()
    new_id = await new_row.get_attribute("data-booking-id")

    # Download its .ics.
    async with page.expect_download() as info:
        await new_row.locator("[data-testid=ics]").click()
    download = await info.value
    assert download.suggested_filename == f"booking-{new_id}.ics"
    body = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
    assert "BEGIN:VCALENDAR" in body and "BEGIN:VEVENT" in body

    # Cancel another booking: the terms are shown before confirming.
    other = page.locator(
        f"#upcoming [data-testid=booking]:not([data-booking-id='{new_id}'])").first
    other_id = await other.get_attribute("data-booking-id")
    await other.locator("[data-testid=cancel]").click()
    row = page.locator(f"#booking-{other_id}")
    await expect(row.locator("[data-testid=cancel-panel]")).to_contain_text("取消")
    await htmx_settled(page)
    await row.locator("[data-testid=confirm-cancel]").click()
    await expect(page.locator(f"#booking-{other_id}")).to_have_attribute("data-status", "cancelled")
    await expect(page.locator(f"#booking-{other_id} [data-testid=status]")).to_have_text("已取消")
    assert csp_or_script_errors(page) == []


async def test_rule_violation_is_shown_in_place_and_english_switch(page):
    await login(page, ENGINEER)
    await open_aligner(page)
    await page.locator("#calendar .slot-btn").last.click()
    await expect(page.locator("#booking-form")).to_be_visible()
    await htmx_settled(page)
    start = await page.input_value("#book-start")
    too_long = datetime.fromisoformat(start) + timedelta(hours=6)
    await page.fill("#book-end", too_long.strftime("%Y-%m-%dT%H:%M"))
    await page.click("#book-submit")
    error = page.locator("#booking-form #booking-error")
    await expect(error).to_have_text("预约时长最多 240 分钟。")
    await expect(page.locator("#resource-name")).to_have_text(ALIGNER)  # same page, in place

    # Drag down a day column: the form opens for the whole run of cells.
    first = page.locator("#calendar .slot-btn").first
    col, row = await first.get_attribute("data-col"), int(await first.get_attribute("data-row"))
    below = page.locator(f'#calendar .slot-btn[data-col="{col}"][data-row="{row + 1}"]')
    if await below.count():
        await first.scroll_into_view_if_needed()
        a, b = await first.bounding_box(), await below.bounding_box()
        await page.mouse.move(a["x"] + 4, a["y"] + 4)
        await page.mouse.down()
        await page.mouse.move(b["x"] + 4, b["y"] + 4, steps=4)
        await page.mouse.up()
        await expect(page.locator("#booking-error")).to_have_count(0)  # a fresh form
        start = datetime.fromisoformat(await page.input_value("#book-start"))
        end = datetime.fromisoformat(await page.input_value("#book-end"))
        assert end - start == timedelta(hours=1)  # two 30-minute cells

    # Keyboard: arrow keys move between free cells, Enter opens the form.
    first = page.locator("#calendar .slot-btn").first
    await first.focus()
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(page.locator("#booking-form")).to_be_visible()

    # Switching to English changes the page.
    await page.click("#lang-switch")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.locator("#nav-my-bookings")).to_have_text("My bookings")
    await expect(page.locator("#rules-title")).to_have_text("Rules")
    assert re.search(r"Book up to|Book at least", await page.inner_text("#rules"))
    await page.click("#lang-switch")  # back to Chinese for the other browser tests
    await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    assert csp_or_script_errors(page) == []
