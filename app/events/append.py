"""The one way a use case appends to the event log.

The events, their webhook outbox rows and the cross-replica wake-up are written together, in
the caller's transaction, so what commits is in the log and the outbox at once, and a rollback
takes all three away. The events are handed to the fan-out only after the commit.

Numbers come from one counter row whose lock is held until COMMIT: that is what lets a reader
paging with ``after=`` trust that nothing will later commit below what it has seen. Every
writer of the cluster waits for that lock, so the hot path (:func:`append_events_at_commit`)
takes it as late as it can: the batch's events are numbered and written once, after its last
use case, just before COMMIT. :func:`append_events` numbers at once, for the few use cases that
store the number in a row of their own or answer with it; their batch holds the lock from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from app.domain.webhooks import EndpointRule
from app.events.log import LoggedEvent, NewEvent, insert_events, number_and_insert
from app.events.notify import notify_appended
from app.events.outbox import enqueue_deliveries, rules_of, rules_read
from app.writer import announce_after_commit, finish_before_commit

__all__ = ["Appended", "LoggedEvent", "NewEvent", "append_events", "append_events_at_commit"]

#: Runs in the same transaction once the events are numbered (writes what refers to them).
Numbered = Callable[[Session, list[LoggedEvent]], None]


@dataclass(eq=False)
class Appended:
    """Events one use case appended; ``rows`` (and ``ids``) are filled in just before COMMIT."""

    new: list[NewEvent]
    now: datetime
    then: Numbered | None = None
    rows: list[LoggedEvent] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [row.id for row in self.rows]


def append_events(session: Session, new: list[NewEvent], now: datetime) -> list[LoggedEvent]:
    """Number and write ``new`` now; the transaction holds the numbering lock until it ends."""
    if not new:
        return []
    rows = insert_events(session, new, now)
    _write_beside(session, rows)
    return rows


def append_events_at_commit(
    session: Session, new: list[NewEvent], now: datetime, then: Numbered | None = None
) -> Appended:
    """Append ``new``, numbered with the rest of the batch right before COMMIT.

    Until then the events are not in the table: a use case later in the same batch does not
    read them. ``then`` is called with the numbered rows, in the same transaction.
    """
    appended = Appended(list(new), now, then)
    if appended.new:
        finish_before_commit(session, _number_and_write, appended)
    return appended


def _number_and_write(session: Session, batch: list[Appended]) -> None:
    # The endpoints' rules are read in the round trip that takes the numbering lock.
    rows, (rules,) = number_and_insert(
        session, [(event, a.now) for a in batch for event in a.new], along=[rules_read()]
    )
    start = 0
    for appended in batch:
        appended.rows = rows[start : start + len(appended.new)]
        start += len(appended.new)
    _write_beside(session, rows, rules_of(rules))
    for appended in batch:
        if appended.then is not None:
            appended.then(session, appended.rows)


def _write_beside(session: Session, rows: list[LoggedEvent], rules: list[EndpointRule] | None = None) -> None:
    enqueue_deliveries(session, rows, rules)
    announce_after_commit(session, rows)
    notify_appended(session, rows[-1].id)
