"""Webhook deliveries, their attempts and their endpoints' sending state: every statement the
dispatcher runs, built once at import and compiled once per dialect.

The dispatcher claims and records in batches, hundreds of rows a second while a backlog drains:
statements built per call (coercions, aliases, cache keys) cost more than the database spends on
them (bench/RESULTS.md). Here each is a fixed Core statement with bound parameters, run on the
driver's cursor through app/repositories/statements.py; on PostgreSQL the writes join the writer's pipeline.

Row locks (``FOR UPDATE``, ``SKIP LOCKED``) matter on PostgreSQL, where dispatchers of several
replicas claim side by side; SQLite has one writer and renders none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, case, func, insert, literal_column, or_, select, update
from sqlalchemy.sql.elements import BindParameter, ColumnClause
from sqlmodel import Session

from app.models.event import Event
from app.models.webhook import (
    DeliveryStatus,
    EndpointStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from app.repositories.statements import Row, run, run_together, write, write_many

DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
ATTEMPTS: Table = WebhookAttempt.__table__  # type: ignore[attr-defined]
ENDPOINTS: Table = WebhookEndpoint.__table__  # type: ignore[attr-defined]
EVENTS: Table = Event.__table__  # type: ignore[attr-defined]

_D = DELIVERIES.c
_E = ENDPOINTS.c
#: Written into the SQL, not bound: a partial index (``WHERE status = 'pending'``) serves a query
#: only when the planner sees the very value, and SQLite's never looks into a parameter.
PENDING: ColumnClause[str] = literal_column(f"'{DeliveryStatus.PENDING.value}'")
ACTIVE: ColumnClause[str] = literal_column(f"'{EndpointStatus.ACTIVE.value}'")

#: Due now, written so that no index on ``next_attempt_at`` serves it: SQLite's planner, without
#: statistics, would take the (status, next_attempt_at) index for a claim and sort every
#: endpoint's due backlog, where the pending rows by endpoint come in order already. (A pending
#: delivery always has a time; one without would be due.)
_IS_DUE = func.coalesce(_D.next_attempt_at, bindparam("now")) <= bindparam("now")

_NOW: BindParameter[datetime] = bindparam("now")
_ENDPOINT: BindParameter[str] = bindparam("endpoint_id")
_UNLEASED = or_(_D.lease_expires_at.is_(None), _D.lease_expires_at <= _NOW)

# --- claiming -------------------------------------------------------------------------------------

#: Every active endpoint with what claiming and signing need; a claim round reads it once.
_ACTIVE_ENDPOINTS = select(
    _E.id,
    _E.url,
    _E.secret,
    _E.previous_secret,
    _E.previous_secret_expires_at,
    _E.failing_since,
    _E.next_probe_at,
    _E.consecutive_failures,
    _E.ordered,
).where(_E.status == ACTIVE)

#: Held until the claim commits: one dispatcher at a time decides for a failing or ordered endpoint.
_LOCK_ENDPOINT = (
    select(_E.id).where(_E.id == _ENDPOINT, _E.status == ACTIVE).with_for_update(skip_locked=True)
)

_TO_SEND = (
    _D.id,
    _D.event_id,
    _D.event_type,
    _D.payload,
    _D.attempts,
    _D.unscheduled_attempts,
    _D.next_attempt_at,
)

#: A healthy endpoint's due deliveries in event order, walking the pending rows by endpoint.
_DUE = (
    select(*_TO_SEND)
    .where(_D.endpoint_id == _ENDPOINT, _D.status == PENDING, _IS_DUE, _UNLEASED)
    .order_by(_D.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)

#: A failing endpoint's retries due by their own schedule: only deliveries whose own attempt failed
#: (a delivery only ever probed has no schedule of its own yet).
_DUE_RETRY = (
    select(*_TO_SEND)
    .where(
        _D.endpoint_id == _ENDPOINT,
        _D.status == PENDING,
        _IS_DUE,
        _D.attempts > _D.unscheduled_attempts,
        _UNLEASED,
    )
    .order_by(_D.id)
    .limit(1)
)

#: The oldest pending delivery, leased or not: an ordered endpoint's next, and its probe.
_HEAD = (
    select(*_TO_SEND, _D.lease_expires_at)
    .where(_D.endpoint_id == _ENDPOINT, _D.status == PENDING)
    .order_by(_D.id)
    .limit(1)
)

#: A failing unordered endpoint's probe: the delivery tried least, oldest first, so that one event
#: the receiver keeps refusing cannot stand for the whole endpoint.
_LEAST_TRIED = (
    select(*_TO_SEND)
    .where(_D.endpoint_id == _ENDPOINT, _D.status == PENDING, _UNLEASED)
    .order_by(_D.attempts, _D.id)
    .limit(1)
)

#: Whether any dispatcher holds a delivery of the endpoint now.
_BUSY = (
    select(_D.id)
    .where(_D.endpoint_id == _ENDPOINT, _D.status == PENDING, _D.lease_expires_at > _NOW)
    .limit(1)
)

_LEASE = (
    update(DELIVERIES)
    .where(_D.id == bindparam("delivery_id"))
    .values(lease_token=bindparam("token"), lease_expires_at=bindparam("until"))
)

_EVENT = select(
    EVENTS.c.id,
    EVENTS.c.type,
    EVENTS.c.subject,
    EVENTS.c.order_id,
    EVENTS.c.department,
    EVENTS.c.at_risk,
    EVENTS.c.time,
    EVENTS.c.data,
).where(EVENTS.c.id == bindparam("event_id"))

# --- recording ------------------------------------------------------------------------------------

#: What an attempt's outcome is decided from; locked, so no other dispatcher decides at once.
_STATE = (
    select(_D.id, _D.endpoint_id, _D.attempts, _D.unscheduled_attempts, _D.next_attempt_at, _D.lease_token)
    .where(_D.id == bindparam("delivery_id"))
    .with_for_update()
)

#: Every attempt, success or failure, ends with this: the delivery's new state, lease released.
_SETTLE = (
    update(DELIVERIES)
    .where(_D.id == bindparam("delivery_id"))
    .values(
        status=bindparam("new_status"),
        attempts=bindparam("new_attempts"),
        unscheduled_attempts=bindparam("new_unscheduled"),
        next_attempt_at=bindparam("next_at"),
        last_attempt_at=bindparam("at"),
        last_status_code=bindparam("status_code"),
        last_error=bindparam("error"),
        delivered_at=bindparam("delivered"),
        lease_token=None,
        lease_expires_at=None,
    )
)

_INSERT_ATTEMPT = insert(ATTEMPTS)
ATTEMPT_COLUMNS = (
    "delivery_id",
    "attempt",
    "at",
    "status_code",
    "duration_ms",
    "error",
    "response_body",
    "next_attempt_at",
)

_ENDPOINT_STATE = (
    select(_E.id, _E.status, _E.url, _E.failing_since, _E.next_probe_at, _E.consecutive_failures)
    .where(_E.id == _ENDPOINT)
    .with_for_update()
)

_ENDPOINT_FAILING = (
    update(ENDPOINTS)
    .where(_E.id == _ENDPOINT)
    .values(
        failing_since=bindparam("since"),
        next_probe_at=bindparam("probe_at"),
        consecutive_failures=bindparam("failures"),
    )
)

_ENDPOINT_RECOVERED = (
    update(ENDPOINTS)
    .where(_E.id == _ENDPOINT, _E.failing_since.is_not(None))
    .values(failing_since=None, next_probe_at=None, consecutive_failures=0)
    .returning(_E.id)
)

_SEND_AT_ONCE = (
    update(DELIVERIES)
    .where(_D.endpoint_id == _ENDPOINT, _D.status == PENDING, _UNLEASED)
    .values(
        next_attempt_at=_NOW,
        unscheduled_attempts=_D.unscheduled_attempts + case((_D.next_attempt_at > _NOW, 1), else_=0),
    )
)

_HOLD = (
    update(DELIVERIES)
    .where(_D.endpoint_id == _ENDPOINT, _D.status == PENDING, _UNLEASED)
    .values(status=DeliveryStatus.HELD.value, next_attempt_at=None, lease_token=None, lease_expires_at=None)
)

_GIVE_UP = (
    update(DELIVERIES)
    .where(_D.id == bindparam("delivery_id"))
    .values(
        status=DeliveryStatus.FAILED.value,
        next_attempt_at=None,
        lease_token=None,
        lease_expires_at=None,
        last_error=bindparam("reason"),
        last_attempt_at=_NOW,
    )
)

# --- the outbox's gauges --------------------------------------------------------------------------

_DEPTH = select(func.count().label("n")).select_from(DELIVERIES).where(_D.status == PENDING)
_DUE_NOW = select(func.count().label("n"), func.min(_D.next_attempt_at).label("oldest")).where(
    _D.status == PENDING, _D.next_attempt_at <= _NOW
)
_ACTIVE_COUNT = select(func.count().label("n")).select_from(ENDPOINTS).where(_E.status == ACTIVE)


@dataclass(frozen=True)
class EndpointRow:
    id: str
    url: str
    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None
    failing_since: datetime | None
    next_probe_at: datetime | None
    consecutive_failures: int
    ordered: bool


def active_endpoints(session: Session) -> list[EndpointRow]:
    return [EndpointRow(**row) for row in run(session, _ACTIVE_ENDPOINTS)]


def lock_endpoint(session: Session, endpoint_id: str) -> bool:
    """Lock the endpoint's row until the transaction ends; False when another dispatcher holds it
    (or it is no longer active)."""
    return bool(run(session, _LOCK_ENDPOINT, {"endpoint_id": endpoint_id}))


def due(session: Session, endpoint_id: str, now: datetime, limit: int) -> list[Row]:
    return run(session, _DUE, {"endpoint_id": endpoint_id, "now": now, "limit": limit})


def due_many(session: Session, wanted: Sequence[tuple[str, int]], now: datetime) -> list[list[Row]]:
    """:func:`due` for several endpoints (endpoint id, limit) at once: one round trip on PostgreSQL."""
    if not wanted:
        return []
    statement = _DUE
    return run_together(
        session,
        [
            (statement, {"endpoint_id": endpoint_id, "now": now, "limit": limit})
            for endpoint_id, limit in wanted
        ],
    )


def due_retry(session: Session, endpoint_id: str, now: datetime) -> Row | None:
    rows = run(session, _DUE_RETRY, {"endpoint_id": endpoint_id, "now": now})
    return rows[0] if rows else None


def head(session: Session, endpoint_id: str) -> Row | None:
    rows = run(session, _HEAD, {"endpoint_id": endpoint_id})
    return rows[0] if rows else None


def least_tried(session: Session, endpoint_id: str, now: datetime) -> Row | None:
    rows = run(session, _LEAST_TRIED, {"endpoint_id": endpoint_id, "now": now})
    return rows[0] if rows else None


def busy(session: Session, endpoint_id: str, now: datetime) -> bool:
    return bool(run(session, _BUSY, {"endpoint_id": endpoint_id, "now": now}))


def lease(session: Session, delivery_ids: Sequence[int], token: str, until: datetime) -> None:
    write_many(session, _LEASE, [{"delivery_id": i, "token": token, "until": until} for i in delivery_ids])


def events(session: Session, event_ids: Iterable[int]) -> dict[int, Row]:
    """The log's rows by id (one round trip on PostgreSQL); ids pruned from the log are absent."""
    statement = _EVENT
    wanted = list(event_ids)
    found: dict[int, Row] = {}
    for rows in run_together(session, [(statement, {"event_id": i}) for i in wanted]) if wanted else []:
        for row in rows:
            found[row["id"]] = row
    return found


