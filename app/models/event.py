"""The append-only event log: one row per change, numbered by a global sequence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.types import UTCDateTime

EVENT_TYPES: tuple[str, ...] = (
    "order.created",
    "order.updated",
    "order.at_risk",
    "order.back_on_track",
    "order.completed",
    "order.cancelled",
    "stage.ready",
    "stage.started",
    "stage.blocked",
    "stage.resumed",
    "stage.completed",
    "stage.skipped",
    "stage.overdue",
    "estimate.revised",
    "cost.revised",
    "inquiry.logged",
    "acknowledgement.recorded",
    "request.opened",
    "request.answered",
    "request.overdue",
    "endpoint.disabled",
)


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_order_id_id", "order_id", "id"),
        Index("ix_event_type_id", "type", "id"),
    )

    # Assigned from event_counter under a row lock, never by the database's autoincrement:
    # that is what makes "after=SEQ" paging gap-free on PostgreSQL.
    id: int = SQLField(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    type: str = SQLField(max_length=40)
    subject: str | None = SQLField(default=None, max_length=64)
    order_id: int | None = SQLField(default=None)
    department: str | None = SQLField(default=None, max_length=64)
    #: Whether the order was at risk once this event happened: the desk's "at risk only" filter.
    at_risk: bool = False
    time: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    data: dict[str, Any] = SQLField(sa_column=Column(JSON, nullable=False))


class EventCounter(SQLModel, table=True):
    __tablename__ = "event_counter"

    id: int = SQLField(primary_key=True)
    last_id: int = SQLField(sa_column=Column(BigInteger, nullable=False))
    #: The newest event id retention has removed: the log is complete only after it, so a
    #: reader whose cursor is below it is told to reset.
    pruned_through: int = SQLField(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )


class CloudEvent(BaseModel):
    """CloudEvents 1.0, structured JSON: the same envelope in the log, the stream and webhooks."""

    specversion: str = "1.0"
    id: str = Field(description="The event's sequence number, as a string")
    source: str
    type: str
    subject: str | None
    time: datetime
    datacontenttype: str = "application/json"
    data: dict[str, Any]
