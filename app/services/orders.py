"""Order use cases: create, change the promise, cancel; and the reads the desk makes."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_
from sqlmodel import Session, col, select

from app.domain.access import Principal
from app.domain.errors import Conflict, NotFound, Unprocessable
from app.domain.order_state import OrderState
from app.domain.stage_machine import CURRENT, TERMINAL, StageStatus
from app.models.order import Order, OrderCreate, OrderPatch, OrderPublic, OrderStage, OrderSummary
from app.services.durations import durations_for
from app.services.flows import load_flow
from app.services.order_changes import OrderChange, check_version, commit_change, iso, load_order
from app.services.order_view import current_stage_keys, status_view, summary
from app.settings_view import ViewSettings


def create_order(
    session: Session, body: OrderCreate, principal: Principal, now: datetime, view: ViewSettings
) -> OrderPublic:
    try:
        flow = load_flow(session, body.flow)
    except NotFound as exc:
        raise Unprocessable(
            exc.detail, errors=[{"loc": ["body", "flow"], "msg": exc.detail, "type": "unknown_flow"}]
        ) from exc
    existing = session.exec(select(Order.id).where(Order.reference == body.reference)).first()
    if existing is not None:
        raise Conflict(f"an order with reference '{body.reference}' already exists", reference=body.reference)
    currency = body.quoted_cost.currency
    for stage in flow.stages.values():
        if stage.planned_cost and stage.planned_cost.currency != currency:
            raise Unprocessable(
                f"the quote is in {currency} but flow '{flow.key}' plans stage '{stage.key}' in "
                f"{stage.planned_cost.currency}; quote in {stage.planned_cost.currency}"
            )
    order = Order(
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
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    session.flush()
    stages: list[OrderStage] = []
    for position, key in enumerate(flow.order):
        spec = flow.stages[key]
        ready = not spec.depends_on
        stages.append(
            OrderStage(
                order_id=order.id,  # type: ignore[arg-type]
                key=key,
                name=spec.name,
                department=spec.department,
                position=position,
                depends_on=list(spec.depends_on),
                status=(StageStatus.READY if ready else StageStatus.PENDING).value,
                planned_minutes=spec.planned_minutes,
                planned_amount=spec.planned_cost.amount if spec.planned_cost else None,
                ready_at=now if ready else None,
                updated_at=now,
            )
        )
    durations = durations_for(session, flow, view.learned_min_samples)
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
    return status_view(order, stages, flow, durations, now, view.zone)


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
    durations = durations_for(session, flow, view.learned_min_samples)
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
    return status_view(order, stages, flow, durations, now, view.zone)


def get_status_view(session: Session, reference: str, now: datetime, view: ViewSettings) -> OrderPublic:
    order, stages = load_order(session, reference)
    flow = load_flow(session, order.flow_key)
    durations = durations_for(session, flow, view.learned_min_samples, cached=True)
    return status_view(order, stages, flow, durations, now, view.zone)


# --- listing -------------------------------------------------------------------------------

LIST_STATES = ("open", "at_risk", "late", "done", "cancelled")


@dataclass(frozen=True)
class OrderFilters:
    states: tuple[str, ...] = ()
    at_risk: bool | None = None
    department: str | None = None
    stage: str | None = None
    text: str | None = None


def encode_cursor(order_id: int) -> str:
    return base64.urlsafe_b64encode(f"o:{order_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "o":
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise Unprocessable(
            "cursor is not one this service gave out; pass next_cursor from the previous page unchanged",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "value_error"}],
        ) from exc


def list_orders(
    session: Session, filters: OrderFilters, *, limit: int, cursor: str | None, now: datetime
) -> tuple[list[OrderSummary], str | None]:
    """Newest first, keyed on the id: orders added while paging never shift a page."""
    query = select(Order)
    if cursor:
        query = query.where(col(Order.id) < decode_cursor(cursor))
    open_states = (OrderState.OPEN.value, OrderState.AT_RISK.value)
    if filters.states:
        clauses: list[ColumnElement[bool]] = []
        for state in filters.states:
            if state == "late":
                clauses.append(col(Order.state).in_(open_states) & (col(Order.promised_at) < now))
            elif state in open_states:
                clauses.append((col(Order.state) == state) & (col(Order.promised_at) >= now))
            else:
                clauses.append(col(Order.state) == state)
        query = query.where(or_(*clauses))
    if filters.at_risk is not None:
        risky = col(Order.at_risk) | (col(Order.state).in_(open_states) & (col(Order.promised_at) < now))
        query = query.where(risky if filters.at_risk else ~risky)
    current = [s.value for s in CURRENT]
    if filters.department or filters.stage:
        sub = select(OrderStage.id).where(
            col(OrderStage.order_id) == col(Order.id), col(OrderStage.status).in_(current)
        )
        if filters.department:
            sub = sub.where(OrderStage.department == filters.department)
        if filters.stage:
            sub = sub.where(OrderStage.key == filters.stage)
        query = query.where(exists(sub))
    if filters.text:
        needle = f"%{filters.text.lower()}%"
        query = query.where(
            or_(func.lower(Order.reference).like(needle), func.lower(Order.customer_name).like(needle))
        )
    rows = list(session.exec(query.order_by(col(Order.id).desc()).limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r.id for r in rows]
    currents: dict[int, list[OrderStage]] = {i: [] for i in ids if i is not None}
    if ids:
        for stage in session.exec(
            select(OrderStage).where(col(OrderStage.order_id).in_(ids), col(OrderStage.status).in_(current))
        ).all():
            currents[stage.order_id].append(stage)
    items = [summary(o, current_stage_keys(currents.get(o.id or 0, [])), now) for o in rows]
    next_cursor = encode_cursor(rows[-1].id) if more and rows[-1].id is not None else None
    return items, next_cursor
