"""Properties of the estimate that no sequence of valid durations may break."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.calendar import Period, WorkingCalendar
from app.domain.durations import MAX_MINUTES, MIN_MINUTES, DurationModel
from app.domain.eta import StageTiming, compute_eta
from app.domain.stage_machine import StageStatus

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
S = StageStatus

#: Recorded durations in minutes: zero (an instant finish), fractions of a minute, years.
durations = st.floats(min_value=0.0, max_value=600_000.0, allow_nan=False, allow_infinity=False)
samples = st.one_of(
    st.lists(durations, min_size=1, max_size=3),
    st.lists(durations, min_size=20, max_size=200),
    # Thousands of samples: a few values, each repeated (cheap to draw, same shapes).
    st.tuples(st.lists(durations, min_size=1, max_size=5), st.integers(min_value=200, max_value=2_000)).map(
        lambda drawn: drawn[0] * drawn[1]
    ),
)
elapsed = st.floats(min_value=0.0, max_value=10_000_000.0, allow_nan=False)
models = st.one_of(
    st.builds(
        DurationModel.planned,
        st.floats(min_value=0.0, max_value=1_000_000.0),
        st.floats(min_value=1.0, max_value=1e6),
    ),
    samples.map(DurationModel.learned),
)


@settings(max_examples=100, deadline=None)
@given(samples, elapsed)
def test_any_history_gives_an_estimate_in_the_future_and_never_below_zero(
    history: list[float], running: float
) -> None:
    model = DurationModel.learned(history)
    assert MIN_MINUTES <= model.likely_minutes <= model.latest_minutes <= MAX_MINUTES
    assert min(model.samples) >= 0
    step = model.estimate(running)
    assert step.likely_minutes > running
    assert step.latest_minutes >= step.likely_minutes
    assert math.isfinite(step.latest_minutes)


def _chain(first: DurationModel, second: DurationModel, revised_in: timedelta | None) -> list[StageTiming]:
    return [
        StageTiming(
            "work",
            (),
            S.IN_PROGRESS,
            first,
            ready_at=NOW - timedelta(hours=1),
            started_at=NOW - timedelta(hours=1),
            revised_finish_at=None if revised_in is None else NOW + revised_in,
            revised_at=NOW,
        ),
        StageTiming("ship", ("work",), S.PENDING, second),
    ]


@settings(max_examples=100, deadline=None)
@given(models, models, st.integers(min_value=1, max_value=60 * 24 * 365))
def test_the_eta_never_fails_and_likely_is_never_after_latest(
    first: DurationModel, second: DurationModel, revised_minutes: int
) -> None:
    for revised in (None, timedelta(minutes=revised_minutes)):
        eta = compute_eta(_chain(first, second, revised), ["work", "ship"], NOW)
        assert eta.likely_at is not None
        assert eta.latest_at is not None
        assert NOW < eta.likely_at <= eta.latest_at


@settings(max_examples=100, deadline=None)
@given(
    models,
    models,
    st.integers(min_value=1, max_value=60 * 24 * 365),
    st.integers(min_value=1, max_value=10_000),
)
def test_more_remaining_time_never_gives_an_earlier_eta(
    first: DurationModel, second: DurationModel, remaining: int, more: int
) -> None:
    sooner = compute_eta(_chain(first, second, timedelta(minutes=remaining)), ["work", "ship"], NOW)
    later = compute_eta(_chain(first, second, timedelta(minutes=remaining + more)), ["work", "ship"], NOW)
    assert sooner.likely_at is not None
    assert later.likely_at is not None
    assert later.likely_at >= sooner.likely_at
    assert sooner.latest_at is not None
    assert later.latest_at is not None
    assert later.latest_at >= sooner.latest_at


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=60, max_value=100_000),
    st.integers(min_value=1, max_value=100_000),
    st.integers(min_value=0, max_value=100),
)
def test_a_revision_off_the_critical_path_never_moves_the_eta(
    long_branch: int, short_branch: int, revised_percent: int
) -> None:
    """Two branches into a join: revising the shorter one, to any moment before the longer one's
    likely finish, leaves the order's likely finish where it was."""
    long_model = DurationModel.planned(long_branch, 1.5)
    short_model = DurationModel.planned(min(short_branch, long_branch), 1.5)

    def flow(revised: datetime | None) -> list[StageTiming]:
        return [
            StageTiming("parts", (), S.READY, long_model, ready_at=NOW),
            StageTiming(
                "quote",
                (),
                S.IN_PROGRESS,
                short_model,
                ready_at=NOW,
                revised_finish_at=revised,
                revised_at=NOW,
            ),
            StageTiming("repair", ("parts", "quote"), S.PENDING, DurationModel.planned(60, 1.5)),
        ]

    order = ["parts", "quote", "repair"]
    before = compute_eta(flow(None), order, NOW)
    parts_likely = before.stages["parts"].likely_at
    assert before.critical_path[0] == "parts"
    revised = NOW + timedelta(minutes=1) + (parts_likely - NOW - timedelta(minutes=1)) * revised_percent / 100
    after = compute_eta(flow(revised), order, NOW)
    assert after.likely_at == before.likely_at


def _office_hours() -> WorkingCalendar:
    day = (Period(8 * 60, 17 * 60),)
    week = {**dict.fromkeys(range(5), day), 5: (Period(8 * 60, 12 * 60),)}
    return WorkingCalendar("default", ZoneInfo("Asia/Jakarta"), week, holiday_country="ID")


OFFICE = _office_hours()


@settings(max_examples=100, deadline=None)
@given(
    models,
    models,
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    st.one_of(st.none(), st.integers(min_value=1, max_value=60 * 24 * 60)),
    st.integers(min_value=0, max_value=60 * 24 * 14),
)
def test_every_eta_on_a_working_calendar_falls_inside_working_time(
    first: DurationModel, second: DurationModel, now: datetime, revised_minutes: int | None, running: int
) -> None:
    ready = now - timedelta(minutes=running)
    stages = [
        StageTiming(
            "work",
            (),
            S.IN_PROGRESS,
            first,
            ready_at=ready,
            started_at=ready,
            revised_finish_at=None if revised_minutes is None else now + timedelta(minutes=revised_minutes),
            revised_at=now,
            calendar=OFFICE,
        ),
        StageTiming("ship", ("work",), S.PENDING, second, calendar=OFFICE),
    ]
    eta = compute_eta(stages, ["work", "ship"], now)
    assert eta.likely_at is not None
    assert eta.latest_at is not None
    assert OFFICE.is_working(eta.likely_at), eta.likely_at.astimezone(OFFICE.zone)
    assert OFFICE.is_working(eta.latest_at), eta.latest_at.astimezone(OFFICE.zone)
    assert eta.likely_at <= eta.latest_at
