"""The front-line desk's records: what the customer was told, what the customer asked, and the
secret that signs the desk's session cookie."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import MAX_INT32, AwareDatetime, Money, MoneyIn
from app.models.flow import KEY_PATTERN
from app.models.types import DecimalText, UTCDateTime


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    COUNTER = "counter"


class InquiryCategory(StrEnum):
    INQUIRY = "inquiry"
    COMPLAINT = "complaint"


class Acknowledgement(SQLModel, table=True):
    """An agent's record that the customer was told a given version of the order."""

    __tablename__ = "acknowledgement"
    __table_args__ = (Index("ix_acknowledgement_order_id_id", "order_id", "id"),)

    id: int | None = SQLField(default=None, primary_key=True)
    order_id: int = SQLField(foreign_key="orders.id")
    event_id: int = SQLField(sa_column=Column(BigInteger, nullable=False))
    order_version: int
    #: The last event of the order that this acknowledgement covers: significant changes after it
    #: are still to be told.
    covers_event_id: int = SQLField(sa_column=Column(BigInteger, nullable=False))
    eta_likely_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    eta_latest_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    cost_amount: Decimal | None = SQLField(default=None, sa_type=DecimalText)
    currency: str = SQLField(max_length=3)
    channel: str = SQLField(max_length=16)
    note: str | None = SQLField(default=None, max_length=1000)
    actor: str = SQLField(max_length=200)
    actor_name: str = SQLField(max_length=200)
    at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


class Inquiry(SQLModel, table=True):
    """A customer's question or complaint, attributed to the stage that caused it."""

    __tablename__ = "inquiry"
    __table_args__ = (
        Index("ix_inquiry_order_id_id", "order_id", "id"),
        Index("ix_inquiry_at", "at"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    order_id: int = SQLField(foreign_key="orders.id")
    event_id: int = SQLField(sa_column=Column(BigInteger, nullable=False))
    flow_key: str = SQLField(max_length=64)
    stage_key: str | None = SQLField(default=None, max_length=64)
    department: str | None = SQLField(default=None, max_length=64)
    channel: str = SQLField(max_length=16)
    category: str = SQLField(max_length=16)
    text: str = SQLField(max_length=2000)
    actor: str = SQLField(max_length=200)
    actor_name: str = SQLField(max_length=200)
    at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


class AppSecret(SQLModel, table=True):
    """Secrets the service makes for itself, kept in the database so every replica shares them."""

    __tablename__ = "app_secret"

    name: str = SQLField(primary_key=True, max_length=64)
    value: str = SQLField(max_length=200)
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


# --- request and response shapes ------------------------------------------------------------


class AcknowledgementIn(BaseModel):
    """What the customer was told. ETA and cost default to the order's current ones when the
    version told is the current version."""

    model_config = ConfigDict(extra="forbid")

    order_version: int = Field(
        ge=1, le=MAX_INT32, description="The version of the order the customer was told"
    )
    channel: Channel
    eta_likely_at: AwareDatetime | None = None
    eta_latest_at: AwareDatetime | None = None
    cost: MoneyIn | None = Field(default=None, description="The cost the customer was given")
    note: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _latest_after_likely(self) -> AcknowledgementIn:
        if self.eta_likely_at and self.eta_latest_at and self.eta_latest_at < self.eta_likely_at:
            raise ValueError("eta_latest_at must not be before eta_likely_at")
        return self


class AcknowledgementPublic(BaseModel):
    id: int
    order: str
    order_version: int
    current: bool = Field(description="Whether the order is still at the version the customer was told")
    eta_likely_at: datetime | None
    eta_latest_at: datetime | None
    cost: Money | None
    channel: Channel
    note: str | None
    actor: str
    actor_name: str
    at: datetime
    event_id: int


class InquiryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel
    category: InquiryCategory
    text: str = Field(min_length=1, max_length=2000, description="What the customer asked or said")
    stage: str | None = Field(
        default=None,
        pattern=KEY_PATTERN,
        description="The stage the call is about; by default the stage the order is in now",
    )


class InquiryPublic(BaseModel):
    id: int
    order: str
    channel: Channel
    category: InquiryCategory
    text: str
    stage: str | None
    department: str | None
    actor: str
    actor_name: str
    at: datetime
    event_id: int


# --- reports ----------------------------------------------------------------------------------


class Period(BaseModel):
    from_: datetime = Field(alias="from", serialization_alias="from")
    to: datetime

    model_config = ConfigDict(populate_by_name=True)


class StageReportRow(BaseModel):
    flow: str | None = None
    stage: str | None = None
    name: str | None = None
    department: str | None
    planned_minutes: int | None = None
    finished: int = Field(description="Stages finished (done) in the period")
    median_minutes: float | None
    p90_minutes: float | None
    late: int = Field(description="Finished stages that took longer than planned")
    late_share: float | None = Field(description="late / finished, 0 to 1")
    overdue_lapses: int = Field(description="Times the stage went silent past its promised update or finish")
    inquiries: int
    complaints: int


class StageReport(BaseModel):
    period: Period
    stages: list[StageReportRow]
    departments: list[StageReportRow]


class InquiryReportRow(BaseModel):
    flow: str | None = None
    stage: str | None = None
    name: str | None = None
    department: str | None
    inquiries: int
    complaints: int
    total: int
    share: float = Field(description="This row's share of all calls in the period, 0 to 1")
    channels: dict[str, int]


class InquiryReport(BaseModel):
    period: Period
    total: int
    inquiries: int
    complaints: int
    channels: dict[str, int]
    stages: list[InquiryReportRow]
    departments: list[InquiryReportRow]
