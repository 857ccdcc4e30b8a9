"""What was learned of stage durations: one row per flow, stage and block reason (app/models/stats.py).

A finish adds to its rows under a row lock (PostgreSQL), so finishes on several replicas add up;
a department that moves to another calendar has its rows emptied.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.models.stats import StageStat


def of_flow(session: Session, flow_key: str, *, ordered: bool = False) -> list[StageStat]:
    """The flow's rows (by stage and reason, if ``ordered``)."""
    query = select(StageStat).where(StageStat.flow_key == flow_key)
    if ordered:
        query = query.order_by(col(StageStat.stage_key), col(StageStat.reason))
    return list(session.exec(query).all())


def locked(session: Session, flow_key: str, stage_key: str, reason: str, now: datetime) -> StageStat:
    """The row of this stage and reason, made empty if there was none, locked for a change."""
    values = {
        "flow_key": flow_key,
        "stage_key": stage_key,
        "reason": reason,
        "samples": 0,
        "recent": [],
        "updated_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # Two replicas finishing the first stage of a kind at once must not collide on the unique key.
    session.execute(
        insert(StageStat)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["flow_key", "stage_key", "reason"])
    )
    return session.exec(
        select(StageStat)
        .where(StageStat.flow_key == flow_key, StageStat.stage_key == stage_key, StageStat.reason == reason)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def forget(session: Session, flow_key: str, stage_keys: Sequence[str]) -> None:
    """Empty the learned windows of these stages of the flow."""
    session.execute(
        update(StageStat)
        .where(col(StageStat.flow_key) == flow_key, col(StageStat.stage_key).in_(stage_keys))
        .values(samples=0, recent=[])
    )
