"""The desk's queues and the workbench's cards: reads over every open order, never locked."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, and_, func, or_, select, true
from sqlmodel import Session, col

from app.domain.attention import ALWAYS_SIGNIFICANT
from app.domain.stage_machine import CURRENT, StageStatus
from app.models.desk import Acknowledgement
from app.models.event import Event
from app.repositories.orders.aggregate import (
    OPEN_STATES,
    ORDERS,
    STAGES,
    OrderRecord,
    StageRecord,
    order_from_row,
    stage_from_row,
)


def _orders(session: Session, query: Select[tuple[object, ...]]) -> list[OrderRecord]:
    return [order_from_row(r) for r in session.connection().execute(query).mappings()]


def at_risk(session: Session, now: datetime, limit: int) -> list[OrderRecord]:
    """Open orders at risk or past their promise, the soonest promise first."""
    late = ORDERS.c.promised_at < now
    return _orders(
        session,
        select(ORDERS)
        .where(ORDERS.c.state.in_(OPEN_STATES), or_(ORDERS.c.at_risk, late))
        .order_by(ORDERS.c.promised_at, ORDERS.c.id)
        .limit(limit),
    )


def maybe_silent(session: Session, now: datetime) -> list[tuple[StageRecord, str]]:
    """Current stages of open orders that could be silent past a deadline, with their flow's key.

    Cheaply: a stated deadline passed, or the order's next moment (which every write sets no
    later than its stages' deadlines) has come, or a lapse was already reported. Whether one is
    late is the rule's to say (domain.silence.missed_deadline).
    """
    rows = session.connection().execute(
        select(STAGES, ORDERS.c.flow_key)
        .join(ORDERS, ORDERS.c.id == STAGES.c.order_id)
        .where(
            ORDERS.c.state.in_(OPEN_STATES),
            STAGES.c.status.in_([s.value for s in CURRENT]),
            or_(
                STAGES.c.next_update_by <= now,
                STAGES.c.expected_finish_at <= now,
                ORDERS.c.recheck_at <= now,
                STAGES.c.overdue_for.is_not(None),
            ),
        )
        .order_by(STAGES.c.order_id, STAGES.c.position)
    )
    return [(stage_from_row(row), str(row["flow_key"])) for row in rows.mappings()]


def orders_by_id(session: Session, ids: Collection[int]) -> dict[int, OrderRecord]:
    """The orders of these ids that exist, by id."""
    return {o.id: o for o in _orders(session, select(ORDERS).where(ORDERS.c.id.in_(ids))) if o.id is not None}


def recently_updated(session: Session, limit: int) -> list[OrderRecord]:
    return _orders(
        session, select(ORDERS).order_by(ORDERS.c.updated_at.desc(), ORDERS.c.id.desc()).limit(limit)
    )


def _significant() -> ColumnElement[bool]:
    """The SQL form of domain.attention.is_significant."""
    return or_(
        col(Event.type).in_(ALWAYS_SIGNIFICANT),
        col(Event.data)["significant"].as_boolean() == true(),
    )


def _news_to_tell() -> Select[Any]:
    news = (
        select(col(Event.order_id).label("order_id"), func.max(Event.id).label("last_news"))
        .join(ORDERS, ORDERS.c.id == col(Event.order_id))
        .where(ORDERS.c.state.in_(OPEN_STATES), _significant())
        .group_by(col(Event.order_id))
        .subquery()
    )
    told = (
        select(
            col(Acknowledgement.order_id).label("order_id"),
            func.max(Acknowledgement.covers_event_id).label("covered"),
            func.max(Acknowledgement.at).label("told_at"),
        )
        .group_by(col(Acknowledgement.order_id))
        .subquery()
    )
    return (
        select(ORDERS, news.c.last_news, told.c.covered, told.c.told_at)
        .join(news, news.c.order_id == ORDERS.c.id)
        .outerjoin(told, told.c.order_id == ORDERS.c.id)
        .where(or_(told.c.covered.is_(None), news.c.last_news > told.c.covered))
        .order_by(news.c.last_news.desc(), ORDERS.c.id.desc())
    )


_NEWS_TO_TELL = _news_to_tell()


def news_to_tell(session: Session, *, limit: int, offset: int) -> Sequence[RowMapping]:
    """Open orders with significant news since the customer was last told, newest news first:
    each order's columns, ``last_news`` (the event's id), and what the last acknowledgement
    ``covered`` and when (``told_at``), both None where the customer was never told."""
    return session.connection().execute(_NEWS_TO_TELL.limit(limit).offset(offset)).mappings().all()


def stages_needing_hand(
    session: Session,
    *,
    asked_orders: Collection[int],
    departments: Collection[str] | None,
    assignee: str | None,
    limit: int,
) -> list[tuple[int, str, str]]:
    """(order id, reference, stage key) of the stages of open orders that need a hand, or that the
    desk asked something of before they start (orders in ``asked_orders``); the soonest promise
    first, in the flow's order; only the departments given (None: all), only the assignee's."""
    needs_hand = STAGES.c.status.in_([s.value for s in CURRENT])
    query = (
        select(ORDERS.c.id, ORDERS.c.reference, STAGES.c.key)
        .join(ORDERS, ORDERS.c.id == STAGES.c.order_id)
        .where(
            ORDERS.c.state.in_(OPEN_STATES),
            or_(
                needs_hand, and_(STAGES.c.status == StageStatus.PENDING.value, ORDERS.c.id.in_(asked_orders))
            ),
        )
        .order_by(ORDERS.c.promised_at, ORDERS.c.id, STAGES.c.position)
        .limit(limit)
    )
    if departments is not None:
        query = query.where(STAGES.c.department.in_(sorted(departments)))
    if assignee is not None:
        query = query.where(STAGES.c.assignee == assignee)
    return [(order_id, reference, key) for order_id, reference, key in session.connection().execute(query)]
