"""The technician's use case: one update to one stage of one order.

Load under lock, authorize, apply the pure step of app/domain/stage_transition.py, save, append.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Literal, overload

from app.db import Session
from app.domain.access import Principal, require_stage_access
from app.domain.calendar import ALWAYS
from app.domain.errors import Conflict, NotFound
from app.domain.order_state import OrderState
from app.domain.stage_machine import StageStatus
from app.domain.stage_transition import Amount, StageRules, StageUpdate, releases, step
from app.models.common import Money
from app.models.order import OrderPublic, StageUpdateIn, StageUpdateReceipt
from app.repositories.orders import StageRecord
from app.services.acknowledgements import last_acknowledgement_ahead
from app.services.durations import durations_for, record_finished_stage
from app.services.flows import load_flow
from app.services.idempotency import AnswerAtCommit
from app.services.order_changes import OrderChange, check_version, commit_change, load_order
from app.services.order_view import status_view
from app.settings_view import ViewSettings


def _find_stage(stages: list[StageRecord], key: str, reference: str) -> StageRecord:
    for stage in stages:
        if stage.key == key:
            return stage
    raise NotFound(
        f"order '{reference}' has no stage '{key}'; its stages: {', '.join(s.key for s in stages)}"
    )


def _amount(money: Money | None) -> Amount | None:
    return None if money is None else Amount(money.amount, money.currency)


def _update(body: StageUpdateIn) -> StageUpdate:
    return StageUpdate(
        status=StageStatus(body.status) if body.status is not None else None,
        reason=body.reason,
        internal_note=body.internal_note,
        customer_note=body.customer_note,
        expected_finish_at=body.expected_finish_at,
        remaining_minutes=body.remaining_minutes,
        cost_estimate=_amount(body.cost_estimate),
        cost_actual=_amount(body.cost_actual),
        next_update_by=body.next_update_by,
        assignee=body.assignee,
        given=frozenset(body.model_fields_set),
    )


@overload
def apply_stage_update(
    session: Session,
    reference: str,
    stage_key: str,
    body: StageUpdateIn,
    principal: Principal,
    now: datetime,
    view: ViewSettings,
    *,
    lean: Literal[False] = False,
) -> OrderPublic: ...


@overload
def apply_stage_update(
    session: Session,
    reference: str,
    stage_key: str,
    body: StageUpdateIn,
    principal: Principal,
    now: datetime,
    view: ViewSettings,
    *,
    lean: bool,
) -> OrderPublic | AnswerAtCommit: ...


def apply_stage_update(
    session: Session,
    reference: str,
    stage_key: str,
    body: StageUpdateIn,
    principal: Principal,
    now: datetime,
    view: ViewSettings,
    *,
    lean: bool = False,
) -> OrderPublic | AnswerAtCommit:
    """The status view after the update; with ``lean``, a receipt that names the events appended."""
    # Read with the order, in its round trip: the status view's last acknowledgement.
    told_for = last_acknowledgement_ahead(session, reference) if not lean else None
    order, stages = load_order(session, reference, lock=True)
    stage = _find_stage(stages, stage_key, reference)
    require_stage_access(principal, department=stage.department, stage_key=stage.key)
    check_version(order, body.expected_version)
    if order.state == OrderState.CANCELLED:
        raise Conflict(
            f"order '{reference}' is cancelled; its stages can no longer change", current_state="cancelled"
        )
    flow = load_flow(session, order.flow_key)
    # Learned durations move slowly; a few seconds' staleness from another replica is harmless,
    # and a finish recorded here invalidates this process's copy at once.
    durations = durations_for(session, flow, view.learned_min_samples, cached=True)
    update = _update(body)
    if update.expected_finish_at is None and update.remaining_minutes:
        # Remaining minutes are working minutes of the stage's calendar.
        calendar = durations[stage.key].calendar if stage.key in durations else ALWAYS
        update = replace(update, expected_finish_at=calendar.add(now, update.remaining_minutes))
    done = step(stage, update, now, StageRules(flow.key, flow.reasons.keys(), order.currency))
    change = OrderChange(order, stages, durations, principal, now, view.significance)
    change.snapshot()
    change.cause_stage = stage
    change.cause_reason = body.reason or stage.reason
    for name, value in done.changes.items():
        setattr(stage, name, value)
    change.stage_revision = done.stage_revision
    change.events.extend(change.told(e) for e in done.events)
    if done.events:
        for released, changes, announcement in releases(stages, now):
            for name, value in changes.items():
                setattr(released, name, value)
            change.events.append(change.told(announcement))
    if done.completed:
        # Learned in the same transaction as the finish: both happen, or neither.
        record_finished_stage(session, flow.key, stage, now)
    change.fallback = change.told(done.fallback)
    appended = commit_change(session, change)
    if lean:
        version = order.version
        return AnswerAtCommit(
            lambda: StageUpdateReceipt(reference=order.reference, version=version, events=appended.ids)
        )
    assert told_for is not None
    told = told_for(order)
    return status_view(
        order, stages, flow, durations, now, view.zone, told, derived=change.after, rule=view.significance
    )
