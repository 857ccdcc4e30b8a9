"""Appending to the event log, inside the writing transaction, and the CloudEvents envelope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import update
from sqlmodel import Session, col

from app.events.outbox import enqueue_deliveries
from app.models.event import Event, EventCounter

APPENDED = "nextdesk.appended_events"


@dataclass(frozen=True)
class NewEvent:
    type: str
    subject: str | None
    data: dict[str, Any]
    order_id: int | None = None
    department: str | None = None


def append_events(session: Session, new: list[NewEvent], now: datetime) -> list[Event]:
    """Number and insert events in the caller's transaction.

    The number comes from a single counter row updated here: its row lock is held until the
    transaction ends, so numbers become visible in the order they were handed out, and a
    reader paging with ``after=`` can never see 12 before 11 commits.
    """
    if not new:
        return []
    last = session.execute(
        update(EventCounter)
        .where(col(EventCounter.id) == 1)
        .values(last_id=EventCounter.last_id + len(new))
        .returning(col(EventCounter.last_id))
    ).scalar_one()
    first = last - len(new) + 1
    rows = [
        Event(
            id=first + i,
            type=e.type,
            subject=e.subject,
            order_id=e.order_id,
            department=e.department,
            at_risk=bool(e.data.get("at_risk", False)),
            time=now,
            data=e.data,
        )
        for i, e in enumerate(new)
    ]
    session.add_all(rows)
    enqueue_deliveries(session, rows)
    session.info.setdefault(APPENDED, []).extend(rows)
    return rows


def envelope(event: Event, source: str) -> dict[str, Any]:
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


def encode_envelope(event: Event, source: str) -> bytes:
    return orjson.dumps(envelope(event, source))
