"""From stored rows and what derivation says of them to the status view the desk reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.domain.calendar import ALWAYS, closed_promises
from app.domain.costs import CostRollup
from app.domain.derivation import Derived, current_stage_keys, derive, is_overdue, minutes_between
from app.domain.durations import StageDurations
from app.domain.order_state import CLOSED, OrderState
from app.domain.significance import Significance, cost_change_to_tell
from app.domain.stage_machine import StageStatus
from app.domain.texts import HeadlineStage, customer_message, latest_reason, pick_headline
from app.models.common import Money
from app.models.desk import AcknowledgementPublic
from app.models.order import (
    CostPublic,
    CustomerPublic,
    EtaPublic,
    OrderPublic,
    OrderSummary,
    OrderWarning,
    StagePublic,
)
from app.repositories.orders import OrderRecord, StageRecord
from app.services.flows import FlowDefinition


def _display_names(flow: FlowDefinition, key: str) -> dict[str, str]:
    spec = flow.stages.get(key)
    if spec is None or spec.display_name is None:
        return {}
    return spec.display_name.model_dump()


def _cost_to_say(order: OrderRecord, derived: Derived, rule: Significance) -> tuple[Decimal, str] | None:
    """The new cost, when it is above what the customer was last told by more than the threshold."""
    costs = derived.costs
    if not cost_change_to_tell(order.told_amount, costs.estimated, costs.quoted, rule):
        return None
    return costs.estimated, order.currency


def _money(amount: Decimal | None, currency: str) -> Money | None:
    return Money.of(amount, currency)


def _over_quote_percent(costs: CostRollup) -> float:
    if costs.quoted == 0:
        return 0.0
    return round(float((costs.estimated - costs.quoted) / costs.quoted * 100), 2)


def promise_warnings(
    order: OrderRecord,
    stages: Sequence[StageRecord],
    durations: Mapping[str, StageDurations],
    zone: ZoneInfo,
) -> list[OrderWarning]:
    """A promise due while a stage the order ends with cannot be worked on (its calendar closed)."""
    needed = {d for s in stages for d in s.depends_on}
    last = {
        s.key: (durations[s.key].calendar if s.key in durations else ALWAYS)
        for s in stages
        if s.key not in needed
    }
    return [
        OrderWarning(
            code="promise_outside_working_time",
            message=closed.message(order.promised_at, zone),
            calendar=closed.calendar,
            next_opening=closed.next_opening,
        )
        for closed in closed_promises(order.promised_at, last)
    ]


def status_view(
    order: OrderRecord,
    stages: Sequence[StageRecord],
    flow: FlowDefinition,
    durations: Mapping[str, StageDurations],
    now: datetime,
    zone: ZoneInfo,
    last_acknowledgement: AcknowledgementPublic | None = None,
    derived: Derived | None = None,
    rule: Significance | None = None,
) -> OrderPublic:
    """The status view; ``derived`` may pass in what a use case just computed for the same moment."""
    if derived is None:
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
                overdue=is_overdue(s, now, durations.get(s.key)),
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
    eta = eta_public(order, derived)
    headlines = [
        HeadlineStage(
            s.key,
            s.name,
            StageStatus(s.status),
            s.reason,
            flow.texts_for(s.key),
            s.updated_at,
            _display_names(flow, s.key),
        )
        for s in ordered
    ]
    headline = pick_headline(headlines)
    message = customer_message(
        state=derived.state,
        headline=headline,
        eta_likely_at=eta.likely_at,
        promised_at=order.promised_at,
        reasons=flow.reasons,
        zone=zone,
        reason=latest_reason(headlines, headline),
        cost=_cost_to_say(order, derived, rule or Significance(zone=zone)),
        now=now,
    )
    return OrderPublic(
        reference=order.reference,
        flow=order.flow_key,
        customer=CustomerPublic(name=order.customer_name, contact=order.customer_contact),
        state=derived.state.value,
        at_risk=derived.at_risk,
        version=order.version,
        promised_at=order.promised_at,
        eta=eta,
        current_stages=current_stage_keys(stages),
        stages=stage_views,
        cost=cost_public(order, derived),
        customer_message=message,
        cancel_reason=order.cancel_reason,
        last_acknowledgement=last_acknowledgement,
        warnings=[] if derived.state in CLOSED else promise_warnings(order, stages, durations, zone),
        created_at=order.created_at,
        updated_at=order.updated_at,
    )


def eta_public(order: OrderRecord, derived: Derived) -> EtaPublic:
    closed = derived.state in CLOSED
    cancelled = derived.state is OrderState.CANCELLED
    likely = None if cancelled else derived.eta.likely_at
    latest = None if cancelled else derived.eta.latest_at
    return EtaPublic(
        likely_at=likely,
        latest_at=latest,
        basis="actual" if closed else derived.eta.basis.value,
        minutes_past_promise=None if likely is None else minutes_between(order.promised_at, likely),
        critical_path=[] if closed else derived.eta.critical_path,
    )


def cost_public(order: OrderRecord, derived: Derived) -> CostPublic:
    cur = order.currency
    return CostPublic(
        quoted=Money(amount=derived.costs.quoted, currency=cur),
        estimated=Money(amount=derived.costs.estimated, currency=cur),
        actual=Money(amount=derived.costs.actual, currency=cur),
        over_quote_percent=_over_quote_percent(derived.costs),
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
