"""Webhook endpoints as their management use cases read and change them, and the deliveries the
API lists. (What the dispatcher runs, claims and records, is in app/repositories/deliveries.py.)

An endpoint is loaded as its model and changed through the session; the rows listed are the
models too, read newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.models.webhook import WebhookAttempt, WebhookDelivery, WebhookEndpoint

DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
#: Rows per INSERT when deliveries are queued again.
_UPSERT_CHUNK = 500


def endpoint(session: Session, endpoint_id: str, *, lock: bool = False) -> WebhookEndpoint | None:
    query = select(WebhookEndpoint).where(col(WebhookEndpoint.id) == endpoint_id)
    return session.exec(query.with_for_update() if lock else query).first()


def endpoints(session: Session) -> list[WebhookEndpoint]:
    """Every endpoint, the oldest first."""
    return list(session.exec(select(WebhookEndpoint).order_by(col(WebhookEndpoint.created_at))).all())


def deliveries(
    session: Session, endpoint_id: str, *, status: str | None, before: int | None, limit: int
) -> list[WebhookDelivery]:
    """Up to ``limit`` of the endpoint's deliveries, newest first, below ``before`` if given."""
    query = select(WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == endpoint_id)
    if status is not None:
        query = query.where(col(WebhookDelivery.status) == status)
    if before is not None:
        query = query.where(col(WebhookDelivery.id) < before)
    return list(session.exec(query.order_by(col(WebhookDelivery.id).desc()).limit(limit)).all())


def attempts(session: Session, delivery_ids: Sequence[int | None]) -> list[WebhookAttempt]:
    """The attempts of these deliveries, in the order they were made."""
    return list(
        session.exec(
            select(WebhookAttempt)
            .where(col(WebhookAttempt.delivery_id).in_(delivery_ids))
            .order_by(col(WebhookAttempt.id))
        ).all()
    )


def requeue(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert these deliveries, or set an existing one (same endpoint and event) pending again."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(rows), _UPSERT_CHUNK):
        statement = insert(DELIVERIES).values(list(rows[start : start + _UPSERT_CHUNK]))
        statement = statement.on_conflict_do_update(
            index_elements=["endpoint_id", "event_id"],
            set_={
                "status": statement.excluded.status,
                "attempts": 0,
                "next_attempt_at": statement.excluded.next_attempt_at,
                "lease_token": None,
                "lease_expires_at": None,
            },
        )
        session.execute(statement)
