"""The duration model and the ETA over the DAG: pure rules, no database."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.durations import Basis, DurationModel
from app.domain.eta import SPREAD_POWER, StageTiming, compute_eta, revision_spread
from app.domain.silence import StageSilence, lapse, next_deadline
from app.domain.stage_machine import StageStatus

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
HISTORY = [30.0, 35, 40, 42, 45, 50, 55, 60, 61, 62, 70, 75, 80, 90, 100, 110, 120, 150, 200, 400]


def test_the_plan_reads_as_median_and_a_latest_factor() -> None:
    model = DurationModel.planned(480, 1.5)
    assert model.basis is Basis.PLAN
    assert model.likely_minutes == pytest.approx(480)
    assert model.latest_minutes == pytest.approx(720)


def test_learned_median_and_90th_percentile_are_those_of_the_history() -> None:
    model = DurationModel.learned(HISTORY)
    deciles = statistics.quantiles(HISTORY, n=10, method="inclusive")
    assert model.basis is Basis.LEARNED
    assert model.likely_minutes == pytest.approx(statistics.median(HISTORY))
    assert model.latest_minutes == pytest.approx(deciles[8])


@pytest.mark.parametrize("model", [DurationModel.planned(120, 1.5), DurationModel.learned(HISTORY)])
def test_a_running_stage_is_always_expected_later_than_now(model: DurationModel) -> None:
    for elapsed in [0, 1, 59, 60, 61, 75, 89, 120, 399, 400, 401, 1_000, 50_000]:
        step = model.estimate(elapsed)
        assert step.likely_minutes > elapsed
        assert step.latest_minutes >= step.likely_minutes
        assert step.changes_after_minutes == step.likely_minutes


def test_an_overrunning_stage_steps_to_its_conditional_median() -> None:
    model = DurationModel.planned(100, 1.5)
    fresh = model.estimate(0)
    assert fresh.likely_minutes == pytest.approx(100)
    # Past the median: the median of what is left is the 75th percentile, and the latest the 95th.
    overrun = model.estimate(101)
    z75, z95 = statistics.NormalDist().inv_cdf(0.75), statistics.NormalDist().inv_cdf(0.95)
    assert overrun.likely_minutes == pytest.approx(100 * math.exp(model.sigma * z75))
    assert overrun.latest_minutes == pytest.approx(100 * math.exp(model.sigma * z95))
    # Between two steps nothing changes: the ETA moves only when a step is passed.
    assert model.estimate(overrun.likely_minutes - 1) == overrun


def _chain(*durations: DurationModel, ready: datetime = NOW) -> list[StageTiming]:
    timings = []
    for index, duration in enumerate(durations):
        first = index == 0
        timings.append(
            StageTiming(
                key=f"s{index}",
                depends_on=() if first else (f"s{index - 1}",),
                status=StageStatus.READY if first else StageStatus.PENDING,
                duration=duration,
                ready_at=ready if first else None,
            )
        )
    return timings


def test_latest_of_a_chain_is_less_than_the_sum_of_each_stages_latest() -> None:
    a, b = DurationModel.planned(60, 1.5), DurationModel.planned(120, 1.5)
    eta = compute_eta(_chain(a, b), ["s0", "s1"], NOW)
    assert eta.likely_at == NOW + timedelta(minutes=180)
    spreads = (a.latest_minutes - a.likely_minutes, b.latest_minutes - b.likely_minutes)
    spread = sum(s**SPREAD_POWER for s in spreads) ** (1 / SPREAD_POWER)
    assert max(spreads) < spread < sum(spreads)
    assert eta.latest_at is not None
    assert (eta.latest_at - eta.likely_at).total_seconds() / 60 == pytest.approx(spread, abs=1)
    assert eta.latest_at < NOW + timedelta(minutes=a.latest_minutes + b.latest_minutes)
    assert eta.basis is Basis.PLAN
    assert eta.critical_path == ["s0", "s1"]


def test_a_technicians_revision_wins_until_it_lapses() -> None:
    plan = DurationModel.planned(60, 1.5)
    revised = NOW + timedelta(hours=5)
    stage = StageTiming(
        "s0",
        (),
        StageStatus.IN_PROGRESS,
        plan,
        ready_at=NOW,
        started_at=NOW,
        revised_finish_at=revised,
        revised_at=NOW,
    )
    eta = compute_eta([stage], ["s0"], NOW + timedelta(minutes=10))
    assert eta.likely_at == revised
    assert eta.basis is Basis.REVISED
    assert eta.latest_at == revised + revision_spread(revised, NOW)
    assert eta.stages["s0"].changes_at == revised
    # Past the revised moment without a word: the model speaks again, from the time elapsed.
    later = revised + timedelta(minutes=1)
    lapsed = compute_eta([stage], ["s0"], later)
    assert lapsed.basis is Basis.PLAN
    assert lapsed.likely_at is not None
    assert lapsed.likely_at > later


def test_parallel_branches_wait_for_the_slower_one() -> None:
    quick, slow = DurationModel.planned(30, 1.5), DurationModel.planned(300, 1.5)
    timings = [
        StageTiming("a", (), StageStatus.READY, quick, ready_at=NOW),
        StageTiming("b", ("a",), StageStatus.PENDING, slow),
        StageTiming("c", ("a",), StageStatus.PENDING, quick),
        StageTiming("d", ("b", "c"), StageStatus.PENDING, quick),
    ]
    eta = compute_eta(timings, ["a", "b", "c", "d"], NOW)
    assert eta.likely_at == NOW + timedelta(minutes=360)
    assert eta.critical_path == ["a", "b", "d"]


def _silence(**fields: object) -> StageSilence:
    base: dict[str, object] = {
        "key": "s0",
        "status": StageStatus.IN_PROGRESS,
        "last_update_at": NOW,
        "next_update_by": None,
        "revised_finish_at": None,
        "ready_at": NOW,
        "latest_minutes": 600.0,
        "overdue_for": None,
    }
    base.update(fields)
    return StageSilence(**base)  # type: ignore[arg-type]


def test_a_lapse_is_reported_once_and_a_later_deadline_is_a_new_lapse() -> None:
    promised_word = NOW + timedelta(hours=2)
    stage = _silence(next_update_by=promised_word)
    assert lapse(stage, NOW + timedelta(hours=1)) is None
    assert next_deadline(stage, NOW + timedelta(hours=1)) == promised_word
    found = lapse(stage, NOW + timedelta(hours=3))
    assert found is not None
    assert found.deadline == promised_word
    assert found.missed == "next_update_by"
    reported = _silence(next_update_by=promised_word, overdue_for=promised_word)
    assert lapse(reported, NOW + timedelta(hours=3)) is None
    # The stage's latest finish (ready + 600 min) passing is news of its own.
    second = lapse(reported, NOW + timedelta(hours=11))
    assert second is not None
    assert second.missed == "expected_finish"


def test_word_after_a_deadline_cancels_it() -> None:
    stage = _silence(next_update_by=NOW + timedelta(hours=1), last_update_at=NOW + timedelta(hours=2))
    assert lapse(stage, NOW + timedelta(hours=3)) is None


@pytest.mark.parametrize("status", [StageStatus.PENDING, StageStatus.DONE, StageStatus.SKIPPED])
def test_stages_nobody_owes_a_move_on_are_never_overdue(status: StageStatus) -> None:
    stage = _silence(status=status, next_update_by=NOW + timedelta(minutes=5))
    assert lapse(stage, NOW + timedelta(days=30)) is None
