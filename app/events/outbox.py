"""The webhook outbox: one delivery row per new event and matching endpoint, in the event's transaction.

Because the rows are written with the events, a crash can lose neither: what committed is in the
log and in the outbox together, and the dispatcher sends it sooner or later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from app.domain.webhooks import EndpointRule
from app.events.log import EventLike
from app.models.webhook import DeliveryStatus, EndpointStatus, WebhookEndpoint
from app.repositories import event_log
from app.repositories.statements import RowView


def endpoint_rule(endpoint: WebhookEndpoint | Any) -> EndpointRule:
    return EndpointRule(
        endpoint_id=endpoint.id,
        active=endpoint.status == EndpointStatus.ACTIVE.value,
        event_types=tuple(endpoint.event_types),
        departments=frozenset(endpoint.departments),
        orders=frozenset(endpoint.orders),
        significant_only=bool(endpoint.significant_only),
    )


def load_rules(session: Session) -> list[EndpointRule]:
    """Every endpoint's subscription, in one small query on the writing transaction.

    Read inside the transaction rather than cached, so an endpoint created or paused by another
    replica is honoured by the very next event, with no cache to invalidate.
    """
    return rules_of(event_log.endpoint_rules(session))


def rules_read() -> event_log.Read:
    """The read of :func:`load_rules`, to send along with another (see :func:`rules_of`)."""
    return event_log.endpoint_rules_read()


def rules_of(rows: list[dict[str, Any]]) -> list[EndpointRule]:
    return [endpoint_rule(RowView(row)) for row in rows]


def enqueue_deliveries(
    session: Session, events: Sequence[EventLike], rules: list[EndpointRule] | None = None
) -> int:
    """Add the outbox rows for freshly appended events; returns how many were added.

    Endpoints that are paused or disabled still get a row, ``held``, so that a replay can send it.
    ``rules`` are the endpoints' rules when already read in this transaction.
    """
    if not events:
        return 0
    if rules is None:
        rules = load_rules(session)
    if not rules:
        return 0
    rows: list[dict[str, Any]] = []
    for event in events:
        for rule in rules:
            if rule.matches(event.type, event.subject, event.department, event.data):
                rows.append(
                    {
                        "endpoint_id": rule.endpoint_id,
                        "event_id": event.id,
                        "event_type": event.type,
                        "status": (DeliveryStatus.PENDING if rule.active else DeliveryStatus.HELD).value,
                        "attempts": 0,
                        "next_attempt_at": event.time if rule.active else None,
                        "created_at": event.time,
                    }
                )
    event_log.insert_deliveries(session, rows)
    return len(rows)
