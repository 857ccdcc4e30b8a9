"""What the reports read over a period: the stages finished in it, and the lapses reported in it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import Session

from app.domain.stage_machine import StageStatus
from app.models.event import Event
from app.repositories.orders.aggregate import ORDERS, STAGES, StageRecord, stage_from_row

EVENTS: Table = Event.__table__  # type: ignore[attr-defined]


def finished_stages(session: Session, start: datetime, end: datetime) -> list[tuple[StageRecord, str]]:
    """Stages done (having started) with a finish in [start, end), with their order's flow key."""
    rows = session.connection().execute(
        select(STAGES, ORDERS.c.flow_key)
        .join(ORDERS, ORDERS.c.id == STAGES.c.order_id)
        .where(
            STAGES.c.status == StageStatus.DONE.value,
            STAGES.c.started_at.is_not(None),
            STAGES.c.finished_at >= start,
            STAGES.c.finished_at < end,
        )
    )
    return [(stage_from_row(row), str(row["flow_key"])) for row in rows.mappings()]


def lapses(session: Session, start: datetime, end: datetime) -> list[tuple[dict[str, Any], str | None, str]]:
    """The ``stage.overdue`` events of [start, end): their data, department and order's flow key."""
    rows = session.connection().execute(
        select(EVENTS.c.data, EVENTS.c.department, ORDERS.c.flow_key)
        .join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
        .where(EVENTS.c.type == "stage.overdue", EVENTS.c.time >= start, EVENTS.c.time < end)
    )
    return [(data, department, flow_key) for data, department, flow_key in rows]
