"""One update to one stage, as a pure step: the stage, the update and the time in; the stage's
field changes and the events to append out.

The state machine (stage_machine.py) says which moves exist; this says what each does to the
stage (a start stamps ``started_at``, a resume clears the block's reason, a finish stamps
``finished_at`` and ends the wait for word) and what it tells. Nothing is written here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from app.domain.errors import Conflict, InvalidTransition, field_error
from app.domain.order_news import Announcement, iso
from app.domain.stage_machine import SATISFIED, TERMINAL, StageStatus, check_transition, ready_after

#: Clocks differ between a technician's tool and this server; this much "past" is tolerated.
CLOCK_SKEW = timedelta(minutes=2)

#: Fields an update sets as given, null included, when it names them.
_PLAIN_FIELDS = ("internal_note", "customer_note", "assignee", "next_update_by")


class StageNow(Protocol):
    """What the step reads of the stage as it stands."""

    @property
    def key(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def expected_finish_at(self) -> datetime | None: ...
    @property
    def next_update_by(self) -> datetime | None: ...
    @property
    def internal_note(self) -> str | None: ...
    @property
    def customer_note(self) -> str | None: ...
    @property
    def assignee(self) -> str | None: ...


class Linked(Protocol):
    """What releasing dependants reads of each stage of the order."""

    @property
    def key(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def depends_on(self) -> Sequence[str]: ...


L = TypeVar("L", bound=Linked)


@dataclass(frozen=True)
class Amount:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class StageUpdate:
    """A word on a stage, as the technician sent it; ``given`` names the fields the body set."""

    status: StageStatus | None = None
    reason: str | None = None
    internal_note: str | None = None
    customer_note: str | None = None
    expected_finish_at: datetime | None = None
    remaining_minutes: int | None = None
    cost_estimate: Amount | None = None
    cost_actual: Amount | None = None
    next_update_by: datetime | None = None
    assignee: str | None = None
    given: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StageRules:
    """What the order and its flow allow: the reason codes and the order's currency."""

    flow: str
    reasons: Collection[str]
    currency: str


@dataclass(frozen=True)
class StageStep:
    #: Stage fields to set, with their new values.
    changes: dict[str, Any]
    #: The transition's event, if the update moved the stage; data without the order and actor.
    events: list[Announcement]
    #: What is appended if nothing else is: a change of notes or assignee is still a change.
    fallback: Announcement
    #: The stage's finish as revised: (before, after), when the update moved it.
    stage_revision: tuple[datetime | None, datetime | None] | None = None
    #: The update finished the stage (its duration is learned from).
    completed: bool = False


def _check_input(update: StageUpdate, rules: StageRules, now: datetime) -> None:
    if update.reason is not None and update.reason not in rules.reasons:
        raise field_error(
            "reason",
            f"unknown reason code '{update.reason}'; "
            f"allowed for flow '{rules.flow}': {', '.join(sorted(rules.reasons))}",
            "unknown_reason",
        )
    for name, money in (("cost_estimate", update.cost_estimate), ("cost_actual", update.cost_actual)):
        if money is not None and money.currency != rules.currency:
            raise field_error(name, f"{name} is in {money.currency} but this order is in {rules.currency}")
    moments = (("expected_finish_at", update.expected_finish_at), ("next_update_by", update.next_update_by))
    for name, moment in moments:
        if moment is not None and moment < now - CLOCK_SKEW:
            raise field_error(name, f"{name} {iso(moment)} is in the past (now is {iso(now)})")


def _check_move(stage: StageNow, update: StageUpdate, rules: StageRules) -> str | None:
    """The event type the requested move appends, or None when the status stays."""
    current = StageStatus(stage.status)
    target = update.status
    if target is current and current in TERMINAL:
        raise InvalidTransition(
            f"stage '{stage.key}' is already {current.value}; a finished stage cannot change status",
            current_status=current.value,
            requested_status=current.value,
            allowed=[],
        )
    transition: str | None = None
    if target is not None and target is not current:
        transition = check_transition(stage.key, current, target)
        if target is StageStatus.BLOCKED and update.reason is None:
            raise field_error(
                "reason",
                f"a block needs a reason code; allowed: {', '.join(sorted(rules.reasons))}",
                "missing",
            )
    revising = update.expected_finish_at is not None or update.remaining_minutes is not None
    final_status = target or current
    if final_status in TERMINAL and (revising or update.next_update_by is not None):
        raise Conflict(
            f"stage '{stage.key}' is {final_status.value}; its finish can no longer be revised",
            current_status=current.value,
        )
    return transition


