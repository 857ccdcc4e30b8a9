"""The promise ledger: every change of an order's ETA and estimated cost, with its cause."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import Index
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import Money
from app.models.order import CostPublic, EtaPublic
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
    #: The promise as it stood when this entry was written (the promise itself may change).
    promised_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    significant: bool = False


LEDGER_KINDS = ("initial", "eta", "cost", "promise")


class EstimateRevisionPublic(BaseModel):
    """One entry of the promise ledger."""

    at: datetime
    kind: str = Field(
        description="initial (the estimate when the order was made), eta (the likely finish moved), "
        "cost (the estimated cost moved) or promise (the promise itself was changed)"
    )
    stage: str | None = Field(description="The stage whose change caused this entry")
    reason: str | None = Field(description="The reason code given with it")
    reason_text: dict[str, str] | None = Field(default=None, description="The reason's label, en and id")
    actor: str | None
    previous_at: datetime | None = Field(description="ETA (or, for kind promise, the promise) before")
    new_at: datetime | None = Field(description="ETA (or, for kind promise, the promise) after")
    delta_minutes: int | None = Field(description="new_at minus previous_at, in minutes")
    previous_cost: Money | None
    new_cost: Money | None
    delta_cost: Money | None
    promised_at: datetime | None = Field(description="The promise as it stood at the time")
    minutes_past_promise: int | None = Field(
        default=None, description="How far the new ETA was beyond that promise (negative: ahead of it)"
    )
    crossed_promise: str | None = Field(
        description="behind: this entry put the ETA past the promise; back: it brought it back within"
    )
    significant: bool
    event_id: int | None = Field(description="The event that announced it")


class PromiseLedgerPublic(BaseModel):
    """What was promised, the current estimate, and every revision in between, oldest first."""

    reference: str
    state: str
    at_risk: bool
    promised_at: datetime
    eta: EtaPublic
    cost: CostPublic
    revisions: list[EstimateRevisionPublic]
