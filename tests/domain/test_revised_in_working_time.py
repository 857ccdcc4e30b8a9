"""A technician's revised finish is read in working time: a finish "by 20:00" of office work is,
for the customer, the next opening, so even the last stage's revision gives an ETA the office
can keep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.calendar import Period, WorkingCalendar
from app.domain.durations import DurationModel
from app.domain.eta import StageTiming, compute_eta
from app.domain.stage_machine import StageStatus

OFFICE = WorkingCalendar(
    "office",
    ZoneInfo("Asia/Jakarta"),
    {**{d: (Period(8 * 60, 17 * 60),) for d in range(5)}, 5: (Period(8 * 60, 12 * 60),)},
    holiday_country="ID",
)
PLAN = DurationModel.planned(480, 2.0)


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    st.integers(min_value=1, max_value=60 * 24 * 40),
    st.integers(min_value=0, max_value=60 * 24 * 14),
)
def test_a_revision_of_the_last_stage_gives_an_eta_in_working_time(
    now: datetime, revised_in: int, running: int
) -> None:
    ready = now - timedelta(minutes=running)
    revised = now + timedelta(minutes=revised_in)
    stage = StageTiming(
        "ship",
        (),
        StageStatus.BLOCKED,
        PLAN,
        ready_at=ready,
        started_at=ready,
        revised_finish_at=revised,
        revised_at=now,
        calendar=OFFICE,
    )
    eta = compute_eta([stage], ["ship"], now)
    assert eta.likely_at is not None
    assert eta.latest_at is not None
    assert OFFICE.is_working(eta.likely_at), eta.likely_at.astimezone(OFFICE.zone)
    assert OFFICE.is_working(eta.latest_at), eta.latest_at.astimezone(OFFICE.zone)
    # Never earlier than the technician said, and no later than the office's next opening.
    assert revised <= eta.likely_at <= OFFICE.next_opening(revised) or OFFICE.is_working(revised)
    assert eta.likely_at >= revised
    assert eta.likely_at <= eta.latest_at


def test_a_finish_promised_for_saturday_evening_is_monday_morning() -> None:
    now = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # Saturday 10:00 in Jakarta
    revised = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)  # Saturday 20:00
    stage = StageTiming(
        "ship",
        (),
        StageStatus.IN_PROGRESS,
        PLAN,
        ready_at=now,
        revised_finish_at=revised,
        revised_at=now,
        calendar=OFFICE,
    )
    eta = compute_eta([stage], ["ship"], now)
    assert eta.likely_at == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # Monday 08:00
