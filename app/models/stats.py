"""Learned stage durations: a bounded window of recent finishes per flow, stage and block reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.types import UTCDateTime

#: The reason value of the row that counts every finished stage, blocked or not.
ALL_REASONS = ""


class StageStat(SQLModel, table=True):
    __tablename__ = "stage_stat"
    __table_args__ = (
        UniqueConstraint("flow_key", "stage_key", "reason", name="uq_stage_stat_flow_key_stage_key_reason"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    flow_key: str = SQLField(foreign_key="flow.key", max_length=64)
    stage_key: str = SQLField(max_length=64)
    #: "" for every finished stage; a reason code for the stages that were blocked for it.
    reason: str = SQLField(default=ALL_REASONS, max_length=64)
    #: Every finish ever counted (the window below keeps only the latest).
    samples: int = 0
    #: Durations in minutes (ready -> finished), oldest first, at most RECENT_SAMPLES of them.
    recent: list[float] = SQLField(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
