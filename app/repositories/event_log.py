"""The event log's rows as a use case's transaction writes them: the numbering counter, the events,
their webhook outbox rows, and the cross-replica NOTIFY.

app/events/ decides what is written (numbers, envelopes, which endpoint gets which event); this
module only runs the statements. They run with every event appended, so they are built once and
run prepared (app/repositories/statements.py); what needs no answer waits for the next round
trip on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, bindparam, insert, select, text, update
from sqlalchemy.sql import ClauseElement
from sqlmodel import Session

from app.models.event import Event, EventCounter
from app.models.webhook import WebhookDelivery, WebhookEndpoint
from app.pipeline import driver_of
from app.repositories.statements import Row, Values, run_together, write, write_many

EVENTS: Table = Event.__table__  # type: ignore[attr-defined]
COUNTER: Table = EventCounter.__table__  # type: ignore[attr-defined]
DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
ENDPOINTS: Table = WebhookEndpoint.__table__  # type: ignore[attr-defined]

_ADVANCE_COUNTER = (
    update(COUNTER)
    .where(COUNTER.c.id == 1)
    .values(last_id=COUNTER.c.last_id + bindparam("count"))
    .returning(COUNTER.c.last_id)
)
_INSERT_EVENTS = insert(EVENTS)
EVENT_COLUMNS = ("id", "type", "subject", "order_id", "department", "at_risk", "time", "data")

_ENDPOINT_RULES = select(
    ENDPOINTS.c.id,
    ENDPOINTS.c.status,
    ENDPOINTS.c.event_types,
    ENDPOINTS.c.departments,
    ENDPOINTS.c.orders,
    ENDPOINTS.c.significant_only,
)
_INSERT_DELIVERY = insert(DELIVERIES)
DELIVERY_COLUMNS = (
    "endpoint_id",
    "event_id",
    "event_type",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
)

_NOTIFY = text("SELECT pg_notify(:channel, :payload)")

#: A read to send along with another (see :func:`take_numbers`): its statement and values.
Read = tuple[ClauseElement, Values]


def take_numbers(session: Session, count: int, along: Sequence[Read] = ()) -> tuple[int, list[list[Row]]]:
    """Advance the event counter by ``count``: the last number taken, and the rows of ``along``,
    reads sent in the same round trip (before the counter, so they do not wait for its lock).

    The counter row stays locked until the transaction ends.
    """
    answers = run_together(session, [*along, (_ADVANCE_COUNTER, {"count": count})])
    return int(answers[-1][0]["last_id"]), answers[:-1]


def insert_events(session: Session, rows: Sequence[Values]) -> None:
    """Insert numbered events (:data:`EVENT_COLUMNS`); nothing is read back."""
    write_many(session, _INSERT_EVENTS, rows, EVENT_COLUMNS)


def endpoint_rules_read() -> Read:
    """The read of every webhook endpoint's subscription, to run or to send along."""
    return _ENDPOINT_RULES, {}


def endpoint_rules(session: Session) -> list[Row]:
    return run_together(session, [endpoint_rules_read()])[0]


def insert_deliveries(session: Session, rows: Sequence[Values]) -> None:
    """Insert outbox rows (:data:`DELIVERY_COLUMNS`); nothing is read back."""
    write_many(session, _INSERT_DELIVERY, rows, DELIVERY_COLUMNS)


def notify(session: Session, channel: str, payload: str) -> None:
    """PostgreSQL ``NOTIFY`` from this transaction (delivered at its COMMIT); nothing elsewhere."""
    if driver_of(session)[1].name == "postgresql":
        write(session, _NOTIFY, {"channel": channel, "payload": payload})
