"""The one way a use case appends to the event log.

The events, their webhook outbox rows and the cross-replica wake-up are written together, in
the caller's transaction, so what commits is in the log and the outbox at once, and a rollback
takes all three away. The events are handed to the fan-out only after the commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.events.log import LoggedEvent, NewEvent, insert_events
from app.events.notify import notify_appended
from app.events.outbox import enqueue_deliveries
from app.writer import announce_after_commit

__all__ = ["LoggedEvent", "NewEvent", "append_events"]


def append_events(session: Session, new: list[NewEvent], now: datetime) -> list[LoggedEvent]:
    if not new:
        return []
    rows = insert_events(session, new, now)
    enqueue_deliveries(session, rows)
    announce_after_commit(session, rows)
    notify_appended(session, rows[-1].id)
    return rows
