from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.durations import DurationModel
from app.domain.eta import Basis, StageTiming, compute_eta
from app.domain.stage_machine import StageStatus

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)
S = StageStatus


def plan(minutes: float, latest_factor: float = 1.0) -> DurationModel:
    """A plan with no spread unless asked: likely and latest are then the plan itself."""
    return DurationModel.planned(minutes, latest_factor)


def repair_flow(**overrides: StageTiming) -> list[StageTiming]:
    """diagnosis -> (parts 48h | quote 1h) -> repair 8h -> shipping 24h."""
    stages = {
        "diagnosis": StageTiming("diagnosis", (), S.DONE, plan(240), finished_at=NOW),
        "parts": StageTiming("parts", ("diagnosis",), S.READY, plan(2880)),
        "quote": StageTiming("quote", ("diagnosis",), S.READY, plan(60)),
        "repair": StageTiming("repair", ("parts", "quote"), S.PENDING, plan(480)),
        "shipping": StageTiming("shipping", ("repair",), S.PENDING, plan(1440)),
    }
    stages.update(overrides)
    return list(stages.values())


ORDER = ["diagnosis", "parts", "quote", "repair", "shipping"]


def test_parallel_branches_wait_for_the_slower_one() -> None:
    eta = compute_eta(repair_flow(), ORDER, NOW)
    assert eta.likely_at == NOW + 48 * H + 8 * H + 24 * H
    assert eta.critical_path == ["parts", "repair", "shipping"]
    assert eta.basis is Basis.PLAN


def test_revising_the_branch_off_the_critical_path_leaves_the_eta() -> None:
    before = compute_eta(repair_flow(), ORDER, NOW)
    slower_quote = StageTiming(
        "quote", ("diagnosis",), S.IN_PROGRESS, plan(60), started_at=NOW, revised_finish_at=NOW + 10 * H
    )
    after = compute_eta(repair_flow(quote=slower_quote), ORDER, NOW)
    assert after.likely_at == before.likely_at
    assert after.stages["quote"].likely_at == NOW + 10 * H


def test_revising_the_critical_path_moves_the_eta_and_marks_it_revised() -> None:
    late_parts = StageTiming(
        "parts", ("diagnosis",), S.BLOCKED, plan(2880), started_at=NOW, revised_finish_at=NOW + 72 * H
    )
    eta = compute_eta(repair_flow(parts=late_parts), ORDER, NOW)
    assert eta.likely_at == NOW + 72 * H + 8 * H + 24 * H
    assert eta.basis is Basis.REVISED


def test_a_branch_that_overtakes_becomes_critical() -> None:
    slow_quote = StageTiming(
        "quote", ("diagnosis",), S.IN_PROGRESS, plan(60), started_at=NOW, revised_finish_at=NOW + 60 * H
    )
    eta = compute_eta(repair_flow(quote=slow_quote), ORDER, NOW)
    assert eta.likely_at == NOW + 60 * H + 32 * H
    assert eta.critical_path == ["quote", "repair", "shipping"]


def test_an_overrunning_stage_is_expected_no_earlier_than_now() -> None:
    started = NOW - 10 * H
    stage = StageTiming("a", (), S.IN_PROGRESS, plan(60, 2.0), started_at=started)
    eta = compute_eta([stage], ["a"], NOW)
    assert eta.likely_at is not None
    assert eta.latest_at is not None
    assert eta.likely_at > NOW
    assert eta.latest_at >= eta.likely_at


def test_latest_allows_for_the_spread_of_every_stage_on_the_way() -> None:
    stages = [
        StageTiming("a", (), S.READY, plan(60, 2.0)),
        StageTiming("b", ("a",), S.PENDING, plan(60, 3.0)),
    ]
    eta = compute_eta(stages, ["a", "b"], NOW)
    assert eta.likely_at == NOW + 2 * H
    assert eta.latest_at is not None
    # wider than either stage's own spread, narrower than both worst cases laid end to end
    assert NOW + 4 * H < eta.latest_at < NOW + 5 * H


def test_finished_order_is_dated_by_its_last_finish() -> None:
    stages = [
        StageTiming("a", (), S.DONE, plan(60), finished_at=NOW - H),
        StageTiming("b", ("a",), S.SKIPPED, plan(60), finished_at=NOW - 2 * H),
    ]
    eta = compute_eta(stages, ["a", "b"], NOW)
    assert eta.likely_at == NOW - H
    assert eta.basis is Basis.ACTUAL
