"""Order use cases: create, change the promise, cancel; and the reads the desk makes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.db import Session
from app.domain.access import Principal
from app.domain.durations import StageDurations
from app.domain.errors import Conflict, NotFound, Unprocessable
from app.domain.order_news import iso
from app.domain.order_state import OrderState
from app.domain.paging import decode_cursor, encode_cursor
from app.domain.stage_machine import TERMINAL, StageStatus
from app.events.queries import order_events_page
from app.models.order import OrderCreate, OrderPatch, OrderPublic, OrderSummary
from app.repositories.orders import OrderRecord, StageRecord, insert_order, order_id_of
from app.repositories.orders.lists import OrderFilters as OrderFilters
from app.repositories.orders.lists import current_stage_keys, order_rows
from app.services.acknowledgements import last_acknowledgement
from app.services.durations import durations_for
from app.services.flows import FlowDefinition, load_flow
from app.services.order_changes import OrderChange, check_version, commit_change, load_order
from app.services.order_view import status_view, summary
from app.settings_view import ViewSettings


def create_order(
    session: Session, body: OrderCreate, principal: Principal, now: datetime, view: ViewSettings
) -> OrderPublic:
    order, stages, flow, durations = add_order(session, body, principal, now, view)
    return status_view(order, stages, flow, durations, now, view.zone, rule=view.significance)


def add_order(
    session: Session, body: OrderCreate, principal: Principal, now: datetime, view: ViewSettings
) -> tuple[OrderRecord, list[StageRecord], FlowDefinition, dict[str, StageDurations]]:
    """Create the order and its events; the status view is left to the caller that answers with it
    (an import of thousands of orders answers with none)."""
    try:
        flow = load_flow(session, body.flow)
    except NotFound as exc:
        raise Unprocessable(
            exc.detail, errors=[{"loc": ["body", "flow"], "msg": exc.detail, "type": "unknown_flow"}]
        ) from exc
    if order_id_of(session, body.reference) is not None:
        raise Conflict(f"an order with reference '{body.reference}' already exists", reference=body.reference)
    currency = body.quoted_cost.currency
    for spec in flow.stages.values():
        if spec.planned_cost and spec.planned_cost.currency != currency:
            raise Unprocessable(
                f"the quote is in {currency} but flow '{flow.key}' plans stage '{spec.key}' in "
                f"{spec.planned_cost.currency}; quote in {spec.planned_cost.currency}"
            )
    order = OrderRecord(
        id=None,
        reference=body.reference,
        flow_key=flow.key,
        customer_name=body.customer.name,
        customer_contact=body.customer.contact,
        promised_at=body.promised_at,
        currency=currency,
        quoted_amount=body.quoted_cost.amount,
        estimated_amount=body.quoted_cost.amount,
        actual_amount=body.quoted_cost.amount * 0,
        state=OrderState.OPEN.value,
        at_risk=False,
        eta_likely_at=None,
        eta_latest_at=None,
        eta_basis="plan",
        recheck_at=None,
        cancel_reason=None,
        told_likely_at=None,
        told_amount=body.quoted_cost.amount,
        version=1,
        created_at=now,
        updated_at=now,
    )
    stages: list[StageRecord] = []
    for position, key in enumerate(flow.order):
        spec = flow.stages[key]
        ready = not spec.depends_on
        stages.append(
            StageRecord(
                id=None,
                order_id=0,
                key=key,
                name=spec.name,
                department=spec.department,
                position=position,
                depends_on=list(spec.depends_on),
                status=(StageStatus.READY if ready else StageStatus.PENDING).value,
                planned_minutes=spec.planned_minutes,
                planned_amount=spec.planned_cost.amount if spec.planned_cost else None,
                estimate_amount=None,
                actual_amount=None,
                expected_finish_at=None,
                next_update_by=None,
                ready_at=now if ready else None,
                started_at=None,
                finished_at=None,
                reason=None,
                assignee=None,
                internal_note=None,
                customer_note=None,
                last_update_at=None,
                overdue_for=None,
                revised_at=None,
                updated_at=now,
            )
        )
    insert_order(session, order, stages)
    durations = durations_for(session, flow, view.learned_min_samples, cached=True)
    change = OrderChange(order, stages, durations, principal, now, view.significance, initial=True)
    change.add(
        "order.created",
        {
            **change.common(),
            "flow": flow.key,
            "customer": body.customer.name,
            "promised_at": iso(body.promised_at),
            "quoted_cost": body.quoted_cost.model_dump(mode="json"),
        },
    )
    for row in stages:
        if row.status == StageStatus.READY:
            change.add(
                "stage.ready",
                {**change.common(), "stage": row.key, "department": row.department, "status": "ready"},
                department=row.department,
            )
    commit_change(session, change, bump_version=False)
    return order, stages, flow, durations


def order_exists(session: Session, reference: str) -> bool:
    return order_id_of(session, reference) is not None


def patch_order(
    session: Session,
    reference: str,
    body: OrderPatch,
    if_match: int,
    principal: Principal,
    now: datetime,
    view: ViewSettings,
) -> OrderPublic:
    order, stages = load_order(session, reference, lock=True)
    check_version(order, if_match)
    if order.state in (OrderState.CANCELLED, OrderState.DONE):
        raise Conflict(
            f"order '{reference}' is {order.state}; it can no longer be changed", current_state=order.state
        )
    flow = load_flow(session, order.flow_key)
    durations = durations_for(session, flow, view.learned_min_samples, cached=True)
    change = OrderChange(order, stages, durations, principal, now, view.significance)
    change.snapshot()
    if body.promised_at is not None and body.promised_at != order.promised_at:
        previous = order.promised_at
        order.promised_at = body.promised_at
        change.promise_change = (previous, body.promised_at)
        change.add(
            "order.updated",
            {
                **change.common(),
                "changes": {"promised_at": {"from": iso(previous), "to": iso(body.promised_at)}},
                "promised_at": iso(body.promised_at),
            },
        )
    if body.cancel:
        order.state = OrderState.CANCELLED.value
        order.cancel_reason = body.cancel_reason
        for stage in stages:
            if StageStatus(stage.status) not in TERMINAL:
                stage.status = StageStatus.CANCELLED.value
                stage.finished_at = now
                stage.updated_at = now
        change.add("order.cancelled", {**change.common(), "reason": body.cancel_reason})
    if not change.events:
        raise Unprocessable("nothing changed: the promise is already that date")
    commit_change(session, change)
    told = last_acknowledgement(session, order)
    return status_view(order, stages, flow, durations, now, view.zone, told, rule=view.significance)


def get_status_view(session: Session, reference: str, now: datetime, view: ViewSettings) -> OrderPublic:
    order, stages = load_order(session, reference)
    flow = load_flow(session, order.flow_key)
    told = last_acknowledgement(session, order)
    durations = durations_for(session, flow, view.learned_min_samples, cached=True)
    return status_view(order, stages, flow, durations, now, view.zone, told, rule=view.significance)


# --- listing -------------------------------------------------------------------------------

LIST_STATES = ("open", "at_risk", "late", "done", "cancelled")


def timeline(session: Session, reference: str, *, after: int, limit: int, source: str) -> dict[str, Any]:
    order, _ = load_order(session, reference)
    return order_events_page(session, order.id, after=after, limit=limit, source=source)


def list_orders(
    session: Session, filters: OrderFilters, *, limit: int, cursor: str | None, now: datetime
) -> tuple[list[OrderSummary], str | None]:
    """Newest first, keyed on the id: orders added while paging never shift a page."""
    rows, next_cursor = order_page(session, filters, limit=limit, cursor=cursor, now=now)
    return summaries(session, rows, now), next_cursor


def order_page(
    session: Session, filters: OrderFilters, *, limit: int, cursor: str | None, now: datetime
) -> tuple[list[OrderRecord], str | None]:
    """The rows of one page of the list (the list and the CSV export share the filters)."""
    rows = order_rows(session, filters, before=decode_cursor(cursor), limit=limit + 1, now=now)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].id) if more and rows[-1].id is not None else None
    return rows, next_cursor


def summaries(session: Session, rows: Sequence[OrderRecord], now: datetime) -> list[OrderSummary]:
    """Summaries of several orders, with their current stages read in one query."""
    currents = current_stage_keys(session, [r.id for r in rows if r.id is not None])
    return [summary(o, currents.get(o.id or 0, []), now) for o in rows]
