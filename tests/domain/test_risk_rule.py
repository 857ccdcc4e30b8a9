"""At risk: the chance of missing the promise, read in working time, against a level that is
lower near the promise than far from it (see bench/RESULTS.md for how the levels were chosen)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.calendar import ALWAYS, Period, WorkingCalendar
from app.domain.order_state import (
    AT_RISK_LEVEL,
    EARLY_RISK_LEVEL,
    RISK_HORIZON_MINUTES,
    RISK_RULE,
    OrderState,
    derive_state,
    late_probability,
)
from app.domain.stage_machine import StageStatus

OFFICE = WorkingCalendar(
    "default",
    ZoneInfo("Asia/Jakarta"),
    {**{d: (Period(8 * 60, 17 * 60),) for d in range(5)}, 5: (Period(8 * 60, 12 * 60),)},
    holiday_country="ID",
)
HOUR = timedelta(hours=1)
#: Friday 4 Dec 2026, 16:00 in Jakarta.
FRIDAY_16 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
#: Monday 7 Dec, 09:00 and 17:00.
MONDAY_09 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
MONDAY_17 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_the_chance_is_read_in_working_time_not_across_the_weekend() -> None:
    # Monday 09:00 is 1 h (Friday) + 4 h (Saturday) + 1 h (Monday) = 6 working hours past a
    # promise of Friday 16:00.
    chance = late_probability(MONDAY_09, MONDAY_17, FRIDAY_16, OFFICE)
    # 6 working hours past, with 8 working hours to the 90th percentile.
    assert 0.8 < chance < 0.85
    # Read round the clock the same estimate is hopeless: 65 hours past, 8 hours of spread.
    assert late_probability(MONDAY_09, MONDAY_17, FRIDAY_16, ALWAYS) > 0.999
    # A likely finish at the close and a promise at the next opening are the same working moment.
    close = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # Friday 17:00
    opening = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)  # Saturday 08:00
    assert late_probability(close, close + 4 * HOUR, opening, OFFICE) <= 0.5


def test_the_promise_comes_near_in_working_hours() -> None:
    assert RISK_HORIZON_MINUTES == 4.5 * 60
    # Promised Monday 10:00: 2 working hours on Monday, 2.5 of Saturday's 4 before it.
    monday_10 = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    assert RISK_RULE.horizon_starts(monday_10, OFFICE) == datetime(2026, 12, 5, 2, 30, tzinfo=UTC)


def _state(now: datetime, likely: datetime, latest: datetime, promised: datetime) -> OrderState:
    return derive_state(
        cancelled=False,
        stage_statuses=[StageStatus.IN_PROGRESS],
        eta_likely_at=likely,
        eta_latest_at=latest,
        promised_at=promised,
        now=now,
        calendar=OFFICE,
    )


def test_a_likely_finish_just_past_a_far_promise_waits_for_more_certainty_or_for_the_promise() -> None:
    promised = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # Thursday 16:00
    likely = promised + 2 * HOUR  # Friday 09:00: one working hour past
    latest = OFFICE.add(likely, 16 * 60)
    assert AT_RISK_LEVEL < late_probability(likely, latest, promised, OFFICE) < EARLY_RISK_LEVEL
    monday = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    assert _state(monday, likely, latest, promised) is OrderState.OPEN
    # Thursday 11:30 is within 4.5 working hours of the promise: now it is at risk.
    assert _state(datetime(2026, 12, 10, 4, 30, tzinfo=UTC), likely, latest, promised) is OrderState.AT_RISK
    # Far ahead, an estimate that leaves little doubt is at risk at once.
    sure = likely + 30 * HOUR
    assert _state(monday, sure, OFFICE.add(sure, 8 * 60), promised) is OrderState.AT_RISK