def states(session: Session, delivery_ids: Sequence[int]) -> dict[int, Row]:
    """Each delivery's counters and lease, locked for the decision (one round trip on PostgreSQL)."""
    statement = _STATE
    found: dict[int, Row] = {}
    for rows in run_together(session, [(statement, {"delivery_id": i}) for i in delivery_ids]):
        for row in rows:
            found[row["id"]] = row
    return found


def settle(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write each delivery's new state (keys: delivery_id, new_status, new_attempts,
    new_unscheduled, next_at, at, status_code, error, delivered)."""
    if rows:
        write_many(session, _SETTLE, rows)


def insert_attempts(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append attempt rows (keys: ATTEMPT_COLUMNS)."""
    if rows:
        write_many(session, _INSERT_ATTEMPT, rows, ATTEMPT_COLUMNS)


def endpoint_state(session: Session, endpoint_id: str) -> Row | None:
    rows = run(session, _ENDPOINT_STATE, {"endpoint_id": endpoint_id})
    return rows[0] if rows else None


def mark_failing(
    session: Session, endpoint_id: str, since: datetime, probe_at: datetime, failures: int
) -> None:
    write(
        session,
        _ENDPOINT_FAILING,
        {"endpoint_id": endpoint_id, "since": since, "probe_at": probe_at, "failures": failures},
    )


