"""What an order says, derived from its stages and the clock: ETA, state, risk and costs.

Only the order's own facts go in (its stages' statuses, times, revisions and amounts); the
derived figures are also kept in the order's row (``store_derived``) so that lists and filters
need no computation, and what was stored last is the "before" of the next change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from app.domain.calendar import ALWAYS, WorkingCalendar
from app.domain.costs import CostRollup, StageCost, roll_up
from app.domain.durations import PLAN_LATEST_FACTOR, DurationModel, StageDurations
from app.domain.eta import Basis, Eta, StageTiming, compute_eta
from app.domain.order_state import CLOSED, RISK_RULE, OrderState, derive_state, is_at_risk
from app.domain.silence import StageSilence, next_deadline
from app.domain.silence import is_overdue as silent_past_deadline
from app.domain.stage_machine import CURRENT, StageStatus


class StageFacts(Protocol):
    """What derivation reads of a stage (a stored stage row has all of it)."""

    @property
    def key(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def depends_on(self) -> Sequence[str]: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def planned_minutes(self) -> int: ...
    @property
    def planned_amount(self) -> Decimal | None: ...
    @property
    def estimate_amount(self) -> Decimal | None: ...
    @property
    def actual_amount(self) -> Decimal | None: ...
    @property
    def ready_at(self) -> datetime | None: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def finished_at(self) -> datetime | None: ...
    @property
    def expected_finish_at(self) -> datetime | None: ...
    @property
    def revised_at(self) -> datetime | None: ...
    @property
    def last_update_at(self) -> datetime | None: ...
    @property
    def next_update_by(self) -> datetime | None: ...
    @property
    def overdue_for(self) -> datetime | None: ...


class OrderFacts(Protocol):
    """The order's own columns derivation reads, and the derived ones it keeps current."""

    promised_at: datetime
    quoted_amount: Decimal
    state: str
    at_risk: bool
    eta_likely_at: datetime | None
    eta_latest_at: datetime | None
    eta_basis: str
    estimated_amount: Decimal
    actual_amount: Decimal
    recheck_at: datetime | None


@dataclass(frozen=True)
class Derived:
    eta: Eta
    state: OrderState
    at_risk: bool
    costs: CostRollup
    #: The next moment at which time alone may change what the order says (an estimate steps,
    #: a revision or deadline lapses, the promise passes): when the sweeper looks again.
    recheck_at: datetime | None = None


def duration_model(stage: StageFacts, durations: StageDurations | None) -> DurationModel:
    if durations is None:
        return DurationModel.planned(stage.planned_minutes, PLAN_LATEST_FACTOR)
    blocked_for = stage.reason if stage.status == StageStatus.BLOCKED else None
    return durations.model(blocked_for)


def timing_of(stage: StageFacts, durations: StageDurations | None) -> StageTiming:
    return StageTiming(
        key=stage.key,
        depends_on=tuple(stage.depends_on),
        status=StageStatus(stage.status),
        duration=duration_model(stage, durations),
        ready_at=stage.ready_at,
        started_at=stage.started_at,
        finished_at=stage.finished_at,
        revised_finish_at=stage.expected_finish_at,
        revised_at=stage.revised_at,
        calendar=durations.calendar if durations is not None else ALWAYS,
    )


def silence_of(stage: StageFacts, durations: StageDurations | None) -> StageSilence:
    return StageSilence(
        key=stage.key,
        status=StageStatus(stage.status),
        last_update_at=stage.last_update_at,
        next_update_by=stage.next_update_by,
        revised_finish_at=stage.expected_finish_at,
        ready_at=stage.ready_at,
        latest_minutes=duration_model(stage, durations).latest_minutes,
        overdue_for=stage.overdue_for,
        calendar=durations.calendar if durations is not None else ALWAYS,
    )


