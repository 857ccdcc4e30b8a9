"""The promise ledger: every change of an order's ETA and estimated cost, with its cause."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import Index
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import Money
from app.models.types import DecimalText, UTCDateTime


class EstimateRevision(SQLModel, table=True):
    __tablename__ = "estimate_revision"
    __table_args__ = (Index("ix_estimate_revision_order_id_id", "order_id", "id"),)

    id: int | None = SQLField(default=None, primary_key=True)
    order_id: int = SQLField(foreign_key="orders.id")
    event_id: int | None = None
    at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    kind: str = SQLField(max_length=8)  # "eta" or "cost"
    stage_key: str | None = SQLField(default=None, max_length=64)
    reason: str | None = SQLField(default=None, max_length=64)
    actor: str | None = SQLField(default=None, max_length=200)
    previous_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    new_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    previous_amount: Decimal | None = SQLField(default=None, sa_type=DecimalText)
    new_amount: Decimal | None = SQLField(default=None, sa_type=DecimalText)
    delta_minutes: int | None = None
    delta_amount: Decimal | None = SQLField(default=None, sa_type=DecimalText)
    crossed_promise: str | None = SQLField(default=None, max_length=16)  # "behind" / "back" / None
    significant: bool = False


class EstimateRevisionPublic(BaseModel):
    at: datetime
    kind: str
    stage: str | None
    reason: str | None
    actor: str | None
    previous_at: datetime | None
    new_at: datetime | None
    delta_minutes: int | None
    previous_cost: Money | None
    new_cost: Money | None
    delta_cost: Money | None
    crossed_promise: str | None
    significant: bool
    event_id: int | None
