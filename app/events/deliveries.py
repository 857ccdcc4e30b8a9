"""The dispatcher's use cases: claim due deliveries, record what attempts did, hold and disable.

Each runs through the writer like any other write, so a claim is committed (with its lease) before
the HTTP request is made, and an outcome is committed before anything else is decided about it.
Both work on batches: a claim round takes what every endpoint has room for, and the attempts
that finished meanwhile are recorded together, by one path whether they succeeded or failed.
The statements are in app/repositories/deliveries.py.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlmodel import Session, col, select

from app.domain.webhook_signing import secrets_in_use
from app.domain.webhooks import (
    DOWN_AFTER_FAILURES,
    PROBE_INTERVAL,
    RETRY_DELAYS,
    parse_retry_after,
    probe_delay,
    retry_delay,
    should_disable,
)
from app.events.append import NewEvent, append_events
from app.events.log import LoggedEvent, encode_envelope
from app.events.webhook_http import SendResult
from app.models.webhook import DeliveryStatus, EndpointStatus, WebhookEndpoint
from app.repositories import deliveries as repo
from app.repositories.deliveries import EndpointRow, OutboxStats, outbox_stats

__all__ = [
    "Claimed",
    "OutboxStats",
    "Outcome",
    "claim_due",
    "disable_endpoint",
    "hold_pending",
    "outbox_stats",
    "record_attempt",
    "record_attempts",
]


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


#: How many encoded envelopes a dispatcher keeps (see ``bodies`` in :func:`claim_due`).
BODIES_KEPT = 4096


def claim_due(
    session: Session,
    now: datetime,
    *,
    limit: int,
    lease: timedelta,
    source: str,
    per_endpoint: int | None = None,
    in_flight: Mapping[str, int] | None = None,
    rotate: int = 0,
    bodies: dict[int, bytes] | None = None,
) -> list[Claimed]:
    """Take up to ``limit`` due deliveries of active endpoints and lease them to the caller.

    A healthy endpoint gets its due deliveries in event order, up to ``per_endpoint`` in flight
    (less what this caller has in flight to it already, ``in_flight``); an ordered one gets one
    at a time, its oldest pending delivery, once the one before it is settled.

    A failing endpoint (``failing_since`` set) gets one at a time: the next due by its own
    schedule while fewer than ``DOWN_AFTER_FAILURES`` attempts in a row have failed (a blip, or one
    event the receiver refuses); after that, only what an attempt of its own has scheduled, and,
    once its probe time has come, one delivery as a probe. New deliveries wait for the endpoint
    to be back instead of each trying it.

    ``bodies`` keeps encoded envelopes by event id across calls (the caller's, for one database):
    an event goes to every endpoint that wants it, and the log's rows never change, so each is
    read and encoded once while it is being sent.

    ``SKIP LOCKED`` lets dispatchers of several replicas claim side by side; the endpoint's row
    is locked where one dispatcher must decide alone (failing, ordered). The lease, committed with
    the claim, keeps a claimed row away from the others until it expires, which is also how a
    crashed dispatcher's work comes back: at least once, always.
    """
    endpoints = repo.active_endpoints(session)
    if not endpoints or limit <= 0:
        return []
    if rotate:
        shift = rotate % len(endpoints)
        endpoints = endpoints[shift:] + endpoints[:shift]
    busy_here = in_flight or {}
    cap = per_endpoint if per_endpoint is not None else limit
    chosen: list[tuple[EndpointRow, dict[str, Any], bool]] = []
    for endpoint in endpoints:
        if len(chosen) >= limit:
            break
        if (endpoint.failing_since is not None or endpoint.ordered) and not busy_here.get(endpoint.id):
            picked = _one_at_a_time(session, endpoint, now)
            if picked is not None:
                chosen.append((endpoint, picked[0], picked[1]))
    # The healthy endpoints' reads go together (one round trip on PostgreSQL), each asking for
    # what the room left would let it have; what the room cannot take stays unleased.
    healthy = [
        (endpoint, cap - busy_here.get(endpoint.id, 0))
        for endpoint in endpoints
        if endpoint.failing_since is None and not endpoint.ordered and cap > busy_here.get(endpoint.id, 0)
    ]
    room = limit - len(chosen)
    if healthy and room > 0:
        due_rows = repo.due_many(session, [(e.id, min(room, want)) for e, want in healthy], now)
        for (endpoint, _), rows in zip(healthy, due_rows, strict=True):
            take = rows[: limit - len(chosen)]
            chosen += [(endpoint, row, False) for row in take]
    if not chosen:
        return []
    token = secrets.token_hex(16)
    repo.lease(session, [row["id"] for _, row, _ in chosen], token, now + lease)
    encoded = bodies if bodies is not None else {}
    wanted = {row["event_id"] for _, row, _ in chosen if row["event_id"] is not None}
    if len(encoded) + len(wanted) > BODIES_KEPT:
        encoded.clear()  # before looking: what this claim needs is then read, all of it
    missing = [event_id for event_id in wanted if event_id not in encoded]
    if missing:
        for event_id, event in repo.events(session, missing).items():
            encoded[event_id] = encode_envelope(LoggedEvent(**event), source)
    claimed: list[Claimed] = []
    for endpoint, row, probe in chosen:
        if row["event_id"] is None:
            payload = row["payload"] or {}
            body = orjson.dumps(payload)
            webhook_id = str(payload.get("id", f"ping_{row['id']}"))
        else:
            found = encoded.get(row["event_id"])
            if found is None:  # pruned from the log before it could be sent
                repo.give_up(session, row["id"], now, "the event is no longer in the log")
                continue
            body = found
            webhook_id = str(row["event_id"])
        claimed.append(
            Claimed(
                delivery_id=row["id"],
                token=token,
                endpoint_id=endpoint.id,
                url=endpoint.url,
                signing_secrets=secrets_in_use(endpoint, now),
                webhook_id=webhook_id,
                event_type=row["event_type"],
                body=body,
                probe=probe,
            )
        )
    return claimed


def _one_at_a_time(
    session: Session, endpoint: EndpointRow, now: datetime
) -> tuple[dict[str, Any], bool] | None:
    """A failing or ordered endpoint's next delivery, and whether it goes as a probe."""
    if not repo.lock_endpoint(session, endpoint.id):
        return None  # another dispatcher is deciding for it
    failing = endpoint.failing_since is not None
    blip = failing and endpoint.consecutive_failures < DOWN_AFTER_FAILURES
    probe_due = failing and (endpoint.next_probe_at is None or endpoint.next_probe_at <= now)

    def own_turn(row: Mapping[str, Any]) -> bool:
        """Due by its own schedule, as the endpoint's state allows."""
        if row["next_attempt_at"] is None or row["next_attempt_at"] > now:
            return False
        return not failing or blip or row["attempts"] > row["unscheduled_attempts"]

    if endpoint.ordered:
        row = repo.head(session, endpoint.id)
        if row is None or (row["lease_expires_at"] is not None and row["lease_expires_at"] > now):
            return None  # nothing pending, or the one before is still in flight
        if own_turn(row):
            return row, False
        return (row, True) if probe_due else None
    if repo.busy(session, endpoint.id, now):
        return None
    if probe_due:
        row = repo.least_tried(session, endpoint.id, now)
        if row is not None:
            return row, not own_turn(row)
    if blip:
        rows = repo.due(session, endpoint.id, now, 1)
        return (rows[0], False) if rows else None
    row = repo.due_retry(session, endpoint.id, now)
    return (row, False) if row is not None else None


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
    """:func:`record_attempts` for one attempt."""
    [outcome] = record_attempts(
        session,
        [(claimed, result)],
        now,
        rng,
        disable_after=disable_after,
        schedule=schedule,
        probe_interval=probe_interval,
    )
    return outcome


def record_attempts(
    session: Session,
    attempts: Sequence[tuple[Claimed, SendResult]],
    now: datetime,
    rng: random.Random,
    *,
    disable_after: timedelta,
    schedule: tuple[timedelta, ...] = RETRY_DELAYS,
    probe_interval: timedelta = PROBE_INTERVAL,
) -> list[str]:
    """Log each attempt and decide what follows: done, retry when, give up, or hold and disable.

    Success or failure, every attempt takes the same way: its delivery's state is read (locked),
    the outcome decided, then the batch's new delivery states and attempt rows are written with
    one statement each. An attempt whose lease is no longer its own (another dispatcher took the
    delivery over) is logged and decides nothing; one whose delivery is gone (its endpoint was
    deleted) leaves no trace.
    """
    found = repo.states(session, [claimed.delivery_id for claimed, _ in attempts])
    settled: list[dict[str, Any]] = []
    logged: list[dict[str, Any]] = []
    outcomes: list[str] = []
    succeeded: list[str] = []
    endpoints: dict[str, dict[str, Any] | None] = {}
    for claimed, result in attempts:
        state = found.get(claimed.delivery_id)
        if state is None:
            outcomes.append(Outcome.LEASE_LOST)
            continue
        attempt = {
            "delivery_id": claimed.delivery_id,
            "attempt": state["attempts"] + 1,
            "at": now,
            "status_code": result.status_code,
            "duration_ms": result.duration_ms,
            "error": result.error,
            "response_body": result.response_body,
            "next_attempt_at": None,
        }
        logged.append(attempt)
        if state["lease_token"] != claimed.token:
            outcomes.append(Outcome.LEASE_LOST)
            continue
        state["lease_token"] = None  # settled once, even if the batch holds it twice
        change = {
            "delivery_id": claimed.delivery_id,
            "new_status": DeliveryStatus.PENDING.value,
            "new_attempts": state["attempts"] + 1,
            "new_unscheduled": state["unscheduled_attempts"],
            "next_at": None,
            "at": now,
            "status_code": result.status_code,
            "error": result.error,
            "delivered": None,
        }
        if result.ok:
            change.update(new_status=DeliveryStatus.DELIVERED.value, delivered=now)
            outcomes.append(Outcome.DELIVERED)
            succeeded.append(state["endpoint_id"])
        else:
            if state["endpoint_id"] not in endpoints:
                endpoints[state["endpoint_id"]] = repo.endpoint_state(session, state["endpoint_id"])
            endpoint = endpoints[state["endpoint_id"]]
            outcome = _failed(
                session,
                endpoint,
                state,
                change,
                claimed,
                result,
                now,
                rng,
                disable_after,
                schedule,
                probe_interval,
            )
            outcomes.append(outcome)
        attempt["next_attempt_at"] = change["next_at"]
        settled.append(change)
    repo.settle(session, settled)
    repo.insert_attempts(session, logged)
    recovered = repo.mark_recovered(session, list(dict.fromkeys(succeeded)))
    if recovered:
        for endpoint_id in recovered:
            repo.send_pending_at_once(session, endpoint_id, now)
        # The first success on each recovered endpoint says so.
        for index, (claimed, _) in enumerate(attempts):
            if outcomes[index] == Outcome.DELIVERED and claimed.endpoint_id in recovered:
                outcomes[index] = Outcome.RECOVERED
                recovered.discard(claimed.endpoint_id)
    return outcomes


def _failed(
    session: Session,
    endpoint: dict[str, Any] | None,
    state: dict[str, Any],
    change: dict[str, Any],
    claimed: Claimed,
    result: SendResult,
    now: datetime,
    rng: random.Random,
    disable_after: timedelta,
    schedule: tuple[timedelta, ...],
    probe_interval: timedelta,
) -> str:
    """A failed attempt under our own lease: the endpoint's run of failures, then the delivery's
    next attempt (``change`` is filled in)."""
    retry_after = parse_retry_after(result.retry_after, now)
    active = endpoint is not None and endpoint["status"] == EndpointStatus.ACTIVE.value
    if endpoint is not None and active:
        since = endpoint["failing_since"] or now
        failures = endpoint["consecutive_failures"] + 1 if endpoint["failing_since"] is not None else 1
        endpoint["failing_since"] = since
        endpoint["consecutive_failures"] = failures
        probe_at = now + probe_delay(since, now, schedule, interval=probe_interval, retry_after=retry_after)
        endpoint["next_probe_at"] = probe_at
        reason = None
        if result.status_code == 410:
            reason = "the receiver answered 410 Gone"
        elif should_disable(since, now, disable_after):
            reason = f"every delivery failed for {disable_after.total_seconds() / 86400:g} days"
        if reason is None:
            repo.mark_failing(session, endpoint["id"], since, probe_at, failures)
        else:
            disable_endpoint(session, _endpoint(session, endpoint["id"]), now, reason, failing_since=since)
            endpoint["status"] = EndpointStatus.DISABLED.value
            active = False
    if not active:
        change.update(new_status=DeliveryStatus.HELD.value, next_at=None)
        return Outcome.HELD
    if claimed.probe:
        # Sent before its time to learn whether the receiver is back: its own schedule stands.
        change.update(new_unscheduled=state["unscheduled_attempts"] + 1, next_at=state["next_attempt_at"])
        return Outcome.RETRYING
    made = change["new_attempts"] - change["new_unscheduled"]
    delay = retry_delay(made, rng, retry_after, schedule)
    if delay is None:
        change.update(new_status=DeliveryStatus.FAILED.value, next_at=None)
        return Outcome.EXHAUSTED
    change.update(next_at=now + delay)
    return Outcome.RETRYING


def _endpoint(session: Session, endpoint_id: str) -> WebhookEndpoint:
    return session.exec(select(WebhookEndpoint).where(col(WebhookEndpoint.id) == endpoint_id)).one()


def hold_pending(session: Session, endpoint_id: str, now: datetime) -> None:
    """Nothing is sent to an endpoint that is not active: its queued deliveries wait for a replay.

    Deliveries in flight (leased) are left to finish; their outcome is recorded as usual.
    """
    repo.hold_pending(session, endpoint_id, now)


def disable_endpoint(
    session: Session,
    endpoint: WebhookEndpoint,
    now: datetime,
    reason: str,
    *,
    failing_since: datetime | None = None,
) -> None:
    endpoint.status = EndpointStatus.DISABLED.value
    endpoint.disabled_reason = reason
    endpoint.disabled_at = now
    endpoint.updated_at = now
    if failing_since is not None:
        endpoint.failing_since = failing_since
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
