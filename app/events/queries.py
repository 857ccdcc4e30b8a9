"""Reading the event log: for pull consumers, for an order's timeline, for replay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.events.log import EventLike, envelope
from app.models.event import Event
from app.models.order import Order


@dataclass(frozen=True)
class EventFilter:
    types: tuple[str, ...] = ()
    order: str | None = None
    department: str | None = None
    at_risk_only: bool = False

    def matches(self, event: EventLike) -> bool:
        if self.types and not any(_type_matches(event.type, t) for t in self.types):
            return False
        if self.order is not None and event.subject != self.order:
            return False
        if self.department is not None and event.department != self.department:
            return False
        return not (self.at_risk_only and not event.at_risk)


def _type_matches(actual: str, wanted: str) -> bool:
    """``stage.*`` matches every stage event."""
    if wanted.endswith(".*"):
        return actual.startswith(wanted[:-1])
    return actual == wanted


def read_events(session: Session, *, after: int, limit: int, flt: EventFilter) -> list[Event]:
    query = select(Event).where(col(Event.id) > after)
    if flt.types:
        clauses = [
            col(Event.type).startswith(t[:-1]) if t.endswith(".*") else col(Event.type) == t
            for t in flt.types
        ]
        query = query.where(or_(*clauses))
    if flt.order is not None:
        order_id = session.exec(select(Order.id).where(Order.reference == flt.order)).first()
        if order_id is None:
            return []
        query = query.where(Event.order_id == order_id)
    if flt.department is not None:
        query = query.where(Event.department == flt.department)
    if flt.at_risk_only:
        query = query.where(col(Event.at_risk).is_(True))
    return list(session.exec(query.order_by(col(Event.id)).limit(limit)).all())


def event_page(session: Session, *, after: int, limit: int, flt: EventFilter, source: str) -> dict[str, Any]:
    rows = read_events(session, after=after, limit=limit, flt=flt)
    return {
        "items": [envelope(r, source) for r in rows],
        "next_after": rows[-1].id if rows else after,
    }


def order_events_page(
    session: Session, order_id: int | None, *, after: int, limit: int, source: str
) -> dict[str, Any]:
    """One order's events, oldest first: its timeline."""
    rows = session.exec(
        select(Event)
        .where(Event.order_id == order_id, col(Event.id) > after)
        .order_by(col(Event.id))
        .limit(limit)
    ).all()
    return {"items": [envelope(r, source) for r in rows], "next_after": rows[-1].id if rows else after}


def last_event_id(session: Session) -> int:
    value = session.exec(select(Event.id).order_by(col(Event.id).desc()).limit(1)).first()
    return int(value or 0)
