"""The stage state machine, declared as data so that every (from, to) pair can be tested."""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import InvalidTransition


class StageStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


S = StageStatus

#: Transitions a person or system may ask for. ``pending -> ready`` is not here: readiness is
#: derived from dependencies, never requested. Nor is ``cancelled``: a stage is cancelled only
#: with its order, since a lone cancelled stage would leave its dependants waiting forever.
REQUESTABLE: dict[StageStatus, frozenset[StageStatus]] = {
    S.PENDING: frozenset({S.SKIPPED}),
    S.READY: frozenset({S.IN_PROGRESS, S.SKIPPED}),
    S.IN_PROGRESS: frozenset({S.BLOCKED, S.DONE}),
    S.BLOCKED: frozenset({S.IN_PROGRESS}),
    S.DONE: frozenset(),
    S.SKIPPED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: Statuses in which a stage is finished as far as its dependants are concerned.
SATISFIED: frozenset[StageStatus] = frozenset({S.DONE, S.SKIPPED})
TERMINAL: frozenset[StageStatus] = frozenset({S.DONE, S.SKIPPED, S.CANCELLED})
#: Statuses the desk calls "current": somebody owns the next move.
CURRENT: frozenset[StageStatus] = frozenset({S.READY, S.IN_PROGRESS, S.BLOCKED})
ACTIVE: frozenset[StageStatus] = frozenset({S.IN_PROGRESS, S.BLOCKED})

#: The event type each requested transition appends.
EVENT_FOR_TRANSITION: dict[tuple[StageStatus, StageStatus], str] = {
    (S.READY, S.IN_PROGRESS): "stage.started",
    (S.BLOCKED, S.IN_PROGRESS): "stage.resumed",
    (S.IN_PROGRESS, S.BLOCKED): "stage.blocked",
    (S.IN_PROGRESS, S.DONE): "stage.completed",
    (S.PENDING, S.SKIPPED): "stage.skipped",
    (S.READY, S.SKIPPED): "stage.skipped",
}


def allowed_targets(current: StageStatus) -> list[str]:
    return sorted(s.value for s in REQUESTABLE[current])


def check_transition(stage_key: str, current: StageStatus, target: StageStatus) -> str:
    """Validate a requested transition and return the event type it appends."""
    if target not in REQUESTABLE[current]:
        allowed = allowed_targets(current)
        allowed_text = ", ".join(allowed) if allowed else "none (the stage is finished)"
        hint = " A stage is cancelled by cancelling its order." if target is S.CANCELLED else ""
        raise InvalidTransition(
            f"stage '{stage_key}' is {current.value}; it cannot move to {target.value}. "
            f"Allowed from {current.value}: {allowed_text}.{hint}",
            current_status=current.value,
            requested_status=target.value,
            allowed=allowed,
        )
    return EVENT_FOR_TRANSITION[(current, target)]


def ready_after(status: StageStatus, dependency_statuses: list[StageStatus]) -> bool:
    """A pending stage becomes ready once everything it depends on is satisfied."""
    return status is S.PENDING and all(d in SATISFIED for d in dependency_statuses)
