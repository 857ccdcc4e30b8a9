"""The dispatcher's use cases: claim due deliveries, record what an attempt did, hold and disable.

Each runs through the writer like any other write, so a claim is committed (with its lease) before
the HTTP request is made, and the outcome is committed before anything else is decided about it.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import ColumnElement, Table, bindparam, case, func, insert, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.domain.webhooks import (
    PROBE_INTERVAL,
    RETRY_DELAYS,
    parse_retry_after,
    probe_delay,
    retry_delay,
    should_disable,
)
from app.events.append import NewEvent, append_events
from app.events.log import encode_envelope
from app.events.webhook_http import SendResult
from app.models.event import Event
from app.models.webhook import (
    DeliveryStatus,
    EndpointStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from app.repositories.statements import driver_of, prepared


@dataclass(frozen=True)
class Claimed:
    """Everything needed to send one delivery, read while the claim was made."""

    delivery_id: int
    token: str
    endpoint_id: str
    url: str
    signing_secrets: tuple[str, ...]
    webhook_id: str
    event_type: str
    body: bytes
    #: Sent to a failing endpoint before its own retry was due, to find out whether it is back.
    probe: bool = False


class Outcome:
    DELIVERED = "delivered"
    #: Delivered, and the first success after failures: the endpoint's other deliveries are due now.
    RECOVERED = "recovered"
    RETRYING = "retrying"
    EXHAUSTED = "exhausted"
    HELD = "held"
    LEASE_LOST = "lease_lost"


def claim_due(session: Session, now: datetime, *, limit: int, lease: timedelta, source: str) -> list[Claimed]:
    """Take up to ``limit`` due deliveries of active endpoints and lease them to the caller.

    A healthy endpoint gets every delivery that is due. A failing one (``failing_since`` set) gets
    one at a time: the next due by its own schedule, or, once its probe time has come, its oldest
    pending delivery as a probe; a dead receiver so holds one sending slot, not all of them.

    ``SKIP LOCKED`` lets dispatchers of several replicas claim side by side without waiting on,
    or taking, each other's rows; the lease (committed with the claim) keeps a claimed row away from
    them until it expires, which is also how a crashed dispatcher's work comes back.
    """
    probes = _claim_failing(session, now, limit)
    due = (
        select(WebhookDelivery.id)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
        .where(
            *_pending_unleased(now),
            col(WebhookDelivery.next_attempt_at) <= now,
            col(WebhookEndpoint.status) == EndpointStatus.ACTIVE.value,
            col(WebhookEndpoint.failing_since).is_(None),
        )
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit - len(probes))
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    ids = list(probes) + (list(session.exec(due).all()) if len(probes) < limit else [])
    if not ids:
        return []
    token = secrets.token_hex(16)
    session.execute(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_(ids))
        .values(lease_token=token, lease_expires_at=now + lease)
    )
    rows = session.exec(
        select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
        .where(col(WebhookDelivery.id).in_(ids))
        .order_by(col(WebhookDelivery.id))
    ).all()
    event_ids = [d.event_id for d, _ in rows if d.event_id is not None]
    events = (
        {e.id: e for e in session.exec(select(Event).where(col(Event.id).in_(event_ids))).all()}
        if event_ids
        else {}
    )
    claimed: list[Claimed] = []
    for delivery, endpoint in rows:
        assert delivery.id is not None
        if delivery.event_id is None:
            body = orjson.dumps(delivery.payload)
            webhook_id = str((delivery.payload or {}).get("id", f"ping_{delivery.id}"))
        else:
            event = events.get(delivery.event_id)
            if event is None:  # pruned from the log before it could be sent
                _give_up(session, delivery, now, "the event is no longer in the log")
                continue
            body = encode_envelope(event, source)
            webhook_id = str(event.id)
        claimed.append(
            Claimed(
                delivery_id=delivery.id,
                token=token,
                endpoint_id=endpoint.id,
                url=endpoint.url,
                signing_secrets=signing_secrets(endpoint, now),
                webhook_id=webhook_id,
                event_type=delivery.event_type,
                body=body,
                probe=probes.get(delivery.id, False),
            )
        )
    return claimed


def _claim_failing(session: Session, now: datetime, limit: int) -> dict[int, bool]:
    """One delivery of each failing endpoint with nothing in flight: delivery id -> is it a probe.

    The endpoint row is locked (skipping one another dispatcher holds) until the claim commits with
    its lease, so two dispatchers never both send to the same failing endpoint.
    """
    in_flight = aliased(WebhookDelivery)
    busy = (
        select(in_flight.id)
        .where(
            in_flight.endpoint_id == WebhookEndpoint.id,
            in_flight.status == DeliveryStatus.PENDING.value,
            col(in_flight.lease_expires_at) > now,
        )
        .exists()
    )
    waiting = aliased(WebhookDelivery)
    has_work = (
        select(waiting.id)
        .where(
            waiting.endpoint_id == WebhookEndpoint.id,
            waiting.status == DeliveryStatus.PENDING.value,
            or_(
                col(WebhookEndpoint.next_probe_at).is_(None),
                col(WebhookEndpoint.next_probe_at) <= now,
                col(waiting.next_attempt_at) <= now,
            ),
        )
        .exists()
    )
    endpoints = session.exec(
        select(WebhookEndpoint.id, WebhookEndpoint.next_probe_at)
        .where(
            col(WebhookEndpoint.status) == EndpointStatus.ACTIVE.value,
            col(WebhookEndpoint.failing_since).is_not(None),
            has_work,
            ~busy,
        )
        .order_by(col(WebhookEndpoint.next_probe_at))
        .limit(limit)
        .with_for_update(skip_locked=True, of=WebhookEndpoint)
    ).all()
    chosen: dict[int, bool] = {}
    for endpoint_id, next_probe_at in endpoints:
        probe_due = next_probe_at is None or next_probe_at <= now
        pending = select(WebhookDelivery.id, WebhookDelivery.next_attempt_at).where(
            col(WebhookDelivery.endpoint_id) == endpoint_id,
            col(WebhookDelivery.status) == DeliveryStatus.PENDING.value,
        )
        if probe_due:  # the oldest pending delivery goes, due or not
            pending = pending.order_by(col(WebhookDelivery.id))
        else:  # only what its own schedule says is due
            pending = pending.where(col(WebhookDelivery.next_attempt_at) <= now).order_by(
                col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id)
            )
        row = session.exec(pending.limit(1).with_for_update(skip_locked=True)).first()
        if row is not None:
            delivery_id, next_attempt_at = row
            assert delivery_id is not None
            chosen[delivery_id] = next_attempt_at is not None and next_attempt_at > now
    return chosen


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    """The current secret, and the previous one while a rotation's overlap lasts."""
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at is not None
        and endpoint.previous_secret_expires_at > now
    ):
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


