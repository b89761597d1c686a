"""An operator in Chromium: approves a pending booking, checks an engineer in, adds a
closure; and the operator pages fit a phone in both languages without CSP errors."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.browser.conftest import DEMO_PASSWORD, htmx_settled, login

OPERATOR = "ops.mems@demo.parkbench.test"
ENGINEER = "engineer.a@demo.parkbench.test"
SHANGHAI = ZoneInfo("Asia/Shanghai")
APPROVAL_INSTRUMENTS = ("mems-stepper-i-line", "mems-drie", "mems-pecvd", "mems-lpcvd",
                        "mems-wafer-bonder")
CHECK_IN_RESOURCE = "mems-film-metrology"


async def _api(base_url: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=10)
    issued = await client.post("/api/auth/token", json={"email": email,
                                                        "password": DEMO_PASSWORD})
    assert issued.status_code == 201, issued.text
    client.headers["Authorization"] = f"Bearer {issued.json()['token']}"
    return client


async def _resource_id(api: httpx.AsyncClient, code: str) -> int:
    rows = (await api.get("/api/resources", params={"platform": "mems"})).json()
    return next(r["id"] for r in rows if r["code"] == code)


async def _pending_booking(base_url: str) -> tuple[int, int, datetime]:
    """The engineer asks for an hour on an approval-required MEMS instrument."""
    api = await _api(base_url, ENGINEER)
    try:
        for code in APPROVAL_INSTRUMENTS:
            resource = await _resource_id(api, code)
            for days in range(2, 14):
                day = (datetime.now(SHANGHAI) + timedelta(days=days)).date()
                start = datetime(day.year, day.month, day.day, 8, tzinfo=SHANGHAI)
                info = (await api.get(f"/api/resources/{resource}/availability", params={
                    "start": start.isoformat(), "end": (start + timedelta(hours=14)).isoformat(),
                })).json()
                for free in info.get("free", []):
                    slot = datetime.fromisoformat(free["start"])
                    slot += timedelta(minutes=(-slot.minute) % 30)
                    if slot + timedelta(hours=1) > datetime.fromisoformat(free["end"]):
                        continue
                    made = await api.post("/api/bookings", json={
                        "resource_id": resource, "start": slot.isoformat(),
                        "end": (slot + timedelta(hours=1)).isoformat(), "note": "browser test"})
                    if made.status_code == 201 and made.json()["status"] == "pending":
                        return made.json()["id"], resource, slot
        raise AssertionError("no free slot for a pending booking")
    finally:
        await api.aclose()


async def _booking_starting_now(base_url: str) -> tuple[int, datetime]:
    """The operator opens a metrology tool around the clock on a 5-minute grid and books
    it for the engineer from the next grid line, so check-in is open at once."""
    ops = await _api(base_url, OPERATOR)
    engineer = await _api(base_url, ENGINEER)
    try:
        resource = await _resource_id(ops, CHECK_IN_RESOURCE)
        hours = await ops.put(f"/api/resources/{resource}/hours", json=[
            {"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(7)])
        assert hours.status_code == 200, hours.text
        rules = await ops.patch(f"/api/resources/{resource}/rules", json={"slot_minutes": 5})
        assert rules.status_code == 200, rules.text
        me = (await engineer.get("/api/bookings")).json()
        account_id = me[0]["account_id"] if me else None
        assert account_id, "the demo engineer has bookings"
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        start = now + timedelta(minutes=5 - now.minute % 5)
        made = await ops.post("/api/bookings", json={
            "resource_id": resource, "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(), "account_id": account_id,
            "note": "browser check-in"})
        assert made.status_code == 201, made.text
        return made.json()["id"], start
    finally:
        await ops.aclose()
        await engineer.aclose()


async def _login_in_chinese(page) -> None:
    """Log in; the language choice is saved on the account, so another test's English
    must not carry over."""
    await login(page, OPERATOR)
    await page.goto("/lang/zh_CN?next=/operator/mems/today")


async def test_operator_approves_checks_in_and_adds_a_closure(page, live_server):
    pending_id, resource, slot = await _pending_booking(live_server)
    arriving_id, start = await _booking_starting_now(live_server)
    await _login_in_chinese(page)

    # Approve from the queue: the row is swapped in place by htmx.
    await page.goto("/operator/mems/approvals")
    row = page.locator(f"#booking-{pending_id}")
    await row.locator("button[data-action=approve]").click()
    await row.locator(".op-status.st-confirmed").wait_for()
    assert "/approve" not in await page.locator(f"#booking-{pending_id}").inner_html()

    # Check the engineer in on the day's board.
    day = start.astimezone(SHANGHAI).date().isoformat()
    await page.goto(f"/operator/mems/today?day={day}")
    row = page.locator(f"#booking-{arriving_id}")
    await row.get_by_role("button", name="签到").click()
    await row.locator(".op-status.st-in_use").wait_for()
    assert await row.get_by_role("button", name="签退").count() == 1

    # Close the approved booking's instrument for its morning: the closure is added
    # and the booking is listed with its move and cancel actions.
    await page.goto("/operator/mems/resources")
    await page.locator(f"table.op-table a[href$='/resources/{resource}']").click()
    local = slot.astimezone(SHANGHAI)
    await page.fill("#closure-start", local.replace(hour=0, minute=0).strftime("%Y-%m-%dT%H:%M"))
    await page.fill("#closure-end", (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    await page.select_option("#closure-kind", "maintenance")
    await page.fill("#closure-reason", "真空泵年度保养")
    await page.locator("#closure-form button[type=submit]").click()
    await page.locator("#closures .notice").wait_for()
    assert "真空泵年度保养" in await page.locator("#closures").inner_text()
    colliding = page.locator(f"#closures .op-colliding #booking-{pending_id}")
    await colliding.wait_for()
    assert await colliding.get_by_role("link", name="改期…").count() == 1
    shots = os.environ.get("PARKBENCH_SCREENSHOTS")
    if shots and os.path.isdir(shots):  # noqa: ASYNC240, PTH112
        await page.screenshot(path=f"{shots}/closure-colliding.png", full_page=True)
    assert page.console_errors == []


# The elements that stick out to the right of the viewport (scroll boxes excepted).
WIDEST = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return "";
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") { clipped = true; break; }
    }
    if (clipped) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 1) out.push(el.tagName + "." + el.className + ":" + Math.round(box.right));
  }
  return out.slice(0, 8).join(" | ");
}"""

