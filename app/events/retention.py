"""Retention of the log and the outbox: removing old rows, a batch at a time.

- Webhook deliveries and their attempts that finished (delivered, failed for good, or held for a
  paused or disabled endpoint) before the cutoff. A pending delivery is never removed.
- Events older than the cutoff of orders closed (done or cancelled) before it. Events of open
  orders, and events without an order, are kept. The newest id removed is recorded as the log's
  horizon (``event_counter.pruned_through``): a reader whose cursor is below it is told to reset.

Each function removes at most ``batch`` rows and returns what it removed, inside the caller's
transaction; the caller (``app.services.retention``) runs batches through the writer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, delete, func, select, update
from sqlmodel import Session

from app.domain.order_state import CLOSED
from app.models.event import Event, EventCounter
from app.models.order import Order
from app.models.webhook import DeliveryStatus, WebhookAttempt, WebhookDelivery

#: A delivery in one of these will not be sent again unless replayed (which queues a new send).
FINISHED = (DeliveryStatus.DELIVERED.value, DeliveryStatus.FAILED.value, DeliveryStatus.HELD.value)

DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
ATTEMPTS: Table = WebhookAttempt.__table__  # type: ignore[attr-defined]
EVENTS: Table = Event.__table__  # type: ignore[attr-defined]
ORDERS: Table = Order.__table__  # type: ignore[attr-defined]
COUNTER: Table = EventCounter.__table__  # type: ignore[attr-defined]


def ids_to_remove(session: Session, query: Select[Any], table: Table) -> list[int]:
    """Run ``query`` for the ids of rows to remove, locking them on PostgreSQL.

    Rows another replica is working on are skipped until the next batch, and only the rows of
    ``table`` are locked, never the orders they belong to.
    """
    if session.get_bind().dialect.name == "postgresql":
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


def _old_ids(
    session: Session, query: Select[Any], table: Table, made_at: str, cutoff: datetime, batch: int
) -> list[int]:
    """The first ``batch`` ids ``query`` picks, by id, among the rows of ``table`` made (column
    ``made_at``) before ``cutoff``; locked as :func:`ids_to_remove` locks them."""
    bound = _first_id_at_or_after(session, table, made_at, cutoff)
    if bound is not None:
        query = query.where(table.c.id < bound)
    return ids_to_remove(session, query.order_by(table.c.id).limit(batch), table)


def prune_deliveries(session: Session, cutoff: datetime, batch: int) -> tuple[int, int]:
    """Remove up to ``batch`` deliveries finished before ``cutoff``; (deliveries, attempts) removed."""
    finished_at = func.coalesce(
        DELIVERIES.c.delivered_at, DELIVERIES.c.last_attempt_at, DELIVERIES.c.created_at
    )
    finished = select(DELIVERIES.c.id).where(DELIVERIES.c.status.in_(FINISHED), finished_at < cutoff)
    # A delivery finishes after it is made: only those made before the cutoff can qualify.
    ids = _old_ids(session, finished, DELIVERIES, "created_at", cutoff, batch)
    if not ids:
        return 0, 0
    attempts = session.connection().execute(delete(ATTEMPTS).where(ATTEMPTS.c.delivery_id.in_(ids)))
    session.execute(delete(DELIVERIES).where(DELIVERIES.c.id.in_(ids)))
    return len(ids), attempts.rowcount


def prune_events(session: Session, cutoff: datetime, batch: int) -> int:
    """Remove up to ``batch`` events older than ``cutoff`` of orders closed before it."""
    of_closed_orders = (
        select(EVENTS.c.id)
        .join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
        .where(
            EVENTS.c.time < cutoff,
            ORDERS.c.state.in_([s.value for s in CLOSED]),
            # An order's last change is at or after its closing: closed for longer than the cutoff.
            ORDERS.c.updated_at < cutoff,
        )
    )
    ids = _old_ids(session, of_closed_orders, EVENTS, "time", cutoff, batch)
    if not ids:
        return 0
    session.execute(delete(EVENTS).where(EVENTS.c.id.in_(ids)))
    # In the same transaction as the removal: a reader that sees the hole sees the horizon too.
    session.execute(
        update(COUNTER)
        .where(COUNTER.c.id == 1, COUNTER.c.pruned_through < max(ids))
        .values(pruned_through=max(ids))
    )
    return len(ids)
