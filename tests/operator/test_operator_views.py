"""The pure view-models and parsers of the operator pages, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.catalog.service import parse_price_fen, parse_prices
from booking.errors import RuleViolation
from booking.operator.forms import format_spans, parse_local_datetime, parse_spans, parse_whole
from booking.operator.views import (
    day_timeline,
    pack_lanes,
    today_board,
    today_item,
    view_hours,
    week_grid,
    week_of,
)

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clean_data():
    """Pure tests: no need to reset the database between them."""
    yield
DAY = date(2026, 12, 1)  # a Tuesday


def local(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SH)


def booking(id: int, start: datetime, end: datetime, status: str = "confirmed",
            resource: int = 1, quantity: int = 1) -> dict:
    return {"id": id, "resource": resource, "start_at": start.astimezone(UTC),
            "end_at": end.astimezone(UTC), "block_end_at": end.astimezone(UTC),
            "status": status, "quantity": quantity}


@pytest.mark.parametrize(("text", "fen"), [("120.50", 12050), ("120.5", 12050), ("0", 0),
                                           ("120", 12000), (" 1,300.00 ", 130000),
                                           ("¥88.8", 8880), ("0.01", 1)])
def test_prices_parse_to_exact_fen(text, fen):
    assert parse_price_fen(text) == fen


@pytest.mark.parametrize(("text", "code"), [("120.505", "price_invalid"), ("-1", "price_negative"),
                                            ("abc", "price_invalid"), ("1e3", "price_invalid"),
                                            ("", "price_required"), ("NaN", "price_invalid"),
                                            ("123456789", "price_invalid")])
def test_bad_prices_are_refused_with_a_code(text, code):
    with pytest.raises(RuleViolation) as caught:
        parse_price_fen(text)
    assert caught.value.code == code


def test_parse_prices_collects_errors_per_tier_and_blank_means_not_offered():
    parsed, errors = parse_prices({"park": "1.5", "external": "x", "academic": ""})
    assert parsed == {"park": 150, "academic": None}
    assert set(errors) == {"external"}


def test_opening_spans_parse_and_round_trip():
    spans = parse_spans("13:00-21:00，08:30-12:00")
    assert spans == [(time(8, 30), time(12)), (time(13), time(21))]
    assert format_spans(spans) == "08:30-12:00, 13:00-21:00"
    assert parse_spans("00:00-24:00") == [(time(0), time(0))]
    assert format_spans([(time(0), time(0))]) == "00:00-24:00"
    assert parse_spans("  ") == []
    for bad in ("18:00-08:00", "8-12", "08:00-12:00, 11:00-13:00", "25:00-26:00"):
        with pytest.raises(RuleViolation):
            parse_spans(bad)


def test_local_datetime_and_whole_numbers():
    assert parse_local_datetime("2026-12-01T09:00", SH, "x") == local(9)
    with pytest.raises(RuleViolation):
        parse_local_datetime("soon", SH, "x")
    assert parse_whole("15", "x") == 15
    assert parse_whole("", "x", optional=True) is None
    for bad in ("-1", "1.5", "", "ten"):
        with pytest.raises(RuleViolation):
            parse_whole(bad, "x")


def test_today_item_flags_check_in_window_overdue_and_decisions():
    start, end = local(10), local(12)
    row = booking(1, start, end)
    assert today_item(row, local(9, 44)).can_check_in is False
    assert today_item(row, local(9, 44)).check_in_opens == local(9, 45)
    assert today_item(row, local(9, 45)).can_check_in is True
    late = today_item(row, local(10, 20))
    assert late.can_check_in and late.overdue
    assert today_item(booking(2, start, end, "in_use"), local(11)).can_check_out
    assert today_item(booking(3, start, end, "pending"), local(9)).can_decide
    assert not today_item(booking(4, start, end, "no_show"), local(11)).can_check_in


def test_today_board_groups_by_what_to_do():
    rows = [booking(1, local(9), local(10), "pending"), booking(2, local(8), local(9)),
            booking(3, local(7), local(8), "in_use"), booking(4, local(6), local(7), "no_show"),
            booking(5, local(6), local(7), "completed")]
    board = today_board(rows, local(7, 30))
    assert [i.booking["id"] for i in board.arriving] == [2]
    assert [i.booking["id"] for i in board.pending] == [1]
    assert [i.booking["id"] for i in board.in_use] == [3]
    assert board.counts["no_show"] == 1 and board.counts["finished"] == 2


def test_pack_lanes_keeps_overlaps_apart():
    assert pack_lanes([(0, 3), (2, 5), (4, 6), (6, 8)]) == [0, 1, 0, 1]
    assert pack_lanes([]) == []


def test_view_hours_cover_windows_and_items_of_the_day():
    windows = [(local(8, 30), local(12)), (local(13), local(21))]
    assert view_hours(windows, [], DAY, SH) == (8, 21)
    assert view_hours(windows, [(local(21), local(22, 15))], DAY, SH) == (8, 23)
    assert view_hours([], [], DAY, SH) == (8, 20)
    whole_day = [(local(0), local(0, day=DAY + timedelta(days=1)))]
    assert view_hours(whole_day, [], DAY, SH) == (0, 24)


def test_day_timeline_places_bookings_closures_and_closed_time():
    resources = [{"id": 1, "kind": "pool"}, {"id": 2, "kind": "instrument"}]
    bookings = [booking(1, local(9), local(11)), booking(2, local(10), local(12), "pending"),
                booking(3, local(9), local(10), resource=2)]
    closures = [{"id": 9, "resource": 2, "start_at": local(14).astimezone(UTC),
                 "end_at": local(16).astimezone(UTC), "kind": "maintenance", "reason": ""}]
    windows = {1: [(local(8), local(18))], 2: [(local(8), local(12)), (local(13), local(18))]}
    timeline = day_timeline(DAY, SH, resources, bookings, closures, windows, now=local(10, 10))
    assert [c.strftime("%H:%M") for c in timeline.columns[:3]] == ["08:00", "08:30", "09:00"]
    assert len(timeline.columns) == 20  # 08:00–18:00 in half hours
    assert timeline.now_column == 4
    pool, instrument = timeline.rows
    assert len(pool.lanes) == 2  # the two pool bookings overlap
    for lane in pool.lanes + instrument.lanes:
        assert sum(cell.span for cell in lane) == 20  # every lane fills the row
    first = [c for c in pool.lanes[0] if c.kind == "booking"]
    assert first[0].item["id"] == 1 and first[0].span == 4
    kinds = [c.kind for c in instrument.lanes[0]]
    assert "closure" in kinds and "closed" in kinds  # the lunch break is closed
    closure = next(c for c in instrument.lanes[0] if c.kind == "closure")
    assert closure.span == 4 and closure.start == local(14)


def test_day_timeline_clips_items_crossing_the_view():
    resources = [{"id": 1, "kind": "instrument"}]
    overnight = booking(1, local(22, day=DAY - timedelta(days=1)), local(9))
    timeline = day_timeline(DAY, SH, resources, [overnight], [], {1: [(local(8), local(18))]})
    assert timeline.columns[0] == local(0)  # the view starts where the booking is seen
    cells = timeline.rows[0].lanes[0]
    assert cells[0].kind == "booking" and cells[0].span == 18


def test_week_grid_puts_entries_on_each_day_they_touch():
    days = week_of(DAY)
    assert days[0] == date(2026, 11, 30) and len(days) == 7
    resources = [{"id": 1}]
    rows = [booking(1, local(23), local(1, day=DAY + timedelta(days=1))),
            booking(2, local(9), local(10), "cancelled")]
    grid = week_grid(days, SH, resources, rows, [])
    assert [len(cell) for cell in grid[0].days] == [0, 2, 1, 0, 0, 0, 0]
    assert grid[0].booked_hours == pytest.approx(2.0)  # the cancelled one does not count
