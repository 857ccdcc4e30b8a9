"""Integrations (inbound senders) and the receipts of what they sent: each webhook-id is taken
once, by the unique constraint, so a message sent twice is applied once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models.integration import InboundReceipt, Integration


def add_integration(session: Session, row: Integration) -> bool:
    """Add a new integration; False when one of that name exists (added by another process since
    the caller looked: the primary key decides)."""
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        return False
    return True


def all_integrations(session: Session) -> Sequence[Integration]:
    """Every integration, by name."""
    return session.exec(select(Integration).order_by(col(Integration.name))).all()


def take_receipt(
    session: Session, integration: str, webhook_id: str, reference: str, stage: str, now: datetime
) -> bool:
    """Record the webhook-id; False when it was already taken."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(InboundReceipt)
        .values(
            integration=integration,
            webhook_id=webhook_id,
            reference=reference,
            stage=stage,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["integration", "webhook_id"])
        .returning(col(InboundReceipt.id))
    )
    return session.execute(statement).first() is not None


def forget_receipts(session: Session, integration: str, *, before: datetime | None = None) -> None:
    """Remove the integration's receipts (those received before ``before``, if given)."""
    statement = delete(InboundReceipt).where(col(InboundReceipt.integration) == integration)
    if before is not None:
        statement = statement.where(col(InboundReceipt.received_at) < before)
    session.execute(statement)


def receipt(session: Session, integration: str, webhook_id: str) -> InboundReceipt:
    """The receipt of a webhook-id already taken."""
    return session.exec(
        select(InboundReceipt).where(
            InboundReceipt.integration == integration, InboundReceipt.webhook_id == webhook_id
        )
    ).one()
