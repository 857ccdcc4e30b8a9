"""The part every order-changing use case shares: load under lock, collect what the use case
did, then write the order, the events and the ledger rows that app/domain/order_news.py says
the difference calls for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.db import Session
from app.domain.access import Principal
from app.domain.derivation import Derived, derive, store_derived, stored_derived
from app.domain.durations import StageDurations
from app.domain.errors import VersionMismatch
from app.domain.order_news import LEDGER_EVENT, Announcement, ChangeFacts, order_news
from app.domain.significance import Significance
from app.events.append import Appended, LoggedEvent, NewEvent, append_events_at_commit
from app.repositories.orders import OrderRecord, StageRecord, fetch_order, insert_ledger, save


def load_order(
    session: Session, reference: str, *, lock: bool = False
) -> tuple[OrderRecord, list[StageRecord]]:
    """The order and its stages; with ``lock`` the row is locked and the records can be saved."""
    return fetch_order(session, reference, lock=lock)


def check_version(order: OrderRecord, expected: int | None) -> None:
    if expected is not None and expected != order.version:
        raise VersionMismatch(
            f"order '{order.reference}' is at version {order.version}, not {expected}; "
            "read it again and retry if your change still applies",
            current_version=order.version,
        )


def order_event(
    order: OrderRecord, type_: str, data: dict[str, Any], department: str | None = None
) -> NewEvent:
    """An event about one order: the order is its subject and the first thing its data names."""
    assert order.id is not None, "the order is inserted before its events"
    data = {"order": order.reference, **data}
    return NewEvent(type=type_, subject=order.reference, data=data, order_id=order.id, department=department)


@dataclass
class OrderChange:
    """One use case's change to one order, collected and then written as events."""

    order: OrderRecord
    stages: list[StageRecord]
    durations: dict[str, StageDurations]
    principal: Principal
    now: datetime
    significance: Significance
    before: Derived | None = None
    cause_stage: StageRecord | None = None
    cause_reason: str | None = None
    events: list[Announcement] = field(default_factory=list)
    #: A technician's revision of one stage's finish: (before, after). It is news even when it
    #: does not move the order's ETA (a branch off the critical path).
    stage_revision: tuple[datetime | None, datetime | None] | None = None
    #: Written only if nothing else was: a change of notes or assignee is still a change.
    fallback: Announcement | None = None
    #: What the order looks like once the change is written (set by commit_change).
    after: Derived | None = None
    #: A new order: its first estimate opens the promise ledger.
    initial: bool = False
    #: The promise moved (previous, new): the ledger keeps what was promised when.
    promise_change: tuple[datetime, datetime] | None = None

    def snapshot(self) -> None:
        # "Before" is what the order said at its last write (every write publishes it, and the
        # sweeper keeps it current as time passes), not a fresh derivation: revisions then
        # chain, each previous_likely_at being the likely_at the desk last heard, and a
        # change costs one derivation instead of two.
        self.before = stored_derived(self.order)

    def common(self) -> dict[str, Any]:
        return {"order": self.order.reference, **self.principal.describe()}

    def add(self, type_: str, data: dict[str, Any], *, department: str | None = None) -> None:
        self.events.append(Announcement(type_, data, department))

    def told(self, announcement: Announcement) -> Announcement:
        """A domain step's announcement, led by the order and who changed it like every event."""
        data = {**self.common(), **announcement.data}
        return Announcement(announcement.type, data, announcement.department)


def commit_change(session: Session, change: OrderChange, *, bump_version: bool = True) -> Appended:
    """Derive the new state, stamp the order, and append every event the change calls for.

    Nothing is published here: the events are numbered and written just before the batch's
    COMMIT, and the writer hands them to the fan-out only after COMMIT succeeds.
    """
    order = change.order
    assert order.id is not None, "the order is inserted before its change is written"
    after = derive(order, change.stages, change.durations, change.now)
    change.after = after
    if change.initial:
        # Never told yet: the first ETA is what the customer heard when the order was taken.
        order.told_likely_at = after.eta.likely_at
    if bump_version:
        order.version += 1
        order.updated_at = change.now
    cause = change.cause_stage
    facts = ChangeFacts(
        order_id=order.id,
        promised_at=order.promised_at,
        currency=order.currency,
        version=order.version,
        common=change.common(),
        actor=change.principal.actor,
        now=change.now,
        significance=change.significance,
        before=change.before,
        after=after,
        cause_stage=cause.key if cause else None,
        cause_department=cause.department if cause else None,
        cause_reason=change.cause_reason,
        stage_revision=change.stage_revision,
        initial=change.initial,
        promise_change=change.promise_change,
        told_likely_at=order.told_likely_at,
        told_amount=order.told_amount,
    )
    news = order_news(facts, change.events, change.fallback)
    store_derived(order, after)
    save(session, order, change.stages)
    new = [order_event(order, n.type, n.data, n.department) for n in news.events]
    ledger = news.ledger

    def write_ledger(session: Session, rows: list[LoggedEvent]) -> None:
        by_type = {r.type: r.id for r in rows}
        for entry in ledger:
            entry["event_id"] = by_type.get(LEDGER_EVENT[entry["kind"]])
        insert_ledger(session, ledger)

    # Numbered at the end of the batch, with the ledger entries that name their event.
    return append_events_at_commit(session, new, change.now, then=write_ledger if ledger else None)
