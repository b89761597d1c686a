"""The page toolkit: htmx detection through the plugin's request, redirects that stay on
this site, a domain error in words, the viewer's zone."""

from __future__ import annotations

from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from litestar.plugins.htmx import HTMXRequest

from booking.errors import RuleViolation
from booking.http import pages
from i18n import active_locale
from i18n.translations import set_locale


@pytest.fixture(autouse=True)
def english():
    before = active_locale()
    set_locale("en")
    yield
    set_locale(before)


def _request(headers: dict[str, str] | None = None, user=None) -> HTMXRequest:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return HTMXRequest({"type": "http", "method": "GET", "path": "/", "headers": raw,
                        "query_string": b"", "state": {}, "user": user})


def test_htmx_requests_get_the_fragment_and_others_the_page():
    plain, swap = _request(), _request({"HX-Request": "true", "HX-Target": "results"})
    assert not pages.is_htmx(plain) and pages.htmx_target(plain) is None
    assert pages.is_htmx(swap) and pages.htmx_target(swap) == "results"
    assert pages.render(plain, "page.html", "_part.html", {}).template_name == "page.html"
    fragment = pages.render(swap, "page.html", "_part.html", {"a": 1}, status_code=422)
    assert fragment.template_name == "_part.html" and fragment.status_code == 422
    assert fragment.context == {"a": 1, "fragment": "_part.html"}


def test_a_refused_form_is_422_for_htmx_and_keeps_the_error_status_otherwise():
    exc = RuleViolation("invalid_time", "Enter a start and an end time.")
    swapped = pages.failed(_request({"HX-Request": "true"}), "p.html", "_f.html", {}, exc)
    assert swapped.status_code == 422 and swapped.template_name == "_f.html"
    assert swapped.context["error"] == "Enter a start and an end time."
    assert swapped.context["error_code"] == "invalid_time"
    whole = pages.failed(_request(), "p.html", "_f.html", {}, exc)
    assert whole.template_name == "p.html" and whole.status_code == exc.status_code


def test_error_text_fills_the_message_parameters():
    exc = RuleViolation("invalid_datetime", "Enter a valid date and time for %(field)s.",
                        params={"field": "Start"})
    assert pages.error_text(exc) == "Enter a valid date and time for Start."


@pytest.mark.parametrize("target", [
    "/my/bookings", "/resources/3?day=2026-12-01&view=week", "/operator/mems/today",
])
def test_paths_of_this_site_are_kept(target):
    assert pages.safe_next(target) == target


@pytest.mark.parametrize("target", [
    None, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil",
    "evil.example", "javascript:alert(1)", "/a\r\nSet-Cookie: x=1", "/ok//evil.example",
])
def test_anything_that_could_leave_the_site_falls_back(target):
    assert pages.safe_next(target) == "/"
    assert pages.safe_path(target, "/operator", within="/operator") == "/operator"


def test_a_path_outside_the_allowed_section_falls_back():
    assert pages.safe_path("/operator/mems/approvals", "/x", within="/operator") == \
        "/operator/mems/approvals"
    assert pages.safe_path("/my/bookings", "/operator/mems/today", within="/operator") == \
        "/operator/mems/today"


def test_see_other_answers_a_post_with_a_get_redirect():
    response = pages.see_other("/my/bookings")
    assert response.status_code == 303 and response.url == "/my/bookings"


def test_the_viewer_zone_is_theirs_else_the_parks():
    shanghai = ZoneInfo("Asia/Shanghai")
    assert pages.viewer_zone(_request()) == shanghai
    berlin = SimpleNamespace(timezone="Europe/Berlin")
    assert pages.viewer_zone(_request(user=berlin)) == ZoneInfo("Europe/Berlin")
    assert pages.viewer_zone(_request(user=SimpleNamespace(timezone="Mars/Olympus"))) == shanghai
