"""The event log's rows: numbering and inserting them, and their CloudEvents envelope.

Services do not call this directly: they append through app/events/append.py, which writes the
outbox rows and the cross-replica wake-up with the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
from sqlmodel import Session

from app.observability import EVENTS_APPENDED
from app.repositories import event_log
from app.repositories.statements import Row


class EventLike(Protocol):
    """A row of the log: the ORM row when read back, a LoggedEvent when just written."""

    @property
    def id(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def order_id(self) -> int | None: ...
    @property
    def department(self) -> str | None: ...
    @property
    def at_risk(self) -> bool: ...
    @property
    def time(self) -> datetime: ...
    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class NewEvent:
    type: str
    subject: str | None
    data: dict[str, Any]
    order_id: int | None = None
    department: str | None = None


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    id: int
    type: str
    subject: str | None
    order_id: int | None
    department: str | None
    at_risk: bool
    time: datetime
    data: dict[str, Any]


def insert_events(session: Session, new: list[NewEvent], now: datetime) -> list[LoggedEvent]:
    """Number and insert events in the caller's transaction.

    The number comes from a single counter row updated here: its row lock is held until the
    transaction ends, so numbers become visible in the order they were handed out, and a
    reader paging with ``after=`` can never see 12 before 11 commits.
    """
    return insert_timed_events(session, [(e, now) for e in new])


def insert_timed_events(session: Session, new: Sequence[tuple[NewEvent, datetime]]) -> list[LoggedEvent]:
    """:func:`insert_events` for events that happened at different times, numbered in this order."""
    return number_and_insert(session, new)[0]


def number_and_insert(
    session: Session,
    new: Sequence[tuple[NewEvent, datetime]],
    along: Sequence[event_log.Read] = (),
) -> tuple[list[LoggedEvent], list[list[Row]]]:
    """Number and insert ``new``; ``along`` are reads sent in the counter's round trip (their rows)."""
    if not new:
        return [], []
    last, answers = event_log.take_numbers(session, len(new), along)
    first = last - len(new) + 1
    rows = [
        LoggedEvent(
            id=first + i,
            type=e.type,
            subject=e.subject,
            order_id=e.order_id,
            department=e.department,
            at_risk=bool(e.data.get("at_risk", False)),
            time=now,
            data=e.data,
        )
        for i, (e, now) in enumerate(new)
    ]
    # Nothing is read back: on PostgreSQL the rows go out with COMMIT, in its round trip.
    event_log.insert_events(
        session,
        [
            {
                "id": r.id,
                "type": r.type,
                "subject": r.subject,
                "order_id": r.order_id,
                "department": r.department,
                "at_risk": r.at_risk,
                "time": r.time,
                "data": r.data,
            }
            for r in rows
        ],
    )
    return rows, answers


def count_committed(events: Sequence[EventLike]) -> None:
    """A commit hook: the metric of events committed to the log, by type."""
    for event in events:
        EVENTS_APPENDED.labels(event.type).inc()


def envelope(event: EventLike, source: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": str(event.id),
        "source": source,
        "type": event.type,
        "subject": event.subject,
        "time": event.time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "data": event.data,
    }


def encode_envelope(event: EventLike, source: str) -> bytes:
    return orjson.dumps(envelope(event, source))
