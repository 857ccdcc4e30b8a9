"""The workbench's quick picks in working time, and who a desk request concerns and closes with."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.access import Principal
from app.domain.errors import Conflict, Forbidden, Unprocessable
from app.domain.quick_picks import WorkingWeek, on_date, quick_picks
from app.domain.requests import Concerned, StageRef, concerned_stages, stages_to_answer

JAKARTA = ZoneInfo("Asia/Jakarta")
WEEK = WorkingWeek(JAKARTA)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Friday afternoon: +1 h fits; +4 h runs into Saturday morning; end of today is 17:00;
        # the next working day is Saturday, which closes at noon.
        (
            "2026-12-04T15:30",
            {
                "plus_1h": "2026-12-04T16:30",
                "plus_4h": "2026-12-05T10:30",
                "end_of_today": "2026-12-04T17:00",
                "next_working_day": "2026-12-05T12:00",
            },
        ),
        # Saturday after closing: Sunday is shut, so everything lands on Monday.
        (
            "2026-12-05T13:00",
            {
                "plus_1h": "2026-12-07T09:00",
                "plus_4h": "2026-12-07T12:00",
                "end_of_today": "2026-12-07T17:00",
                "next_working_day": "2026-12-07T17:00",
            },
        ),
        # Before opening: working time starts at 08:00.
        ("2026-12-01T06:00", {"plus_1h": "2026-12-01T09:00", "end_of_today": "2026-12-01T17:00"}),
    ],
)
def test_quick_picks_count_working_time(now: str, expected: dict[str, str]) -> None:
    picks = quick_picks(at(now), WEEK)
    for name, moment in expected.items():
        assert picks[name] == at(moment), name


def test_a_closed_day_is_skipped_and_a_date_means_its_close() -> None:
    holiday = WorkingWeek(JAKARTA, closed=lambda d: d == date(2026, 12, 25))
    assert holiday.next_working_day(at("2026-12-24T10:00")) == at("2026-12-26T12:00")
    assert on_date(date(2026, 12, 6), WEEK) == at("2026-12-07T17:00")  # a Sunday: Monday's close


def test_added_working_time_ends_inside_working_time_and_never_before_now() -> None:
    # Every 37 minutes across a week, each amount from none to more than a working week.
    monday = at("2026-11-30T00:00")
    for step in range(0, 7 * 24 * 60, 37):
        start = monday + timedelta(minutes=step)
        for minutes in (0, 1, 59, 60, 240, 539, 540, 3000):
            end = WEEK.add(start, minutes).astimezone(JAKARTA)
            assert end >= start
            hours = WEEK.opening(end.date())
            assert hours is not None, (start, minutes, end)
            assert hours[0] <= end <= hours[1], (start, minutes, end)


STAGES = [
    StageRef("assembly", "Assembly", "assembly", "done"),
    StageRef("finance", "Finance", "finance", "in_progress"),
    StageRef("shipping", "Shipping", "shipping", "pending"),
]
FINANCE = Principal(key_id="k1", name="Dewi", role="technician", departments=frozenset({"finance"}))


def test_a_request_without_a_stage_concerns_every_stage_not_done() -> None:
    assert [s.key for s in concerned_stages(STAGES, None, "SO-1")] == ["finance", "shipping"]
    assert [s.key for s in concerned_stages(STAGES, "shipping", "SO-1")] == ["shipping"]
    with pytest.raises(Unprocessable, match="already done"):
        concerned_stages(STAGES, "assembly", "SO-1")
    with pytest.raises(Unprocessable, match="no stage 'paint'"):
        concerned_stages(STAGES, "paint", "SO-1")
    with pytest.raises(Conflict):
        concerned_stages([StageRef("a", "A", "x", "done")], None, "SO-1")


def test_an_answer_is_for_the_callers_own_unanswered_stages() -> None:
    concerned = [Concerned("finance", "finance", False), Concerned("shipping", "shipping", False)]
    assert [c.key for c in stages_to_answer(FINANCE, concerned, None, 7, closed=False)] == ["finance"]
    with pytest.raises(Forbidden):
        stages_to_answer(FINANCE, concerned, "shipping", 7, closed=False)
    answered = [Concerned("finance", "finance", True), Concerned("shipping", "shipping", False)]
    with pytest.raises(Conflict, match="already answered"):
        stages_to_answer(FINANCE, answered, None, 7, closed=False)
    with pytest.raises(Conflict, match="every department"):
        stages_to_answer(FINANCE, answered, None, 7, closed=True)