def mark_recovered(session: Session, endpoint_ids: Sequence[str]) -> set[str]:
    """Clear these endpoints' runs of failures (one round trip on PostgreSQL); those that had one."""
    if not endpoint_ids:
        return set()
    statement = _ENDPOINT_RECOVERED
    answers = run_together(session, [(statement, {"endpoint_id": i}) for i in endpoint_ids])
    return {row["id"] for rows in answers for row in rows}


def send_pending_at_once(session: Session, endpoint_id: str, now: datetime) -> None:
    """Everything of the endpoint still pending is due now, all at the same moment, so a claim (by
    due time, then id) sends it in event order. A delivery whose retry was not due yet is sent
    early by its own schedule, so that send counts as unscheduled: should it fail, it has used up
    no retry."""
    write(session, _SEND_AT_ONCE, {"endpoint_id": endpoint_id, "now": now})


def hold_pending(session: Session, endpoint_id: str, now: datetime) -> None:
    """The endpoint's queued deliveries wait for a replay; those in flight (leased) are left to finish."""
    write(session, _HOLD, {"endpoint_id": endpoint_id, "now": now})


def give_up(session: Session, delivery_id: int, now: datetime, reason: str) -> None:
    write(session, _GIVE_UP, {"delivery_id": delivery_id, "now": now, "reason": reason})


@dataclass(frozen=True)
class OutboxStats:
    depth: int
    due: int
    oldest_due_at: datetime | None
    active_endpoints: int


def outbox_stats(session: Session, now: datetime) -> OutboxStats:
    [depth], [due_now], [active] = run_together(
        session,
        [
            (_DEPTH, {}),
            (_DUE_NOW, {"now": now}),
            (_ACTIVE_COUNT, {}),
        ],
    )
    oldest = due_now["oldest"]
    if isinstance(oldest, str):  # SQLite hands an aggregate back untyped
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return OutboxStats(
        depth=int(depth["n"]),
        due=int(due_now["n"]),
        oldest_due_at=oldest,
        active_endpoints=int(active["n"]),
    )
