"""Reading the event log: for pull consumers, for an order's timeline, for replay."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from app.events.log import EventLike, envelope
from app.events.log_window import behind_detail, log_window
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
    """A page of the log after ``after``; ``reset`` says when retention removed events after it.

    The horizon is read after the page: a prune that removed part of the page committed before
    the page was read, so its horizon is seen here. A reader behind the horizon gets the page
    that starts at the horizon, where the log is complete again, and ``reset`` saying why: it
    refetches the state it shows, then pages on from ``next_after``.
    """
    rows = read_events(session, after=after, limit=limit, flt=flt)
    window = log_window(session)
    reset: dict[str, Any] | None = None
    if after < window.complete_after:
        reset = {
            "reason": "cursor_unknown",
            "detail": f"{behind_detail(after, window)}; refetch the state you show, "
            "then page on from next_after",
            "complete_after": window.complete_after,
        }
        after = window.complete_after
        rows = read_events(session, after=after, limit=limit, flt=flt)
    return {
        "items": [envelope(r, source) for r in rows],
        "next_after": rows[-1].id if rows else after,
        "reset": reset,
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


def events_by_id(session: Session, ids: Sequence[int]) -> dict[int | None, Event]:
    """The events of these ids, by id."""
    return {e.id: e for e in session.scalars(select(Event).where(col(Event.id).in_(ids)))}


def order_events_data(session: Session, order_id: int, event_type: str) -> Sequence[Mapping[str, Any]]:
    """The data of the order's events of one type."""
    return session.exec(select(Event.data).where(Event.order_id == order_id, Event.type == event_type)).all()


def last_order_event_id(session: Session, order_id: int | None, *, up_to_version: int | None = None) -> int:
    """The id of the order's last event (0: none); with ``up_to_version``, of its last event
    written at or below that version of the order."""
    query = select(func.max(Event.id)).where(Event.order_id == order_id)
    if up_to_version is not None:
        query = query.where(col(Event.data)["order_version"].as_integer() <= up_to_version)
    return int(session.exec(query).one() or 0)


def order_events_after_version(session: Session, order_id: int | None, version: int) -> list[Event]:
    """The order's events written after that version of the order, oldest first."""
    return list(
        session.exec(
            select(Event)
            .where(Event.order_id == order_id, col(Event.data)["order_version"].as_integer() > version)
            .order_by(col(Event.id))
        ).all()
    )


def events_for_replay(
    session: Session,
    *,
    after: int | None = None,
    first: int | None = None,
    since: datetime | None = None,
    limit: int,
) -> list[Event]:
    """Up to ``limit`` events in the log's order: those after the id ``after``, or those from the
    id ``first`` on whose time is at or after ``since``."""
    query = select(Event).order_by(col(Event.id)).limit(limit)
    if after is not None:
        query = query.where(col(Event.id) > after)
    else:
        assert first is not None
        assert since is not None
        query = query.where(col(Event.id) >= first, col(Event.time) >= since)
    return list(session.exec(query).all())


def first_event_at_or_after(session: Session, since: datetime) -> int | None:
    """Binary search over the ids: numbers are handed out in the order events are written, so their
    times rise with them, and a dozen primary-key reads replace a scan of the whole log."""
    low, high = session.exec(select(func.min(Event.id), func.max(Event.id))).one()
    if low is None or high is None:
        return None
    while low < high:
        middle = (low + high) // 2
        moment = session.exec(
            select(Event.time).where(col(Event.id) >= middle).order_by(col(Event.id)).limit(1)
        ).one()
        if moment >= since:
            high = middle
        else:
            low = middle + 1
    return int(low)