def record_attempt(
    session: Session,
    claimed: Claimed,
    result: SendResult,
    now: datetime,
    rng: random.Random,
    *,
    disable_after: timedelta,
    schedule: tuple[timedelta, ...] = RETRY_DELAYS,
    probe_interval: timedelta = PROBE_INTERVAL,
) -> str:
    """Log the attempt and decide what follows: done, retry when, give up, or hold and disable."""
    if result.ok:
        recovered = _record_delivered(session, claimed, result, now)
        if recovered is not None:
            return Outcome.RECOVERED if recovered else Outcome.DELIVERED
    # From here on: a failure, or a success whose lease is no longer ours (or whose delivery
    # was deleted with its endpoint), which is recorded below without deciding anything.
    delivery = session.exec(
        select(WebhookDelivery).where(col(WebhookDelivery.id) == claimed.delivery_id).with_for_update()
    ).first()
    if delivery is None:  # the endpoint was deleted meanwhile
        return Outcome.LEASE_LOST
    attempt = WebhookAttempt(
        delivery_id=claimed.delivery_id,
        attempt=delivery.attempts + 1,
        at=now,
        status_code=result.status_code,
        duration_ms=result.duration_ms,
        error=result.error,
        response_body=result.response_body,
    )
    if delivery.lease_token != claimed.token:
        # Another dispatcher took the delivery over after our lease ran out: it owns the outcome.
        session.add(attempt)
        return Outcome.LEASE_LOST
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = result.status_code
    delivery.last_error = result.error
    delivery.lease_token = None
    delivery.lease_expires_at = None
    outcome = _decide(session, delivery, claimed, result, now, rng, disable_after, schedule, probe_interval)
    attempt.next_attempt_at = delivery.next_attempt_at
    session.add(delivery)
    session.add(attempt)
    return outcome


_DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
_ATTEMPTS: Table = WebhookAttempt.__table__  # type: ignore[attr-defined]
_ENDPOINTS: Table = WebhookEndpoint.__table__  # type: ignore[attr-defined]
_MARK_DELIVERED = (
    update(_DELIVERIES)
    .where(_DELIVERIES.c.id == bindparam("delivery_id"), _DELIVERIES.c.lease_token == bindparam("token"))
    .values(
        status=DeliveryStatus.DELIVERED.value,
        delivered_at=bindparam("now"),
        next_attempt_at=None,
        attempts=_DELIVERIES.c.attempts + 1,
        last_attempt_at=bindparam("now"),
        last_status_code=bindparam("status_code"),
        last_error=None,
        lease_token=None,
        lease_expires_at=None,
    )
    .returning(_DELIVERIES.c.attempts, _DELIVERIES.c.endpoint_id)
)
_INSERT_ATTEMPT = insert(_ATTEMPTS)
_ATTEMPT_COLUMNS = (
    "delivery_id",
    "attempt",
    "at",
    "status_code",
    "duration_ms",
    "error",
    "response_body",
    "next_attempt_at",
)
_ENDPOINT_RECOVERED = (
    update(_ENDPOINTS)
    .where(_ENDPOINTS.c.id == bindparam("endpoint_id"), _ENDPOINTS.c.failing_since.is_not(None))
    .values(failing_since=None, next_probe_at=None)
    .returning(_ENDPOINTS.c.id)
)


def _record_delivered(session: Session, claimed: Claimed, result: SendResult, now: datetime) -> bool | None:
    """The common case, a success under our own lease, in three prepared statements.

    None (and nothing written) when the lease is no longer ours or the delivery is gone: the
    general path below sorts those out. True when this success ended a run of failures: the
    endpoint's other pending deliveries are then made due at once. Attempts are recorded at the
    rate events are sent, and through the ORM this cost more than the send itself.
    """
    driver, dialect = driver_of(session)
    rows = prepared(_MARK_DELIVERED, dialect).run(
        driver,
        {
            "delivery_id": claimed.delivery_id,
            "token": claimed.token,
            "now": now,
            "status_code": result.status_code,
        },
    )
    if not rows:
        return None
    attempt = {
        "delivery_id": claimed.delivery_id,
        "attempt": rows[0]["attempts"],
        "at": now,
        "status_code": result.status_code,
        "duration_ms": result.duration_ms,
        "error": None,
        "response_body": result.response_body,
        "next_attempt_at": None,
    }
    prepared(_INSERT_ATTEMPT, dialect, _ATTEMPT_COLUMNS).run(driver, attempt)
    recovered = prepared(_ENDPOINT_RECOVERED, dialect).run(driver, {"endpoint_id": rows[0]["endpoint_id"]})
    if recovered:
        send_pending_at_once(session, rows[0]["endpoint_id"], now)
    return bool(recovered)


