"""The pure view helpers: the week grid, fees, grouping, parsing; no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.web import labels, views
from calendars.intervals import Interval
from i18n import use_locale

SH = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 30)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SH)


def grid(**overrides):
    days = views.view_days(MONDAY, "week")
    windows = [Interval(at(d, 9), at(d, 12)) for d in days[:5]]
    args = dict(days=days, zone=SH, slot=timedelta(minutes=30), windows=windows, closures=[],
                free=windows, units=None, mine=[], earliest=at(MONDAY, 0),
                latest=at(MONDAY + timedelta(days=30), 0))
    args.update(overrides)
    return views.build_grid(**args)


def test_week_starts_on_monday_and_day_view_has_one_day():
    assert views.week_start(date(2026, 12, 3)) == MONDAY
    assert views.view_days(date(2026, 12, 3), "week")[0] == MONDAY
    assert views.view_days(date(2026, 12, 3), "day") == [date(2026, 12, 3)]
    assert views.parse_day("garbage", MONDAY) == MONDAY
    assert views.parse_day("2026-12-24", MONDAY) == date(2026, 12, 24)


def test_rows_span_the_opening_hours_at_the_slot_granularity():
    g = grid()
    assert [r.label for r in g.rows][:2] == [time(9), time(9, 30)]
    assert len(g.rows) == 6 and all(len(r.cells) == 7 for r in g.rows)
    first = g.rows[0].cells[0]
    assert first.state == "free" and first.bookable
    saturday = g.rows[0].cells[5]
    assert saturday.state == "closed" and not saturday.bookable


def test_busy_closure_mine_and_past_cells():
    windows = [Interval(at(MONDAY, 9), at(MONDAY, 10)), Interval(at(MONDAY, 11), at(MONDAY, 12))]
    g = grid(windows=windows, free=[Interval(at(MONDAY, 9, 30), at(MONDAY, 10))],
             closures=[Interval(at(MONDAY, 10), at(MONDAY, 11))],
             mine=[Interval(at(MONDAY, 9), at(MONDAY, 9, 30))])
    monday = [row.cells[0] for row in g.rows]
    assert monday[0].state == "busy" and monday[0].mine and not monday[0].bookable
    assert monday[1].state == "free" and monday[1].bookable
    assert monday[2].state == "closure"
    later = grid(earliest=at(MONDAY, 10))
    assert later.rows[0].cells[0].state == "past" and not later.rows[0].cells[0].bookable
    assert later.rows[2].cells[0].bookable


def test_pool_cells_show_the_fewest_free_units():
    window = Interval(at(MONDAY, 9), at(MONDAY, 10))
    profile = [(Interval(at(MONDAY, 9), at(MONDAY, 9, 15)), 3),
               (Interval(at(MONDAY, 9, 15), at(MONDAY, 9, 30)), 1),
               (Interval(at(MONDAY, 9, 30), at(MONDAY, 10)), 0)]
    g = views.build_grid(days=[MONDAY], zone=SH, slot=timedelta(minutes=15), windows=[window],
                         closures=[], free=[], units=profile, mine=[],
                         earliest=at(MONDAY, 0), latest=at(MONDAY, 23))
    assert g.step == timedelta(minutes=30)
    assert [(c.state, c.units) for c in (r.cells[0] for r in g.rows)] == [("free", 1), ("full", 0)]


def test_whole_day_slots_make_one_row():
    days = views.view_days(MONDAY, "week")
    windows = [Interval(at(d, 0), at(d, 0) + timedelta(days=1)) for d in days]
    g = views.build_grid(days=days, zone=SH, slot=timedelta(days=1), windows=windows,
                         closures=[], free=[], units=[(w, 5) for w in windows], mine=[],
                         earliest=at(MONDAY, 0), latest=at(MONDAY, 0) + timedelta(days=60))
    assert g.whole_days and len(g.rows) == 1 and g.rows[0].cells[0].units == 5


def test_grid_in_another_viewer_zone_keeps_instants():
    berlin = ZoneInfo("Europe/Berlin")
    g = grid(zone=berlin, days=[date(2026, 11, 30)])
    # 09:00 Shanghai is 02:00 in Berlin: the row starts there.
    assert g.rows[0].label == time(2)
    assert g.rows[0].cells[0].start == at(MONDAY, 9)


def test_parse_local_and_inputs():
    assert views.parse_local("2026-12-01T09:30", SH) == at(date(2026, 12, 1), 9, 30)
    moment = views.parse_local("2026-12-01T01:30:00+00:00", SH)
    assert moment == at(date(2026, 12, 1), 9, 30)
    assert views.parse_local("yesterday", SH) is None and views.parse_local("", SH) is None
    assert views.local_input(datetime(2026, 12, 1, 1, 30, tzinfo=UTC), SH) == "2026-12-01T09:30"
    start = at(MONDAY, 9)
    assert views.default_end(start, timedelta(minutes=30), timedelta(hours=1)) == at(MONDAY, 10)


def row(booking_id, status, hour, series):
    return {"id": booking_id, "status": status, "start_at": at(MONDAY, hour),
            "end_at": at(MONDAY, hour + 1), "series": series}


def test_bookings_split_and_series_grouped():
    now = at(MONDAY, 12)
    rows = [
        row(1, "confirmed", 14, None), row(2, "cancelled", 16, None),
        row(3, "completed", 8, None), row(4, "pending", 13, 7), row(5, "confirmed", 18, 7),
    ]
    upcoming, past = views.split_bookings(rows, now)
    assert [r["id"] for r in upcoming] == [4, 1, 5]
    assert [r["id"] for r in past] == [2, 3]
    groups = views.group_series(upcoming)
    assert [(s, [r["id"] for r in rs]) for s, rs in groups] == [(7, [4, 5]), (None, [1])]


def test_rules_in_plain_words_in_both_languages():
    row = {"kind": "instrument", "slot_minutes": 30, "min_duration_minutes": 60,
           "max_duration_minutes": 240, "min_notice_minutes": 1440, "max_advance_days": 21,
           "buffer_minutes": 15, "approval_required": True, "cancel_cutoff_hours": 24,
           "late_cancel_percent": 50, "no_show_percent": 100, "no_show_grace_minutes": 15,
           "quota_hours_per_week": 12, "billing_basis": "actual"}
    with use_locale("en"):
        english = labels.rules_in_words(row)
    with use_locale("zh_CN"):
        chinese = labels.rules_in_words(row)
    assert "1 hour" in english[0] and "4 hours" in english[0]
    assert any("50%" in line for line in english)
    assert "4 小时" in chinese[0] and len(chinese) == len(english)
    assert all(line != english[i] for i, line in enumerate(chinese))
    with use_locale("zh_CN"):
        assert labels.label(labels.STATUS, "pending") == "待审批"
        assert labels.label(labels.CATEGORY, "unknown-type") == "unknown-type"
