from __future__ import annotations

import itertools

import pytest

from app.domain.errors import InvalidTransition
from app.domain.stage_machine import REQUESTABLE, StageStatus, check_transition, ready_after

S = StageStatus
ALLOWED = {
    (S.PENDING, S.SKIPPED): "stage.skipped",
    (S.READY, S.IN_PROGRESS): "stage.started",
    (S.READY, S.SKIPPED): "stage.skipped",
    (S.IN_PROGRESS, S.BLOCKED): "stage.blocked",
    (S.IN_PROGRESS, S.DONE): "stage.completed",
    (S.BLOCKED, S.IN_PROGRESS): "stage.resumed",
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_every_pair(current: StageStatus, target: StageStatus) -> None:
    if (current, target) in ALLOWED:
        assert check_transition("assembly", current, target) == ALLOWED[(current, target)]
        return
    with pytest.raises(InvalidTransition) as caught:
        check_transition("assembly", current, target)
    error = caught.value
    assert error.extra["current_status"] == current.value
    assert error.extra["allowed"] == sorted(t.value for t in REQUESTABLE[current])
    assert current.value in error.detail
    assert target.value in error.detail


def test_cancel_points_to_the_order() -> None:
    with pytest.raises(InvalidTransition, match="cancelling its order"):
        check_transition("assembly", S.IN_PROGRESS, S.CANCELLED)


@pytest.mark.parametrize(
    ("deps", "ready"),
    [
        ([], True),
        ([S.DONE], True),
        ([S.DONE, S.SKIPPED], True),
        ([S.DONE, S.IN_PROGRESS], False),
        ([S.CANCELLED], False),
    ],
)
def test_readiness_waits_for_every_dependency(deps: list[StageStatus], ready: bool) -> None:
    assert ready_after(S.PENDING, deps) is ready
    assert ready_after(S.READY, deps) is False
