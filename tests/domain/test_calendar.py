"""Working time: weekends, the day's hours, Indonesian holidays, extra dates; and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.calendar import Period, WorkingCalendar, always

JAKARTA = ZoneInfo("Asia/Jakarta")
WORKDAY = (Period(8 * 60, 17 * 60),)
DEFAULT = WorkingCalendar(
    "default",
    JAKARTA,
    {**dict.fromkeys(range(5), WORKDAY), 5: (Period(8 * 60, 12 * 60),)},
    holiday_country="ID",
)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)  # type: ignore[misc]


def test_a_600_minute_stage_ready_at_1336_ends_the_next_working_day() -> None:
    # Wednesday 2 Dec 2026, 13:36: 3 h 24 min today, the remaining 6 h 36 min on Thursday.
    assert DEFAULT.add(local(2026, 12, 2, 13, 36), 600) == local(2026, 12, 3, 14, 36)


def test_friday_afternoon_to_monday_morning_is_two_working_hours_with_saturday_between() -> None:
    friday_16 = local(2026, 12, 4, 16, 0)
    assert DEFAULT.between(friday_16, local(2026, 12, 7, 9, 0)) == 60 + 4 * 60 + 60
    assert DEFAULT.add(friday_16, 120) == local(2026, 12, 5, 9, 0)


def test_indonesian_holidays_are_closed_and_counted_for_any_year() -> None:
    # Christmas Day 2026 is a Friday: Thursday 24th at 16:00 plus 2 working hours is Saturday.
    assert DEFAULT.add(local(2026, 12, 24, 16, 0), 120) == local(2026, 12, 26, 9, 0)
    assert DEFAULT.is_holiday(date(2031, 8, 17))
    assert not DEFAULT.is_working(local(2026, 12, 25, 10, 0))


def test_extra_closed_and_open_dates() -> None:
    rush = WorkingCalendar(
        "rush",
        JAKARTA,
        DEFAULT.week,
        holiday_country="ID",
        closed_dates=frozenset({date(2026, 12, 3)}),
        open_dates={date(2026, 12, 6): (Period(9 * 60, 11 * 60),)},
    )
    # Wednesday 16:00 + 2 h: Thursday is a stock-take, Friday opens at 08:00.
    assert rush.add(local(2026, 12, 2, 16, 0), 120) == local(2026, 12, 4, 9, 0)
    # Saturday 11:00 + 3 h: one hour on Saturday, two on the Sunday opened for a rush.
    assert rush.add(local(2026, 12, 5, 11, 0), 180) == local(2026, 12, 6, 11, 0)


def test_always_is_the_plain_clock() -> None:
    start = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)
    assert always().add(start, 600) == start + timedelta(minutes=600)
    assert always().between(start, start + timedelta(hours=30)) == 30 * 60


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(moments, st.floats(min_value=0.0, max_value=100_000.0))
def test_adding_working_time_ends_inside_working_time_and_measures_back(
    start: datetime, minutes: float
) -> None:
    end = DEFAULT.add(start, minutes)
    assert DEFAULT.is_working(end)
    assert end >= start
    assert abs(DEFAULT.between(start, end) - minutes) < 1e-6


@settings(max_examples=200, deadline=None)
@given(moments, st.floats(min_value=0.0, max_value=50_000.0), st.floats(min_value=0.0, max_value=50_000.0))
def test_more_working_time_never_ends_earlier(start: datetime, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert DEFAULT.add(start, low) <= DEFAULT.add(start, high)