PAGES = ["today", "board", "board?view=week", "approvals", "resources", "qualifications",
         "on-behalf"]


async def test_operator_pages_fit_a_phone_in_both_languages(page, live_server):
    """No page scrolls sideways at 390 px (wide boards scroll inside their own box),
    and nothing breaks the CSP. PARKBENCH_SCREENSHOTS=dir keeps a picture of each."""
    shots = os.environ.get("PARKBENCH_SCREENSHOTS")
    if shots:
        os.makedirs(shots, exist_ok=True)  # noqa: PTH103 - once, before the browser runs
    await login(page, OPERATOR)
    await page.goto("/operator/mems/resources")
    resource_page = await page.locator("table.op-table a").first.get_attribute("href")
    for lang in ("zh_CN", "en"):
        await page.goto(f"/lang/{lang}?next=/operator/mems/today")
        for width, height in ((1280, 900), (390, 844)):
            await page.set_viewport_size({"width": width, "height": height})
            for name in [*PAGES, resource_page]:
                url = name if name.startswith("/") else f"/operator/mems/{name}"
                await page.goto(url)
                if shots:
                    label = name.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
                    await page.screenshot(path=f"{shots}/{lang}-{width}-{label}.png",
                                          full_page=True)
                overflow = await page.evaluate(WIDEST)
                assert not overflow, f"{url} at {width}px is too wide: {overflow}"
    await page.goto("/lang/zh_CN?next=/operator")
    assert page.console_errors == []


async def test_operator_books_on_behalf_and_revokes_then_grants_a_qualification(page):
    await _login_in_chinese(page)
    # Book on behalf: find the enterprise as you type, pick it, choose a slot.
    await page.goto("/operator/mems/on-behalf")
    await page.fill("#enterprise-q", "芯联")
    await page.locator("#enterprise-results a").first.click()
    await page.locator("#ob-resource").wait_for()
    day = (datetime.now(SHANGHAI) + timedelta(days=7)).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    # The cleanroom needs a qualification, so a named, qualified engineer books it.
    engineer = await page.locator("#ob-account option", has_text="engineer.a@").get_attribute(
        "value")
    await page.select_option("#ob-account", engineer)
    await page.select_option("#ob-resource", label="超净间工位 (12 个单位)")
    await page.fill("#ob-start", f"{day.isoformat()}T10:00")
    await page.fill("#ob-end", f"{day.isoformat()}T11:00")
    await page.fill("#ob-note", "电话预约")
    await page.get_by_role("button", name="代为预约").click()
    await page.locator("#on-behalf .notice").wait_for()
    assert "超净间工位" in await page.locator("#on-behalf .op-created").inner_text()

    # Revoke the engineer's lithography-style qualification, then find the engineer and
    # grant it again (the demo engineer holds every other one, so only it is offered).
    await page.goto("/operator/mems/qualifications")
    section = page.locator("#qualifications section").nth(1)
    holder = section.locator("li", has_text="engineer.a@demo")
    await holder.get_by_role("button", name="吊销").click()
    await page.locator("#qualifications .notice").wait_for()
    await htmx_settled(page)
    await page.fill("#engineer-q", "engineer.a@demo")
    await page.locator("#qualifications form.op-search button[type=submit]").click()
    result = page.locator("#engineer-results li").first
    await result.wait_for()
    await htmx_settled(page)
    assert await result.locator("summary").count() == 1
    await result.locator("summary").click()
    await result.get_by_role("button", name="授予").click()
    await page.locator("#qualifications .notice").wait_for()
    section = page.locator("#qualifications section").nth(1)
    assert await section.locator("li", has_text="engineer.a@demo").count() == 1
    assert page.console_errors == []
