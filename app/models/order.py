"""Orders and their stages: tables and the API's shapes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator
from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.domain.stage_machine import StageStatus
from app.models.common import MAX_INT32, AwareDatetime, Money, MoneyIn
from app.models.desk import AcknowledgementPublic
from app.models.flow import KEY_PATTERN
from app.models.types import DecimalText, UTCDateTime

#: What a route can address: one URL path segment, so no "/" (nor "%", "?", "#" or spaces).
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_state_id", "state", "id"),
        Index("ix_orders_at_risk_id", "at_risk", "id"),
        Index("ix_orders_updated_at", "updated_at"),
        Index("ix_orders_recheck_at", "recheck_at"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    reference: str = SQLField(max_length=64, unique=True)
    flow_key: str = SQLField(foreign_key="flow.key", max_length=64)
    customer_name: str = SQLField(max_length=200)
    customer_contact: str | None = SQLField(default=None, max_length=200)
    promised_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    currency: str = SQLField(max_length=3)
    quoted_amount: Decimal = SQLField(sa_type=DecimalText, nullable=False)
    estimated_amount: Decimal = SQLField(sa_type=DecimalText, nullable=False)
    actual_amount: Decimal = SQLField(sa_type=DecimalText, nullable=False)
    # Derived at the last write; "late" is not stored since it follows from promised_at and the clock.
    state: str = SQLField(max_length=16)
    at_risk: bool = False
    eta_likely_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    eta_latest_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    eta_basis: str = SQLField(default="plan", max_length=16)
    cancel_reason: str | None = SQLField(default=None, max_length=500)
    #: The next moment time alone may change what the order says; the sweeper looks then.
    recheck_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    #: What the customer was last told (the last acknowledgement; the first ETA and the quote
    #: until then): what every later change is measured against to decide whether it is news.
    told_likely_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    told_amount: Decimal | None = SQLField(default=None, sa_type=DecimalText)
    version: int = 1
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


class OrderStage(SQLModel, table=True):
    __tablename__ = "order_stage"
    __table_args__ = (
        UniqueConstraint("order_id", "key", name="uq_order_stage_order_id_key"),
        Index("ix_order_stage_department_status", "department", "status"),
        Index("ix_order_stage_key_status", "key", "status"),
        Index("ix_order_stage_status_next_update_by", "status", "next_update_by"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    order_id: int = SQLField(foreign_key="orders.id", index=True)
    key: str = SQLField(max_length=64)
    name: str = SQLField(max_length=120)
    department: str = SQLField(max_length=64)
    position: int
    depends_on: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    status: str = SQLField(max_length=16)
    planned_minutes: int
    planned_amount: Decimal | None = SQLField(default=None, sa_type=DecimalText)
    estimate_amount: Decimal | None = SQLField(default=None, sa_type=DecimalText)
    actual_amount: Decimal | None = SQLField(default=None, sa_type=DecimalText)
    expected_finish_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    #: When expected_finish_at was last set: how far ahead the technician was looking.
    revised_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    next_update_by: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    ready_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    started_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    reason: str | None = SQLField(default=None, max_length=64)
    assignee: str | None = SQLField(default=None, max_length=200)
    internal_note: str | None = SQLField(default=None, max_length=2000)
    customer_note: str | None = SQLField(default=None, max_length=1000)
    #: When the stage last heard from anyone; an overdue lapse is counted from here.
    last_update_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    #: The deadline an overdue event was already raised for, so each lapse raises one event.
    overdue_for: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    updated_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


# --- request shapes -----------------------------------------------------------------------


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    contact: str | None = Field(default=None, max_length=200)


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: str = Field(
        pattern=REFERENCE_PATTERN,
        examples=["SO-1042"],
        description=(
            "The customer's order number; unique. 1 to 64 characters: a letter or digit, then letters, "
            "digits, '.', '_' or '-' (no '/', so that every route can address it)"
        ),
    )
    flow: str = Field(default="standard", pattern=KEY_PATTERN)
    customer: CustomerIn
    promised_at: AwareDatetime = Field(description="What the desk promised the customer")
    quoted_cost: MoneyIn = Field(description="The first estimate given to the customer")


class OrderPatch(BaseModel):
    """Change the promise, or cancel. Fields left out are left alone."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["promised_at"], "properties": {"promised_at": {"not": {"type": "null"}}}},
                {"required": ["cancel"], "properties": {"cancel": {"const": True}}},
            ]
        },
    )

    promised_at: AwareDatetime | None = None
    cancel: StrictBool | None = Field(
        default=None,
        description="true cancels the order and its open stages (false is refused: no reopening)",
        json_schema_extra={"not": {"const": False}},
    )
    cancel_reason: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _something_to_do(self) -> OrderPatch:
        if self.promised_at is None and not self.cancel:
            raise ValueError("nothing to change: give promised_at, or cancel: true")
        if self.cancel is False:
            raise ValueError("cancel can only be true; a cancelled order cannot be reopened")
        return self


STAGE_UPDATE_FIELDS = (
    "status",
    "reason",
    "internal_note",
    "customer_note",
    "expected_finish_at",
    "remaining_minutes",
    "cost_estimate",
    "cost_actual",
    "next_update_by",
    "assignee",
)


