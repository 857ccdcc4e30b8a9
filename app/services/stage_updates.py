"""The technician's use case: one update to one stage of one order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.domain.access import Principal, require_stage_access
from app.domain.calendar import ALWAYS
from app.domain.errors import Conflict, InvalidTransition, NotFound, field_error
from app.domain.order_state import OrderState
from app.domain.stage_machine import SATISFIED, TERMINAL, StageStatus, check_transition, ready_after
from app.models.common import Money
from app.models.order import OrderPublic, StageUpdateIn
from app.repositories.orders import StageRecord
from app.services.acknowledgements import last_acknowledgement
from app.services.durations import durations_for, record_finished_stage
from app.services.flows import FlowDefinition, load_flow
from app.services.order_changes import OrderChange, check_version, commit_change, iso, load_order
from app.services.order_view import status_view
from app.settings_view import ViewSettings

#: Clocks differ between a technician's tool and this server; this much "past" is tolerated.
CLOCK_SKEW = timedelta(minutes=2)


def _check_reason(flow: FlowDefinition, reason: str | None) -> None:
    if reason is not None and reason not in flow.reasons:
        raise field_error(
            "reason",
            f"unknown reason code '{reason}'; "
            f"allowed for flow '{flow.key}': {', '.join(sorted(flow.reasons))}",
            "unknown_reason",
        )


def _check_money(field: str, money: Money | None, currency: str) -> None:
    if money is not None and money.currency != currency:
        raise field_error(field, f"{field} is in {money.currency} but this order is in {currency}")


def _check_future(field: str, moment: datetime | None, now: datetime) -> None:
    if moment is not None and moment < now - CLOCK_SKEW:
        raise field_error(field, f"{field} {iso(moment)} is in the past (now is {iso(now)})")


def _find_stage(stages: list[StageRecord], key: str, reference: str) -> StageRecord:
    for stage in stages:
        if stage.key == key:
            return stage
    raise NotFound(
        f"order '{reference}' has no stage '{key}'; its stages: {', '.join(s.key for s in stages)}"
    )


def apply_stage_update(
    session: Session,
    reference: str,
    stage_key: str,
    body: StageUpdateIn,
    principal: Principal,
    now: datetime,
    view: ViewSettings,
) -> OrderPublic:
    order, stages = load_order(session, reference, lock=True)
    stage = _find_stage(stages, stage_key, reference)
    require_stage_access(principal, department=stage.department, stage_key=stage.key)
    check_version(order, body.expected_version)
    if order.state == OrderState.CANCELLED:
        raise Conflict(
            f"order '{reference}' is cancelled; its stages can no longer change", current_state="cancelled"
        )

    flow = load_flow(session, order.flow_key)
    _check_reason(flow, body.reason)
    _check_money("cost_estimate", body.cost_estimate, order.currency)
    _check_money("cost_actual", body.cost_actual, order.currency)
    _check_future("expected_finish_at", body.expected_finish_at, now)
    _check_future("next_update_by", body.next_update_by, now)

    # Learned durations move slowly; a few seconds' staleness from another replica is harmless,
    # and a finish recorded here invalidates this process's copy at once.
    durations = durations_for(session, flow, view.learned_min_samples, cached=True)
    change = OrderChange(order, stages, durations, principal, now, view.significance)
    change.snapshot()
    change.cause_stage = stage
    change.cause_reason = body.reason or stage.reason

    current = StageStatus(stage.status)
    target = StageStatus(body.status) if body.status is not None else None
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
        if target is StageStatus.BLOCKED and body.reason is None:
            raise field_error(
                "reason",
                f"a block needs a reason code; allowed: {', '.join(sorted(flow.reasons))}",
                "missing",
            )
    revising = body.expected_finish_at is not None or body.remaining_minutes is not None
    final_status = target or current
    if final_status in TERMINAL and (revising or body.next_update_by is not None):
        raise Conflict(
            f"stage '{stage.key}' is {final_status.value}; its finish can no longer be revised",
            current_status=current.value,
        )

    previous_status = current
    changed: dict[str, Any] = {}
    if transition is not None and target is not None:
        stage.status = target.value
        if target is StageStatus.IN_PROGRESS and stage.started_at is None:
            stage.started_at = now
        if target is StageStatus.IN_PROGRESS and current is StageStatus.BLOCKED:
            stage.reason = None
        if target in (StageStatus.DONE, StageStatus.SKIPPED):
            stage.finished_at = now
            stage.next_update_by = None
    if body.reason is not None:
        stage.reason = body.reason
    if revising:
        # Remaining minutes are working minutes of the stage's calendar.
        calendar = durations[stage.key].calendar if stage.key in durations else ALWAYS
        new_finish = body.expected_finish_at or calendar.add(now, body.remaining_minutes or 0)
        if new_finish != stage.expected_finish_at:
            change.stage_revision = (stage.expected_finish_at, new_finish)
            stage.expected_finish_at = new_finish
            stage.revised_at = now
    if body.cost_estimate is not None:
        stage.estimate_amount = body.cost_estimate.amount
    if body.cost_actual is not None:
        stage.actual_amount = body.cost_actual.amount
    for name in ("internal_note", "customer_note", "assignee", "next_update_by"):
        if name in body.model_fields_set:
            value = getattr(body, name)
            if value != getattr(stage, name):
                changed[name] = iso(value) if isinstance(value, datetime) else value
                setattr(stage, name, value)
    if "next_update_by" not in body.model_fields_set and stage.next_update_by is not None:
        # This update is the word that was promised by then; a new deadline needs saying again.
        changed["next_update_by"] = None
        stage.next_update_by = None
    stage.last_update_at = now
    stage.updated_at = now
    stage.overdue_for = None

    stage_data = {
        **change.common(),
        "stage": stage.key,
        "department": stage.department,
        "status": stage.status,
        "previous_status": previous_status.value,
        "reason": stage.reason,
        "expected_finish_at": iso(stage.expected_finish_at),
        "next_update_by": iso(stage.next_update_by),
        "customer_note": stage.customer_note,
        "internal_note": stage.internal_note,
        "assignee": stage.assignee,
        # Which notes this update wrote: the others are the stage's standing notes, repeated.
        "notes_changed": sorted(name for name in changed if name.endswith("_note")),
    }
    if transition is not None:
        change.add(transition, stage_data, department=stage.department)
        _release_dependants(change, stages, now)
    if target is StageStatus.DONE:
        # Learned in the same transaction as the finish: both happen, or neither.
        record_finished_stage(session, flow.key, stage, now)
    change.fallback = ("order.updated", {**stage_data, "changes": changed})
    commit_change(session, change)
    told = last_acknowledgement(session, order)
    return status_view(order, stages, flow, durations, now, view.zone, told, derived=change.after)


def _release_dependants(change: OrderChange, stages: list[StageRecord], now: datetime) -> None:
    status = {s.key: StageStatus(s.status) for s in stages}
    for stage in stages:
        if ready_after(StageStatus(stage.status), [status[d] for d in stage.depends_on]):
            stage.status = StageStatus.READY.value
            stage.ready_at = now
            stage.updated_at = now
            status[stage.key] = StageStatus.READY
            change.add(
                "stage.ready",
                {
                    **change.common(),
                    "stage": stage.key,
                    "department": stage.department,
                    "status": "ready",
                    "after": [d for d in stage.depends_on if status[d] in SATISFIED],
                },
                department=stage.department,
            )