def _pending_unleased(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Pending deliveries no dispatcher holds: never leased, or their lease has run out."""
    lease = col(WebhookDelivery.lease_expires_at)
    return (col(WebhookDelivery.status) == DeliveryStatus.PENDING.value, or_(lease.is_(None), lease <= now))


def send_pending_at_once(session: Session, endpoint_id: str, now: datetime) -> None:
    """The receiver is back: everything of it still pending is due now, all at the same moment, so
    the claim (by due time, then id) sends it in event order. A delivery whose retry was not due
    yet is sent early by its own schedule, so that send counts as unscheduled: should it fail, it
    has used up no retry."""
    next_attempt_at = col(WebhookDelivery.next_attempt_at)
    session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.endpoint_id) == endpoint_id,
            *_pending_unleased(now),
        )
        .values(
            next_attempt_at=now,
            unscheduled_attempts=col(WebhookDelivery.unscheduled_attempts)
            + case((next_attempt_at > now, 1), else_=0),
        )
    )


def _decide(
    session: Session,
    delivery: WebhookDelivery,
    claimed: Claimed,
    result: SendResult,
    now: datetime,
    rng: random.Random,
    disable_after: timedelta,
    schedule: tuple[timedelta, ...],
    probe_interval: timedelta,
) -> str:
    # A success under our own lease never gets here: _record_delivered wrote it.
    assert not result.ok, "successes are recorded by _record_delivered"
    endpoint = session.exec(
        select(WebhookEndpoint).where(col(WebhookEndpoint.id) == delivery.endpoint_id).with_for_update()
    ).one()
    retry_after = parse_retry_after(result.retry_after, now)
    if endpoint.status == EndpointStatus.ACTIVE.value:
        if endpoint.failing_since is None:
            endpoint.failing_since = now
        endpoint.next_probe_at = now + probe_delay(
            endpoint.failing_since, now, schedule, interval=probe_interval, retry_after=retry_after
        )
        if result.status_code == 410:
            disable_endpoint(session, endpoint, now, "the receiver answered 410 Gone")
        elif should_disable(endpoint.failing_since, now, disable_after):
            days = disable_after.total_seconds() / 86400
            disable_endpoint(session, endpoint, now, f"every delivery failed for {days:g} days")
        else:
            session.add(endpoint)
    if endpoint.status != EndpointStatus.ACTIVE.value:
        delivery.status = DeliveryStatus.HELD.value
        delivery.next_attempt_at = None
        return Outcome.HELD
    if claimed.probe:
        # Sent before its time to learn whether the receiver is back: its own schedule stands.
        delivery.unscheduled_attempts += 1
        return Outcome.RETRYING
    delay = retry_delay(delivery.attempts - delivery.unscheduled_attempts, rng, retry_after, schedule)
    if delay is None:
        delivery.status = DeliveryStatus.FAILED.value
        delivery.next_attempt_at = None
        return Outcome.EXHAUSTED
    delivery.status = DeliveryStatus.PENDING.value
    delivery.next_attempt_at = now + delay
    return Outcome.RETRYING


def _give_up(session: Session, delivery: WebhookDelivery, now: datetime, error: str) -> None:
    delivery.status = DeliveryStatus.FAILED.value
    delivery.next_attempt_at = None
    delivery.lease_token = None
    delivery.lease_expires_at = None
    delivery.last_error = error
    delivery.last_attempt_at = now
    session.add(delivery)


def hold_pending(session: Session, endpoint_id: str, now: datetime) -> None:
    """Nothing is sent to an endpoint that is not active: its queued deliveries wait for a replay.

    Deliveries in flight (leased) are left to finish; their outcome is recorded as usual.
    """
    session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.endpoint_id) == endpoint_id,
            *_pending_unleased(now),
        )
        .values(
            status=DeliveryStatus.HELD.value, next_attempt_at=None, lease_token=None, lease_expires_at=None
        )
    )


def disable_endpoint(session: Session, endpoint: WebhookEndpoint, now: datetime, reason: str) -> None:
    endpoint.status = EndpointStatus.DISABLED.value
    endpoint.disabled_reason = reason
    endpoint.disabled_at = now
    endpoint.updated_at = now
    session.add(endpoint)
    # The outbox rows for the endpoint.disabled event below must see the endpoint as disabled.
    session.flush()
    hold_pending(session, endpoint.id, now)
    append_events(
        session,
        [
            NewEvent(
                type="endpoint.disabled",
                subject=None,
                data={
                    "endpoint": endpoint.id,
                    "url": endpoint.url,
                    "reason": reason,
                    "failing_since": endpoint.failing_since.isoformat() if endpoint.failing_since else None,
                },
            )
        ],
        now,
    )


@dataclass(frozen=True)
class OutboxStats:
    depth: int
    due: int
    oldest_due_at: datetime | None
    active_endpoints: int


def outbox_stats(session: Session, now: datetime) -> OutboxStats:
    pending = col(WebhookDelivery.status) == DeliveryStatus.PENDING.value
    depth = session.exec(select(func.count()).select_from(WebhookDelivery).where(pending)).one()
    due, oldest = session.exec(
        select(func.count(), func.min(WebhookDelivery.next_attempt_at)).where(
            pending, col(WebhookDelivery.next_attempt_at) <= now
        )
    ).one()
    if isinstance(oldest, str):  # SQLite hands an aggregate back untyped
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    active = session.exec(
        select(func.count())
        .select_from(WebhookEndpoint)
        .where(col(WebhookEndpoint.status) == EndpointStatus.ACTIVE.value)
    ).one()
    return OutboxStats(depth=int(depth), due=int(due), oldest_due_at=oldest, active_endpoints=int(active))
