"""From stored rows to what the desk sees: derived state, ETA, costs and the status view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.domain.costs import CostRollup, StageCost, roll_up
from app.domain.eta import Basis, Eta, StageTiming, compute_eta
from app.domain.order_state import OrderState, derive_state, is_at_risk
from app.domain.stage_machine import CURRENT, StageStatus
from app.domain.texts import HeadlineStage, customer_message, pick_headline
from app.models.common import Money
from app.models.desk import AcknowledgementPublic
from app.models.order import (
    CostPublic,
    CustomerPublic,
    EtaPublic,
    OrderPublic,
    OrderSummary,
    StagePublic,
)
from app.services.durations import Duration
from app.services.flows import FlowDefinition
from app.services.order_repo import OrderRecord, StageRecord


@dataclass(frozen=True)
class Derived:
    eta: Eta
    state: OrderState
    at_risk: bool
    costs: CostRollup


def timing_of(stage: StageRecord, duration: Duration | None) -> StageTiming:
    likely = duration.likely_minutes if duration else float(stage.planned_minutes)
    latest = duration.latest_minutes if duration else float(stage.planned_minutes)
    basis = duration.basis if duration else Basis.PLAN
    return StageTiming(
        key=stage.key,
        depends_on=tuple(stage.depends_on),
        status=StageStatus(stage.status),
        likely_minutes=likely,
        latest_minutes=latest,
        duration_basis=basis,
        started_at=stage.started_at,
        finished_at=stage.finished_at,
        revised_finish_at=stage.expected_finish_at,
    )


def derive(
    order: OrderRecord,
    stages: Sequence[StageRecord],
    durations: Mapping[str, Duration],
    now: datetime,
) -> Derived:
    ordered = sorted(stages, key=lambda s: s.position)
    eta = compute_eta([timing_of(s, durations.get(s.key)) for s in ordered], [s.key for s in ordered], now)
    state = derive_state(
        cancelled=order.state == OrderState.CANCELLED,
        stage_statuses=[StageStatus(s.status) for s in stages],
        eta_likely_at=eta.likely_at,
        promised_at=order.promised_at,
        now=now,
    )
    costs = roll_up(
        order.quoted_amount,
        [
            StageCost(StageStatus(s.status), s.planned_amount, s.estimate_amount, s.actual_amount)
            for s in stages
        ],
    )
    return Derived(eta=eta, state=state, at_risk=is_at_risk(state), costs=costs)


def store_derived(order: OrderRecord, derived: Derived) -> None:
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


def current_stage_keys(stages: Sequence[StageRecord]) -> list[str]:
    return [s.key for s in sorted(stages, key=lambda s: s.position) if StageStatus(s.status) in CURRENT]


def is_overdue(stage: StageRecord, now: datetime) -> bool:
    if StageStatus(stage.status) not in (StageStatus.IN_PROGRESS, StageStatus.BLOCKED, StageStatus.READY):
        return False
    deadlines = [d for d in (stage.next_update_by, stage.expected_finish_at) if d is not None]
    return any(d < now for d in deadlines)


def _money(amount: Decimal | None, currency: str) -> Money | None:
    return Money.of(amount, currency)


def _over_quote_percent(costs: CostRollup) -> float:
    if costs.quoted == 0:
        return 0.0
    return round(float((costs.estimated - costs.quoted) / costs.quoted * 100), 2)


def status_view(
    order: OrderRecord,
    stages: Sequence[StageRecord],
    flow: FlowDefinition,
    durations: Mapping[str, Duration],
    now: datetime,
    zone: ZoneInfo,
    last_acknowledgement: AcknowledgementPublic | None = None,
) -> OrderPublic:
    derived = derive(order, stages, durations, now)
    ordered = sorted(stages, key=lambda s: s.position)
    cur = order.currency
    stage_views: list[StagePublic] = []
    for s in ordered:
        estimate = derived.eta.stages.get(s.key)
        reason = flow.reasons.get(s.reason) if s.reason else None
        stage_views.append(
            StagePublic(
                key=s.key,
                name=s.name,
                department=s.department,
                status=StageStatus(s.status),
                depends_on=list(s.depends_on),
                reason=s.reason,
                reason_text=dict(reason.label) if reason else None,
                planned_minutes=s.planned_minutes,
                expected_finish_at=estimate.likely_at if estimate else None,
                latest_finish_at=estimate.latest_at if estimate else None,
                estimate_basis=estimate.basis.value if estimate else "plan",
                revised_finish_at=s.expected_finish_at,
                next_update_by=s.next_update_by,
                overdue=is_overdue(s, now),
                started_at=s.started_at,
                finished_at=s.finished_at,
                planned_cost=_money(s.planned_amount, cur),
                cost_estimate=_money(s.estimate_amount, cur),
                cost_actual=_money(s.actual_amount, cur),
                assignee=s.assignee,
                internal_note=s.internal_note,
                customer_note=s.customer_note,
                updated_at=s.updated_at,
            )
        )
    closed = derived.state in (OrderState.DONE, OrderState.CANCELLED)
    likely = None if derived.state is OrderState.CANCELLED else derived.eta.likely_at
    latest = None if derived.state is OrderState.CANCELLED else derived.eta.latest_at
    past_promise = None
    if likely is not None:
        past_promise = int((likely - order.promised_at).total_seconds() // 60)
    headline = pick_headline(
        [
            HeadlineStage(s.key, s.name, StageStatus(s.status), s.reason, flow.texts_for(s.key))
            for s in ordered
        ]
    )
    message = customer_message(
        state=derived.state,
        headline=headline,
        eta_likely_at=likely,
        promised_at=order.promised_at,
        reasons=flow.reasons,
        zone=zone,
    )
    return OrderPublic(
        reference=order.reference,
        flow=order.flow_key,
        customer=CustomerPublic(name=order.customer_name, contact=order.customer_contact),
        state=derived.state.value,
        at_risk=derived.at_risk,
        version=order.version,
        promised_at=order.promised_at,
        eta=EtaPublic(
            likely_at=likely,
            latest_at=latest,
            basis="actual" if closed else derived.eta.basis.value,
            minutes_past_promise=past_promise,
            critical_path=[] if closed else derived.eta.critical_path,
        ),
        current_stages=current_stage_keys(stages),
        stages=stage_views,
        cost=CostPublic(
            quoted=Money(amount=derived.costs.quoted, currency=cur),
            estimated=Money(amount=derived.costs.estimated, currency=cur),
            actual=Money(amount=derived.costs.actual, currency=cur),
            over_quote_percent=_over_quote_percent(derived.costs),
        ),
        customer_message=message,
        cancel_reason=order.cancel_reason,
        last_acknowledgement=last_acknowledgement,
        created_at=order.created_at,
        updated_at=order.updated_at,
    )


def summary(order: OrderRecord, current: list[str], now: datetime) -> OrderSummary:
    state = order.state
    if state in (OrderState.OPEN, OrderState.AT_RISK) and now > order.promised_at:
        state = OrderState.LATE.value
    return OrderSummary(
        reference=order.reference,
        flow=order.flow_key,
        customer=CustomerPublic(name=order.customer_name, contact=order.customer_contact),
        state=state,
        at_risk=order.at_risk or state == OrderState.LATE,
        version=order.version,
        promised_at=order.promised_at,
        eta_likely_at=order.eta_likely_at,
        eta_latest_at=order.eta_latest_at,
        current_stages=current,
        updated_at=order.updated_at,
    )
