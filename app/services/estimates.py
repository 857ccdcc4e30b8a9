"""The promise ledger: what was promised, every revision of the ETA and the cost, and where the
estimate stands now."""

from __future__ import annotations

from datetime import datetime

from app.db import Session
from app.domain.derivation import derive, minutes_between
from app.models.common import Money
from app.models.ledger import EstimateRevisionPublic, PromiseLedgerPublic
from app.repositories.orders import LedgerRecord, ledger_of
from app.services.durations import durations_for
from app.services.flows import FlowDefinition, load_flow
from app.services.order_changes import load_order
from app.services.order_view import cost_public, eta_public
from app.settings_view import ViewSettings


def _entry_public(entry: LedgerRecord, currency: str, flow: FlowDefinition) -> EstimateRevisionPublic:
    reason = flow.reasons.get(entry.reason) if entry.reason else None
    past_promise = None
    if entry.kind in ("initial", "eta") and entry.new_at is not None and entry.promised_at is not None:
        past_promise = minutes_between(entry.promised_at, entry.new_at)
    return EstimateRevisionPublic(
        at=entry.at,
        kind=entry.kind,
        stage=entry.stage_key,
        reason=entry.reason,
        reason_text=dict(reason.label) if reason else None,
        actor=entry.actor,
        previous_at=entry.previous_at,
        new_at=entry.new_at,
        delta_minutes=entry.delta_minutes,
        previous_cost=Money.of(entry.previous_amount, currency),
        new_cost=Money.of(entry.new_amount, currency),
        delta_cost=Money.of(entry.delta_amount, currency),
        promised_at=entry.promised_at,
        minutes_past_promise=past_promise,
        crossed_promise=entry.crossed_promise,
        significant=entry.significant,
        event_id=entry.event_id,
    )


def promise_ledger(
    session: Session, reference: str, now: datetime, view: ViewSettings
) -> PromiseLedgerPublic:
    order, stages = load_order(session, reference)
    flow = load_flow(session, order.flow_key)
    derived = derive(order, stages, durations_for(session, flow, view.learned_min_samples, cached=True), now)
    assert order.id is not None
    return PromiseLedgerPublic(
        reference=order.reference,
        state=derived.state.value,
        at_risk=derived.at_risk,
        promised_at=order.promised_at,
        eta=eta_public(order, derived),
        cost=cost_public(order, derived),
        revisions=ledger_entries(session, order.id, order.currency, flow),
    )


def ledger_entries(
    session: Session, order_id: int, currency: str, flow: FlowDefinition, *, newest_first: bool = False
) -> list[EstimateRevisionPublic]:
    return [_entry_public(e, currency, flow) for e in ledger_of(session, order_id, newest_first=newest_first)]
