"""Retention: what has outlived its keeping is removed, a small batch per transaction.

- Idempotency records: ``NEXTDESK_RETAIN_IDEMPOTENCY_HOURS`` after they were made.
- Webhook deliveries and their attempts: ``NEXTDESK_RETAIN_DELIVERIES_DAYS`` after they finished
  (delivered, failed for good, or held for a paused or disabled endpoint). A pending delivery is
  never removed, however old.
- Events: kept for ever unless ``NEXTDESK_RETAIN_EVENTS_DAYS`` is set; then the events older than
  that of orders closed (done or cancelled) for longer than that. Events of open orders, and
  events without an order, are kept. The newest id removed is recorded as the log's horizon
  (``event_counter.pruned_through``): a reader whose cursor is below it is told to reset.

Each function removes at most one batch and says how many rows it removed, so a caller runs it
through the writer as often as needed, and writes interleave between batches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, Table, delete, func, select, update
from sqlmodel import Session

from app.config import Settings
from app.db import Database
from app.domain.order_state import CLOSED
from app.models.event import Event, EventCounter
from app.models.idempotency import IdempotencyRecord
from app.models.order import Order
from app.models.webhook import DeliveryStatus, WebhookAttempt, WebhookDelivery
from app.services.writer import run_use_case

#: A delivery in one of these will not be sent again unless replayed (which makes a new send).
FINISHED = (DeliveryStatus.DELIVERED.value, DeliveryStatus.FAILED.value, DeliveryStatus.HELD.value)


class Kind(StrEnum):
    IDEMPOTENCY_RECORDS = "idempotency_records"
    WEBHOOK_DELIVERIES = "webhook_deliveries"
    WEBHOOK_ATTEMPTS = "webhook_attempts"
    EVENTS = "events"


@dataclass(frozen=True)
class RetentionPolicy:
    idempotency: timedelta
    deliveries: timedelta
    #: None: events are kept for ever.
    events: timedelta | None
    batch_size: int

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        return cls(
            idempotency=timedelta(hours=settings.retain_idempotency_hours),
            deliveries=timedelta(days=settings.retain_deliveries_days),
            events=timedelta(days=settings.retain_events_days) if settings.retain_events_days else None,
            batch_size=settings.prune_batch_size,
        )


@dataclass
class PruneReport:
    removed: dict[Kind, int] = field(default_factory=lambda: dict.fromkeys(Kind, 0))
    #: Whether a batch came back full, so that more may be waiting.
    more: bool = False

    def add(self, other: PruneReport) -> None:
        for kind, count in other.removed.items():
            self.removed[kind] += count
        self.more = self.more or other.more

    def total(self) -> int:
        return sum(self.removed.values())


IDEMPOTENCY: Table = IdempotencyRecord.__table__  # type: ignore[attr-defined]
DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
ATTEMPTS: Table = WebhookAttempt.__table__  # type: ignore[attr-defined]
EVENTS: Table = Event.__table__  # type: ignore[attr-defined]
ORDERS: Table = Order.__table__  # type: ignore[attr-defined]
COUNTER: Table = EventCounter.__table__  # type: ignore[attr-defined]


def _ids(session: Session, query: Select[Any], table: Table) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        # Rows another replica is working on are left for the next batch; only the rows to be
        # removed are locked, never the orders they belong to.
        query = query.with_for_update(skip_locked=True, of=table)
    return [int(i) for i in session.execute(query).scalars().all()]


def _first_id_at_or_after(session: Session, table: Table, time_column: str, cutoff: datetime) -> int | None:
    """The first row (by id) made at or after ``cutoff``: everything older lies below it.

    Ids grow with time, so walking them in order stops at once past the old rows; what older
    rows remain (the kept ones) is all it reads. It bounds the search for old rows without an
    index on their time.
    """
    found = session.execute(
        select(table.c.id).where(table.c[time_column] >= cutoff).order_by(table.c.id).limit(1)
    ).scalar()
    return int(found) if found is not None else None


def prune_idempotency(session: Session, now: datetime, policy: RetentionPolicy) -> PruneReport:
    cutoff = now - policy.idempotency
    query = (
        select(IDEMPOTENCY.c.id)
        .where(IDEMPOTENCY.c.created_at < cutoff)
        .order_by(IDEMPOTENCY.c.created_at)
        .limit(policy.batch_size)
    )
    ids = _ids(session, query, IDEMPOTENCY)
    if ids:
        session.execute(delete(IDEMPOTENCY).where(IDEMPOTENCY.c.id.in_(ids)))
    report = PruneReport(more=len(ids) == policy.batch_size)
    report.removed[Kind.IDEMPOTENCY_RECORDS] = len(ids)
    return report


def prune_deliveries(session: Session, now: datetime, policy: RetentionPolicy) -> PruneReport:
    cutoff = now - policy.deliveries
    finished_at = func.coalesce(
        DELIVERIES.c.delivered_at, DELIVERIES.c.last_attempt_at, DELIVERIES.c.created_at
    )
    query = (
        select(DELIVERIES.c.id)
        .where(DELIVERIES.c.status.in_(FINISHED), finished_at < cutoff)
        .order_by(DELIVERIES.c.id)
        .limit(policy.batch_size)
    )
    # A delivery finishes after it is made: only those made before the cutoff can qualify.
    bound = _first_id_at_or_after(session, DELIVERIES, "created_at", cutoff)
    if bound is not None:
        query = query.where(DELIVERIES.c.id < bound)
    ids = _ids(session, query, DELIVERIES)
    report = PruneReport(more=len(ids) == policy.batch_size)
    if not ids:
        return report
    attempts = session.connection().execute(delete(ATTEMPTS).where(ATTEMPTS.c.delivery_id.in_(ids)))
    session.execute(delete(DELIVERIES).where(DELIVERIES.c.id.in_(ids)))
    report.removed[Kind.WEBHOOK_DELIVERIES] = len(ids)
    report.removed[Kind.WEBHOOK_ATTEMPTS] = attempts.rowcount
    return report


def prune_events(session: Session, now: datetime, policy: RetentionPolicy) -> PruneReport:
    report = PruneReport()
    if policy.events is None:
        return report
    cutoff = now - policy.events
    query = (
        select(EVENTS.c.id)
        .join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
        .where(
            EVENTS.c.time < cutoff,
            ORDERS.c.state.in_([s.value for s in CLOSED]),
            # An order's last change is at or after its closing: closed for longer than the cutoff.
            ORDERS.c.updated_at < cutoff,
        )
        .order_by(EVENTS.c.id)
        .limit(policy.batch_size)
    )
    bound = _first_id_at_or_after(session, EVENTS, "time", cutoff)
    if bound is not None:
        query = query.where(EVENTS.c.id < bound)
    ids = _ids(session, query, EVENTS)
    report.more = len(ids) == policy.batch_size
    if not ids:
        return report
    session.execute(delete(EVENTS).where(EVENTS.c.id.in_(ids)))
    # In the same transaction as the removal: a reader that sees the hole sees the horizon too.
    session.execute(
        update(COUNTER)
        .where(COUNTER.c.id == 1, COUNTER.c.pruned_through < max(ids))
        .values(pruned_through=max(ids))
    )
    report.removed[Kind.EVENTS] = len(ids)
    return report


Batch = Callable[[Session, datetime, RetentionPolicy], PruneReport]

#: One batch of each kind, in the order a pass runs them.
BATCHES: tuple[Batch, ...] = (prune_idempotency, prune_deliveries, prune_events)


def batch_at(batch: Batch, now: datetime, policy: RetentionPolicy) -> Callable[[Session], PruneReport]:
    def run(session: Session) -> PruneReport:
        return batch(session, now, policy)

    return run


def prune_all(db: Database, now: datetime, policy: RetentionPolicy) -> PruneReport:
    """Every batch due at ``now``, one transaction each (``nextdesk prune``, tools)."""
    total = PruneReport()
    for batch in BATCHES:
        while True:
            report, _ = run_use_case(db, batch_at(batch, now, policy))
            total.add(report)
            if not report.more:
                break
    total.more = False
    return total
