"""What the sweep reads and claims: the open orders whose next moment has come, and a stage's
lapse, claimed by a conditional UPDATE so that only one sweep reports each deadline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlmodel import Session

from app.repositories.orders.aggregate import OPEN_STATES, ORDERS, STAGES, StageRecord


def _due(now: datetime, limit: int) -> Select[Any]:
    return (
        select(ORDERS.c.id)
        .where(ORDERS.c.recheck_at <= now, ORDERS.c.state.in_(OPEN_STATES))
        .order_by(ORDERS.c.recheck_at, ORDERS.c.id)
        .limit(limit)
    )


def due_orders(session: Session, now: datetime, limit: int) -> list[int]:
    """The ids of up to ``limit`` open orders whose ``recheck_at`` has come, the longest due first."""
    return list(session.connection().execute(_due(now, limit)).scalars())


def anything_due(session: Session, now: datetime) -> bool:
    return session.connection().execute(_due(now, 1)).first() is not None


def mark_overdue(session: Session, stage: StageRecord, deadline: datetime) -> bool:
    """Claim the lapse: only one sweep can move ``overdue_for`` up to this deadline.

    Either way the record's ``overdue_for`` is what the row holds afterwards."""
    conn = session.connection()
    claimed = conn.execute(
        update(STAGES)
        .where(
            STAGES.c.id == stage.id,
            or_(STAGES.c.overdue_for.is_(None), STAGES.c.overdue_for < deadline),
        )
        .values(overdue_for=deadline)
        .returning(STAGES.c.id)
    ).first()
    if claimed is None:
        stage.overdue_for = conn.execute(
            select(STAGES.c.overdue_for).where(STAGES.c.id == stage.id)
        ).scalar_one()
        return False
    stage.overdue_for = deadline
    return True
