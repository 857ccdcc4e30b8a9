"""The desk's queues: at risk, overdue stages, to tell, recently updated."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, true
from sqlmodel import Session, col, func, select

from app.domain.attention import ALWAYS_SIGNIFICANT, still_to_tell
from app.domain.order_state import OrderState
from app.domain.stage_machine import CURRENT
from app.models.desk import Acknowledgement
from app.models.event import Event
from app.models.order import Order, OrderStage
from app.models.queues import News, OverdueStage, QueueItem, Queues
from app.services.order_view import is_overdue
from app.services.orders import summaries

OPEN_STATES = (OrderState.OPEN.value, OrderState.AT_RISK.value)
DEFAULT_LIMIT = 50


def _significant() -> object:
    """The SQL form of domain.attention.is_significant."""
    return or_(
        col(Event.type).in_(ALWAYS_SIGNIFICANT),
        col(Event.data)["significant"].as_boolean() == true(),
    )


def _items(session: Session, rows: Sequence[Order], now: datetime) -> list[QueueItem]:
    return [QueueItem(order=s) for s in summaries(session, rows, now)]


def at_risk(session: Session, now: datetime, limit: int) -> list[QueueItem]:
    late = col(Order.promised_at) < now
    rows = session.exec(
        select(Order)
        .where(col(Order.state).in_(OPEN_STATES), or_(col(Order.at_risk), late))
        .order_by(col(Order.promised_at), col(Order.id))
        .limit(limit)
    ).all()
    return _items(session, rows, now)


def overdue(session: Session, now: datetime, limit: int) -> list[QueueItem]:
    stages = session.exec(
        select(OrderStage)
        .join(Order, col(Order.id) == col(OrderStage.order_id))
        .where(
            col(Order.state).in_(OPEN_STATES),
            col(OrderStage.status).in_([s.value for s in CURRENT]),
            or_(col(OrderStage.next_update_by) < now, col(OrderStage.expected_finish_at) < now),
        )
        .order_by(col(OrderStage.order_id))
    ).all()
    late_stages: dict[int, list[OverdueStage]] = defaultdict(list)
    oldest: dict[int, datetime] = {}
    for stage in stages:
        if not is_overdue(stage, now):
            continue
        missed, due = (
            ("update", stage.next_update_by)
            if stage.next_update_by is not None and stage.next_update_by < now
            else ("finish", stage.expected_finish_at)
        )
        assert due is not None
        late_stages[stage.order_id].append(
            OverdueStage(
                stage=stage.key,
                name=stage.name,
                department=stage.department,
                status=stage.status,
                missed=missed,
                due_at=due,
                last_update_at=stage.last_update_at,
            )
        )
        oldest[stage.order_id] = min(due, oldest.get(stage.order_id, due))
    # Longest silence first: that customer has waited longest for news.
    ids = sorted(oldest, key=lambda i: oldest[i])[:limit]
    by_id = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_(ids))).all()}
    items = _items(session, [by_id[i] for i in ids], now)
    for item, order_id in zip(items, ids, strict=True):
        item.overdue = late_stages[order_id]
    return items


def to_tell(session: Session, now: datetime, limit: int) -> list[QueueItem]:
    news = (
        select(Event.order_id, func.max(Event.id).label("last_news"))
        .join(Order, col(Order.id) == col(Event.order_id))
        .where(col(Order.state).in_(OPEN_STATES), _significant())  # type: ignore[arg-type]
        .group_by(col(Event.order_id))
        .subquery()
    )
    told = (
        select(
            Acknowledgement.order_id,
            func.max(Acknowledgement.covers_event_id).label("covered"),
            func.max(Acknowledgement.at).label("told_at"),
        )
        .group_by(col(Acknowledgement.order_id))
        .subquery()
    )
    rows = session.exec(
        select(Order, news.c.last_news, told.c.covered, told.c.told_at)
        .join(news, news.c.order_id == col(Order.id))
        .outerjoin(told, told.c.order_id == col(Order.id))
        .where(or_(told.c.covered.is_(None), and_(news.c.last_news > told.c.covered)))
        .order_by(news.c.last_news.desc())
        .limit(limit)
    ).all()
    rows = [r for r in rows if still_to_tell(r[1], r[2])]
    events = {
        e.id: e for e in session.exec(select(Event).where(col(Event.id).in_([r[1] for r in rows]))).all()
    }
    items = _items(session, [r[0] for r in rows], now)
    for item, row in zip(items, rows, strict=True):
        event = events[row[1]]
        item.news = News(event_id=event.id, type=event.type, at=event.time, data=event.data)
        item.last_acknowledged_at = _aware(row[3])
    return items


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def recently_updated(session: Session, now: datetime, limit: int) -> list[QueueItem]:
    rows = session.exec(
        select(Order).order_by(col(Order.updated_at).desc(), col(Order.id).desc()).limit(limit)
    ).all()
    return _items(session, rows, now)


def queues(session: Session, now: datetime, limit: int = DEFAULT_LIMIT) -> Queues:
    return Queues(
        at_risk=at_risk(session, now, limit),
        overdue=overdue(session, now, limit),
        to_tell=to_tell(session, now, limit),
        recently_updated=recently_updated(session, now, min(limit, 10)),
        generated_at=now,
    )
