"""Requests from the desk with the stages they concern: the statements that read them, and the
claim on a lapsed one. A request is its model, added and changed through the session."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models.order import Order
from app.models.requests import DeskRequest, DeskRequestStage, RequestState


def stages_of(session: Session, request_ids: Sequence[int]) -> list[DeskRequestStage]:
    """The stages these requests concern, in the order they were written."""
    return list(
        session.exec(
            select(DeskRequestStage)
            .where(col(DeskRequestStage.request_id).in_(request_ids))
            .order_by(col(DeskRequestStage.id))
        )
    )


def stages_of_request(session: Session, request_id: int) -> list[DeskRequestStage]:
    return list(
        session.exec(
            select(DeskRequestStage)
            .where(DeskRequestStage.request_id == request_id)
            .order_by(col(DeskRequestStage.id))
        )
    )


def listed(
    session: Session,
    *,
    departments: Collection[str] | None,
    state: str | None,
    order: str | None,
    limit: int,
) -> list[tuple[DeskRequest, str, str]]:
    """Newest first: (request, order reference, customer name), of the requests concerning one of
    the departments (None: any), in that state, of that order (by reference)."""
    query = select(DeskRequest, Order.reference, Order.customer_name).join(
        Order, col(Order.id) == col(DeskRequest.order_id)
    )
    if departments is not None:
        concerning = select(DeskRequestStage.request_id).where(
            col(DeskRequestStage.department).in_(sorted(departments))
        )
        query = query.where(col(DeskRequest.id).in_(concerning))
    if state is not None:
        query = query.where(DeskRequest.state == state)
    if order is not None:
        query = query.where(Order.reference == order)
    return list(session.exec(query.order_by(col(DeskRequest.id).desc()).limit(limit)).all())


def of_order(session: Session, order_id: int | None) -> list[DeskRequest]:
    """The order's requests, newest first."""
    return list(
        session.exec(
            select(DeskRequest).where(DeskRequest.order_id == order_id).order_by(col(DeskRequest.id).desc())
        ).all()
    )


def unanswered(session: Session) -> list[tuple[int, int | None, datetime | None, str]]:
    """(order id, request id, answer by, department) for each stage an open request still waits on."""
    return list(
        session.exec(
            select(DeskRequest.order_id, DeskRequest.id, DeskRequest.answer_by, DeskRequestStage.department)
            .join(DeskRequestStage, col(DeskRequestStage.request_id) == col(DeskRequest.id))
            .where(DeskRequest.state == RequestState.OPEN.value, col(DeskRequestStage.answered_at).is_(None))
        ).all()
    )


def open_asks(session: Session, departments: Collection[str] | None) -> list[tuple[DeskRequest, str]]:
    """(request, stage key) for each stage an open request still waits on, oldest request first;
    only the stages of these departments (None: all)."""
    query = (
        select(DeskRequest, col(DeskRequestStage.stage_key))
        .join(DeskRequestStage, col(DeskRequestStage.request_id) == col(DeskRequest.id))
        .where(DeskRequest.state == RequestState.OPEN.value, col(DeskRequestStage.answered_at).is_(None))
        .order_by(col(DeskRequest.id))
    )
    if departments is not None:
        query = query.where(col(DeskRequestStage.department).in_(sorted(departments)))
    return list(session.exec(query).all())


def _lapsed(now: datetime, limit: int) -> Any:
    return (
        select(DeskRequest)
        .where(
            DeskRequest.state == RequestState.OPEN.value,
            col(DeskRequest.answer_by) <= now,
            col(DeskRequest.overdue_raised).is_(False),
        )
        .order_by(col(DeskRequest.answer_by), col(DeskRequest.id))
        .limit(limit)
    )


def any_lapsed(session: Session, now: datetime) -> bool:
    return session.exec(_lapsed(now, 1)).first() is not None


def lapsed(session: Session, now: datetime, limit: int) -> list[DeskRequest]:
    """Up to ``limit`` open requests whose answer_by has passed and that were not reported yet."""
    return list(session.exec(_lapsed(now, limit)).all())


def claim_lapse(session: Session, request_id: int | None) -> bool:
    """Mark the request's lapse reported; False if another sweep did first."""
    claimed = session.connection().execute(
        update(DeskRequest)
        .where(col(DeskRequest.id) == request_id, col(DeskRequest.overdue_raised).is_(False))
        .values(overdue_raised=True)
    )
    return claimed.rowcount == 1
