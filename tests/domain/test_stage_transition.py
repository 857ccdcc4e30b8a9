from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.errors import Conflict, InvalidTransition, Unprocessable
from app.domain.stage_machine import EVENT_FOR_TRANSITION, TERMINAL, StageStatus
from app.domain.stage_transition import Amount, StageRules, StageUpdate, releases, step

S = StageStatus
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
EARLIER = NOW - timedelta(hours=3)
RULES = StageRules(flow="standard", reasons={"waiting_parts", "rework"}, currency="IDR")


@dataclass
class Stage:
    key: str = "assembly"
    department: str = "assembly"
    status: str = "ready"
    reason: str | None = None
    started_at: datetime | None = None
    expected_finish_at: datetime | None = None
    next_update_by: datetime | None = None
    internal_note: str | None = None
    customer_note: str | None = None
    assignee: str | None = None
    depends_on: list[str] = field(default_factory=list)


def moving(current: StageStatus, target: StageStatus) -> tuple[Stage, StageUpdate]:
    stage = Stage(
        status=current.value,
        reason="waiting_parts" if current is S.BLOCKED else None,
        started_at=EARLIER if current in (S.IN_PROGRESS, S.BLOCKED, S.DONE) else None,
        next_update_by=NOW + timedelta(hours=1) if current not in TERMINAL else None,
    )
    reason = "rework" if target is S.BLOCKED else None
    return stage, StageUpdate(status=target, reason=reason, given=frozenset({"status", "reason"}))


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_every_pair(current: StageStatus, target: StageStatus) -> None:
    stage, update = moving(current, target)
    if (current, target) in EVENT_FOR_TRANSITION:
        result = step(stage, update, NOW, RULES)
        changes = result.changes
        assert changes["status"] == target.value
        [event] = result.events
        assert event.type == EVENT_FOR_TRANSITION[(current, target)]
        assert event.data["status"] == target.value
        assert event.data["previous_status"] == current.value
        assert event.department == "assembly"
        assert result.completed is (target is S.DONE)
        # A start is stamped once: a resume keeps the first start.
        if target is S.IN_PROGRESS:
            assert changes.get("started_at", stage.started_at) == (NOW if current is S.READY else EARLIER)
        # A resume ends the block, so its reason goes; a block names its own.
        if target is S.IN_PROGRESS and current is S.BLOCKED:
            assert changes["reason"] is None
        if target is S.BLOCKED:
            assert changes["reason"] == "rework"
        if target in (S.DONE, S.SKIPPED):
            assert changes["finished_at"] == NOW
            assert changes["next_update_by"] is None
        else:
            assert "finished_at" not in changes
        return
    if target is current and current not in TERMINAL:
        # Saying the status it has is word from the stage, not a move.
        result = step(stage, update, NOW, RULES)
        assert result.events == []
        assert "status" not in result.changes
        assert result.fallback.type == "order.updated"
        assert result.changes["last_update_at"] == NOW
        return
    with pytest.raises(InvalidTransition) as caught:
        step(stage, update, NOW, RULES)
    assert caught.value.extra["current_status"] == current.value
    assert current.value in caught.value.detail


def test_a_block_needs_a_reason() -> None:
    with pytest.raises(Unprocessable, match="a block needs a reason code; allowed: rework, waiting_parts"):
        step(
            Stage(status="in_progress"),
            StageUpdate(status=S.BLOCKED, given=frozenset({"status"})),
            NOW,
            RULES,
        )


def test_unknown_reason_foreign_money_and_past_moments_are_refused() -> None:
    stage = Stage(status="in_progress")
    with pytest.raises(Unprocessable, match="unknown reason code 'weather'"):
        step(stage, StageUpdate(reason="weather", given=frozenset({"reason"})), NOW, RULES)
    with pytest.raises(Unprocessable, match="cost_actual is in USD but this order is in IDR"):
        step(stage, StageUpdate(cost_actual=Amount(Decimal(1), "USD")), NOW, RULES)
    with pytest.raises(Unprocessable, match="next_update_by .* is in the past"):
        step(stage, StageUpdate(next_update_by=NOW - timedelta(minutes=3)), NOW, RULES)
    # A clock a little behind the server's is not "the past".
    step(stage, StageUpdate(next_update_by=NOW - timedelta(minutes=1)), NOW, RULES)


def test_a_finished_stage_cannot_be_revised() -> None:
    with pytest.raises(Conflict, match="its finish can no longer be revised"):
        step(Stage(status="in_progress"), StageUpdate(status=S.DONE, remaining_minutes=30), NOW, RULES)


def test_a_revision_moves_the_finish_and_is_news_only_when_it_moves() -> None:
    stage = Stage(status="in_progress", expected_finish_at=NOW + timedelta(hours=2))
    result = step(stage, StageUpdate(remaining_minutes=180), NOW, RULES)
    assert result.changes["expected_finish_at"] == NOW + timedelta(hours=3)
    assert result.changes["revised_at"] == NOW
    assert result.stage_revision == (NOW + timedelta(hours=2), NOW + timedelta(hours=3))
    same = step(stage, StageUpdate(expected_finish_at=NOW + timedelta(hours=2)), NOW, RULES)
    assert same.stage_revision is None
    assert "expected_finish_at" not in same.changes


def test_notes_say_what_changed_and_a_kept_promise_of_word_lapses() -> None:
    stage = Stage(status="in_progress", internal_note="old", next_update_by=NOW + timedelta(hours=1))
    update = StageUpdate(
        internal_note="old",
        customer_note="Back Thursday",
        given=frozenset({"internal_note", "customer_note"}),
    )
    result = step(stage, update, NOW, RULES)
    assert result.changes["customer_note"] == "Back Thursday"
    assert "internal_note" not in result.changes
    # This word is what was owed by next_update_by: the stage owes nothing more until told again.
    assert result.changes["next_update_by"] is None
    assert result.fallback.data["changes"] == {"customer_note": "Back Thursday", "next_update_by": None}
    assert result.fallback.data["notes_changed"] == ["customer_note"]
    assert result.changes["overdue_for"] is None


def test_releases_follow_the_graph() -> None:
    stages = [
        Stage(key="assembly", status="done"),
        Stage(key="finance", status="skipped"),
        Stage(key="shipping", status="pending", department="logistics", depends_on=["assembly", "finance"]),
        Stage(key="invoice", status="pending", depends_on=["shipping"]),
    ]
    [(stage, changes, event)] = releases(stages, NOW)
    assert stage.key == "shipping"
    assert changes == {"status": "ready", "ready_at": NOW, "updated_at": NOW}
    assert (event.type, event.department) == ("stage.ready", "logistics")
    assert event.data["after"] == ["assembly", "finance"]