class StageUpdateIn(BaseModel):
    """A technician's (or another system's) word on a stage; every field optional but one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # Said in the document as the validator below says it: at least one field besides
            # expected_version, and not both expected_finish_at and remaining_minutes.
            "anyOf": [{"required": [name]} for name in STAGE_UPDATE_FIELDS],
            "not": {
                "required": ["expected_finish_at", "remaining_minutes"],
                "properties": {
                    "expected_finish_at": {"not": {"type": "null"}},
                    "remaining_minutes": {"not": {"type": "null"}},
                },
            },
        },
    )

    status: Literal["in_progress", "blocked", "done", "skipped", "cancelled", "ready", "pending"] | None = (
        None
    )
    reason: str | None = Field(
        default=None, pattern=KEY_PATTERN, description="A reason code, e.g. waiting_parts"
    )
    internal_note: str | None = Field(default=None, max_length=2000)
    customer_note: str | None = Field(default=None, max_length=1000)
    expected_finish_at: AwareDatetime | None = None
    remaining_minutes: int | None = Field(
        default=None, ge=0, le=525_600, description="Stands for expected_finish_at: now plus this"
    )
    cost_estimate: MoneyIn | None = None
    cost_actual: MoneyIn | None = None
    next_update_by: AwareDatetime | None = None
    assignee: str | None = Field(default=None, max_length=200)
    expected_version: int | None = Field(
        default=None, ge=1, le=MAX_INT32, description="Refuse (412) unless the order is still at this version"
    )

    @model_validator(mode="after")
    def _says_something(self) -> StageUpdateIn:
        fields = self.model_fields_set - {"expected_version"}
        if not fields:
            raise ValueError("an update must change something: give a status, a revision, a cost or a note")
        if self.expected_finish_at is not None and self.remaining_minutes is not None:
            raise ValueError("give expected_finish_at or remaining_minutes, not both")
        return self


# --- response shapes ----------------------------------------------------------------------


class EtaPublic(BaseModel):
    likely_at: datetime | None
    latest_at: datetime | None
    basis: str = Field(description="plan, learned, revised (by a technician) or actual (finished)")
    minutes_past_promise: int | None = Field(
        default=None, description="How far the likely ETA is beyond the promise (negative: ahead of it)"
    )
    critical_path: list[str] = Field(default_factory=list)


class OrderWarning(BaseModel):
    """Something accepted that a person should still know about."""

    code: str = Field(
        description="promise_outside_working_time: the promise falls while a calendar is closed"
    )
    message: str = Field(description="What it means and what to do, in plain words")
    calendar: str | None = Field(default=None, description="The calendar concerned")
    next_opening: datetime | None = Field(default=None, description="When that calendar opens next")


class CostPublic(BaseModel):
    quoted: Money
    estimated: Money
    actual: Money
    over_quote_percent: float


class StagePublic(BaseModel):
    key: str
    name: str
    department: str
    status: StageStatus
    depends_on: list[str]
    reason: str | None
    reason_text: dict[str, str] | None = None
    planned_minutes: int
    expected_finish_at: datetime | None = Field(description="The stage's estimated finish (likely)")
    latest_finish_at: datetime | None
    estimate_basis: str
    revised_finish_at: datetime | None = Field(description="The technician's own revision, if any")
    next_update_by: datetime | None
    overdue: bool
    started_at: datetime | None
    finished_at: datetime | None
    planned_cost: Money | None
    cost_estimate: Money | None
    cost_actual: Money | None
    assignee: str | None
    internal_note: str | None = Field(
        description="For the back office and agents only; never told to customers"
    )
    customer_note: str | None
    updated_at: datetime


class CustomerPublic(BaseModel):
    name: str
    contact: str | None


class StageUpdateReceipt(BaseModel):
    """The lean answer to a stage update (``Prefer: return=minimal``): what changed, not the view."""

    reference: str
    version: int = Field(description="The order's version after the update; its ETag, as for the status view")
    events: list[int] = Field(description="The ids of the events the update appended, in log order")


class OrderHeading(BaseModel):
    """What names an order and says where it stands: the first fields of its view and its summary."""

    reference: str
    flow: str
    customer: CustomerPublic
    state: str
    at_risk: bool
    version: int
    promised_at: datetime


class OrderPublic(OrderHeading):
    """The status view: everything an agent needs in one response."""

    eta: EtaPublic
    current_stages: list[str]
    stages: list[StagePublic]
    cost: CostPublic
    customer_message: dict[str, str]
    cancel_reason: str | None
    last_acknowledgement: AcknowledgementPublic | None = Field(
        default=None, description="What the customer was last told, and whether the order has moved since"
    )
    warnings: list[OrderWarning] = Field(
        default_factory=list,
        description="What was accepted but deserves a look: a promise due while the calendar of a stage "
        "the order ends with is closed (a night, a weekend, a holiday). Empty once the order is closed",
    )
    created_at: datetime
    updated_at: datetime


class OrderSummary(OrderHeading):
    eta_likely_at: datetime | None
    eta_latest_at: datetime | None
    current_stages: list[str]
    updated_at: datetime


class OrderImport(BaseModel):
    """What an import of orders from CSV did (or, on a dry run, would do)."""

    dry_run: bool = Field(description="True: checked only, nothing was created")
    rows: int = Field(description="Orders in the file")
    created: int = Field(description="Orders created: every row's, or none")
    references: list[str] = Field(description="The orders' references, in the file's order")