def step(stage: StageNow, update: StageUpdate, now: datetime, rules: StageRules) -> StageStep:
    """Validate the update against the stage and say what it changes and tells."""
    _check_input(update, rules, now)
    transition = _check_move(stage, update, rules)
    current = StageStatus(stage.status)
    target = update.status
    changes: dict[str, Any] = {}

    def value(name: str) -> Any:
        return changes[name] if name in changes else getattr(stage, name)

    if transition is not None and target is not None:
        changes["status"] = target.value
        if target is StageStatus.IN_PROGRESS and stage.started_at is None:
            changes["started_at"] = now
        if target is StageStatus.IN_PROGRESS and current is StageStatus.BLOCKED:
            changes["reason"] = None
        if target in (StageStatus.DONE, StageStatus.SKIPPED):
            changes["finished_at"] = now
            changes["next_update_by"] = None
    if update.reason is not None:
        changes["reason"] = update.reason
    revision: tuple[datetime | None, datetime | None] | None = None
    if update.expected_finish_at is not None or update.remaining_minutes is not None:
        new_finish = update.expected_finish_at or now + timedelta(minutes=update.remaining_minutes or 0)
        if new_finish != stage.expected_finish_at:
            revision = (stage.expected_finish_at, new_finish)
            changes["expected_finish_at"] = new_finish
            changes["revised_at"] = now
    if update.cost_estimate is not None:
        changes["estimate_amount"] = update.cost_estimate.amount
    if update.cost_actual is not None:
        changes["actual_amount"] = update.cost_actual.amount
    said: dict[str, Any] = {}
    for name in _PLAIN_FIELDS:
        if name in update.given:
            given = getattr(update, name)
            if given != value(name):
                said[name] = iso(given) if isinstance(given, datetime) else given
                changes[name] = given
    if "next_update_by" not in update.given and value("next_update_by") is not None:
        # This update is the word that was promised by then; a new deadline needs saying again.
        said["next_update_by"] = None
        changes["next_update_by"] = None
    changes["last_update_at"] = now
    changes["updated_at"] = now
    changes["overdue_for"] = None

    data = {
        "stage": stage.key,
        "department": stage.department,
        "status": value("status"),
        "previous_status": current.value,
        "reason": value("reason"),
        "expected_finish_at": iso(value("expected_finish_at")),
        "next_update_by": iso(value("next_update_by")),
        "customer_note": value("customer_note"),
        "internal_note": value("internal_note"),
        "assignee": value("assignee"),
        # Which notes this update wrote: the others are the stage's standing notes, repeated.
        "notes_changed": sorted(name for name in said if name.endswith("_note")),
    }
    events = [] if transition is None else [Announcement(transition, data, stage.department)]
    return StageStep(
        changes=changes,
        events=events,
        fallback=Announcement("order.updated", {**data, "changes": said}, stage.department),
        stage_revision=revision,
        completed=target is StageStatus.DONE and transition is not None,
    )


def releases(stages: Sequence[L], now: datetime) -> list[tuple[L, dict[str, Any], Announcement]]:
    """The pending stages that everything they wait for now lets start, in the order's order."""
    status = {s.key: StageStatus(s.status) for s in stages}
    found: list[tuple[L, dict[str, Any], Announcement]] = []
    for stage in stages:
        if ready_after(status[stage.key], [status[d] for d in stage.depends_on]):
            status[stage.key] = StageStatus.READY
            data = {
                "stage": stage.key,
                "department": stage.department,
                "status": "ready",
                "after": [d for d in stage.depends_on if status[d] in SATISFIED],
            }
            changes = {"status": StageStatus.READY.value, "ready_at": now, "updated_at": now}
            found.append((stage, changes, Announcement("stage.ready", data, stage.department)))
    return found