def _recheck_at(
    order: OrderFacts,
    stages: Sequence[StageFacts],
    durations: Mapping[str, StageDurations],
    eta: Eta,
    state: OrderState,
    now: datetime,
) -> datetime | None:
    if state in CLOSED:
        return None
    moments = [eta.changes_at]
    moments.extend(next_deadline(silence_of(s, durations.get(s.key)), now) for s in stages)
    if not is_at_risk(state) and order.promised_at > now:
        moments.append(order.promised_at)
        # The promise comes near: the lower risk level applies from then on.
        near = RISK_RULE.horizon_starts(order.promised_at, _finishing_calendar(eta, durations))
        if near > now:
            moments.append(near)
    return min((m for m in moments if m is not None), default=None)


def _finishing_calendar(eta: Eta, durations: Mapping[str, StageDurations]) -> WorkingCalendar:
    """The calendar of the stage the order is expected to end with: its risk is read in it."""
    last = eta.critical_path[-1] if eta.critical_path else None
    stage = durations.get(last) if last is not None else None
    return stage.calendar if stage is not None else ALWAYS


def derive(
    order: OrderFacts,
    stages: Sequence[StageFacts],
    durations: Mapping[str, StageDurations],
    now: datetime,
) -> Derived:
    ordered = sorted(stages, key=lambda s: s.position)
    eta = compute_eta([timing_of(s, durations.get(s.key)) for s in ordered], [s.key for s in ordered], now)
    state = derive_state(
        cancelled=order.state == OrderState.CANCELLED,
        stage_statuses=[StageStatus(s.status) for s in stages],
        eta_likely_at=eta.likely_at,
        eta_latest_at=eta.latest_at,
        promised_at=order.promised_at,
        now=now,
        calendar=_finishing_calendar(eta, durations),
    )
    costs = roll_up(
        order.quoted_amount,
        [
            StageCost(StageStatus(s.status), s.planned_amount, s.estimate_amount, s.actual_amount)
            for s in stages
        ],
    )
    return Derived(
        eta=eta,
        state=state,
        at_risk=is_at_risk(state),
        costs=costs,
        recheck_at=_recheck_at(order, ordered, durations, eta, state, now),
    )


def stored_derived(order: OrderFacts) -> Derived:
    """What the order said at its last write: the baseline for changes that time alone made."""
    return Derived(
        eta=Eta(order.eta_likely_at, order.eta_latest_at, Basis(order.eta_basis)),
        state=OrderState(order.state),
        at_risk=order.at_risk,
        costs=CostRollup(order.quoted_amount, order.estimated_amount, order.actual_amount),
        recheck_at=order.recheck_at,
    )


def store_derived(order: OrderFacts, derived: Derived) -> None:
    """Keep the derived columns current so lists and filters need no computation."""
    # "late" is not stored: it follows from promised_at and the clock when the order is read.
    order.state = (OrderState.AT_RISK if derived.state is OrderState.LATE else derived.state).value
    order.at_risk = derived.at_risk
    closed = derived.state in (OrderState.DONE, OrderState.CANCELLED)
    order.eta_likely_at = None if derived.state is OrderState.CANCELLED else derived.eta.likely_at
    order.eta_latest_at = None if derived.state is OrderState.CANCELLED else derived.eta.latest_at
    order.eta_basis = derived.eta.basis.value if not closed else "actual"
    order.estimated_amount = derived.costs.estimated
    order.actual_amount = derived.costs.actual
    order.recheck_at = derived.recheck_at


def current_stage_keys(stages: Sequence[StageFacts]) -> list[str]:
    return [s.key for s in sorted(stages, key=lambda s: s.position) if StageStatus(s.status) in CURRENT]


def is_overdue(stage: StageFacts, now: datetime, durations: StageDurations | None = None) -> bool:
    return silent_past_deadline(silence_of(stage, durations), now)


def minutes_between(earlier: datetime, later: datetime) -> int:
    """Whole minutes, rounded half away from zero, so a slip and its undoing read the same."""
    seconds = (later - earlier).total_seconds()
    return int(seconds / 60 + (0.5 if seconds >= 0 else -0.5))
