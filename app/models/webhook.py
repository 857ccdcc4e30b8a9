"""Outbound webhooks: endpoints, the outbox (one delivery per event and endpoint) and its attempts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.domain.webhooks import check_target_url, check_type_patterns
from app.models.common import MAX_EVENT_ID, AwareDatetime
from app.models.event import EVENT_TYPES
from app.models.flow import KEY_PATTERN
from app.models.order import REFERENCE_PATTERN
from app.models.types import UTCDateTime

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigId = BigInteger().with_variant(Integer(), "sqlite")


#: The URL's shape as the document can state it; its host, port and credentials are checked apart.
URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000]*$"


class EndpointStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DISABLED = "disabled"


class DeliveryStatus(StrEnum):
    #: Waiting for its next attempt (or in flight, while a dispatcher holds its lease).
    PENDING = "pending"
    #: Recorded while the endpoint was paused or disabled; sent only when replayed.
    HELD = "held"
    DELIVERED = "delivered"
    #: Every retry failed; replay sends it again.
    FAILED = "failed"


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"

    id: str = SQLField(primary_key=True, max_length=32)
    url: str = SQLField(max_length=2048)
    description: str | None = SQLField(default=None, max_length=500)
    event_types: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    departments: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    orders: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    significant_only: bool = False
    #: Deliveries go one at a time, each after the one before it was delivered, in event order.
    ordered: bool = SQLField(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    status: str = SQLField(default=EndpointStatus.ACTIVE.value, max_length=16)
    disabled_reason: str | None = SQLField(default=None, max_length=500)
    disabled_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    # The signing secret must be kept in the clear: an HMAC cannot be made from a hash of it.
    secret: str = SQLField(max_length=100)
    previous_secret: str | None = SQLField(default=None, max_length=100)
    previous_secret_expires_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    #: When the current run of failures began; cleared by any success.
    failing_since: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    #: While failing: when one delivery may next be sent to find out whether the receiver is back.
    next_probe_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    #: Failed attempts in a row in the current run of failures.
    consecutive_failures: int = SQLField(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_delivery_endpoint_id_event_id"),
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_endpoint_id_id", "endpoint_id", "id"),
        # What the dispatcher claims from, per endpoint: pending rows only, so it stays as small
        # as the backlog however many delivered rows are kept.
        Index(
            "ix_webhook_delivery_pending_endpoint_id_id",
            "endpoint_id",
            "id",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: int | None = SQLField(default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True))
    endpoint_id: str = SQLField(
        sa_column=Column(String(32), ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=False)
    )
    # No foreign key: the log may be pruned by retention while old delivery records stay.
    #: The event delivered; None for a ping, whose envelope is kept in ``payload``.
    event_id: int | None = SQLField(default=None, sa_column=Column(BigInteger, nullable=True))
    event_type: str = SQLField(max_length=40)
    payload: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON, nullable=True))
    status: str = SQLField(max_length=16)
    attempts: int = 0
    #: Attempts made before the retry schedule called for them (probes of a failing endpoint, the
    #: sends at once after it recovered): they do not use up a retry.
    unscheduled_attempts: int = SQLField(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    next_attempt_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    #: Set when a dispatcher claims the delivery; another may take it over once it expires.
    lease_token: str | None = SQLField(default=None, max_length=32)
    lease_expires_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    last_attempt_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    last_status_code: int | None = None
    last_error: str | None = SQLField(default=None, max_length=500)
    delivered_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempt"
    __table_args__ = (Index("ix_webhook_attempt_delivery_id_id", "delivery_id", "id"),)

    id: int | None = SQLField(default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True))
    delivery_id: int = SQLField(
        sa_column=Column(BigInteger, ForeignKey("webhook_delivery.id", ondelete="CASCADE"), nullable=False)
    )
    attempt: int
    at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    status_code: int | None = None
    duration_ms: int
    error: str | None = SQLField(default=None, max_length=500)
    response_body: str | None = SQLField(default=None, max_length=2000)
    #: What was scheduled after this attempt: None once delivered, given up or held.
    next_attempt_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)


# --- the API's shapes -------------------------------------------------------------------------------

#: What the document says each filter holds, as _Filters and _check_keys check it.
TYPE_ITEMS: dict[str, Any] = {
    "items": {"enum": ["*", *sorted({t.split(".")[0] + ".*" for t in EVENT_TYPES}), *EVENT_TYPES]}
}
DEPARTMENT_ITEMS: dict[str, Any] = {"items": {"type": "string", "pattern": KEY_PATTERN}}
ORDER_ITEMS: dict[str, Any] = {"items": {"type": "string", "pattern": REFERENCE_PATTERN}}

ORDERED_DESCRIPTION = (
    "Deliver in event order: one delivery at a time, each sent once the one before it was delivered "
    "(or given up); a failing delivery holds back the ones after it. Without it, several deliveries "
    "are in flight at once and a retry may arrive after later events"
)

TYPES_DESCRIPTION = (
    "Event types to receive: exact types (stage.blocked), families (stage.*) or * for every type"
)


class _Filters(BaseModel):
    @field_validator("event_types", check_fields=False)
    @classmethod
    def _known_types(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            check_type_patterns(value, EVENT_TYPES)
        return value

    @field_validator("url", check_fields=False)
    @classmethod
    def _target(cls, value: str | None) -> str | None:
        if value is not None:
            check_target_url(value)
        return value


class WebhookCreate(_Filters):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        max_length=2048,
        examples=["https://erp.example.com/hooks/nextdesk"],
        json_schema_extra={"pattern": URL_PATTERN},
    )
    event_types: list[str] = Field(
        default=["*"],
        min_length=1,
        max_length=50,
        description=TYPES_DESCRIPTION,
        json_schema_extra=TYPE_ITEMS,
    )
    departments: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Only events of these departments (empty: any)",
        json_schema_extra=DEPARTMENT_ITEMS,
    )
    orders: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Only events of these order references (empty: any)",
        json_schema_extra=ORDER_ITEMS,
    )
    significant_only: StrictBool = Field(
        default=False,
        description="Of estimate.revised and cost.revised, only the revisions significant for the customer",
    )
    ordered: StrictBool = Field(default=False, description=ORDERED_DESCRIPTION)
    description: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _keys(self) -> WebhookCreate:
        _check_keys(self.departments, self.orders)
        return self


class WebhookUpdate(_Filters):
    """Only the fields given change; ``status`` pauses (``paused``) or resumes (``active``)."""

    model_config = ConfigDict(extra="forbid")

    # Optional, never null (the validator below refuses null): the document says so.
    url: (
        Annotated[str, Field(max_length=2048, json_schema_extra={"pattern": URL_PATTERN})]
        | SkipJsonSchema[None]
    ) = None
    event_types: Annotated[list[str], Field(min_length=1, max_length=50)] | SkipJsonSchema[None] = Field(
        default=None, json_schema_extra=TYPE_ITEMS
    )
    departments: Annotated[list[str], Field(max_length=50)] | SkipJsonSchema[None] = Field(
        default=None, json_schema_extra=DEPARTMENT_ITEMS
    )
    orders: Annotated[list[str], Field(max_length=100)] | SkipJsonSchema[None] = Field(
        default=None, json_schema_extra=ORDER_ITEMS
    )
    significant_only: StrictBool | SkipJsonSchema[None] = None
    ordered: StrictBool | SkipJsonSchema[None] = Field(default=None, description=ORDERED_DESCRIPTION)
    description: str | None = Field(default=None, max_length=500)
    status: EndpointStatus | SkipJsonSchema[None] = Field(
        default=None,
        description="active or paused; an endpoint disabled by failures resumes with active",
        json_schema_extra={"not": {"const": "disabled"}},
    )

    @model_validator(mode="after")
    def _values(self) -> WebhookUpdate:
        for name in ("url", "event_types", "departments", "orders", "significant_only", "ordered", "status"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null; leave it out to keep its value")
        if self.status is EndpointStatus.DISABLED:
            raise ValueError("status may be set to active or paused; disabled is set by failed deliveries")
        _check_keys(self.departments or [], self.orders or [])
        return self


def _check_keys(departments: list[str], orders: list[str]) -> None:
    import re

    for department in departments:
        if not re.fullmatch(KEY_PATTERN, department):
            raise ValueError(
                f"department '{department}' is not a valid key (lower-case letters, digits, _, -)"
            )
    for reference in orders:
        if not re.fullmatch(REFERENCE_PATTERN, reference):
            raise ValueError(f"order reference '{reference}' is not valid")


class WebhookPublic(BaseModel):
    id: str
    url: str
    description: str | None
    event_types: list[str]
    departments: list[str]
    orders: list[str]
    significant_only: bool
    ordered: bool = Field(description=ORDERED_DESCRIPTION)
    status: EndpointStatus
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None
    previous_secret_expires_at: datetime | None = Field(
        description="While set and in the future, deliveries carry a signature with the previous secret too"
    )
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="The whsec_ signing secret; shown once")


class RotateSecretIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overlap_hours: float | None = Field(
        default=None,
        ge=0,
        le=720,
        description="How long the old secret keeps signing beside the new one (default: a setting)",
    )


class SecretRotated(BaseModel):
    secret: str = Field(description="The new whsec_ signing secret; shown once")
    previous_secret_expires_at: datetime | None


class ReplayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # Exactly one of the two, as the validator below says.
            "oneOf": [
                {"required": ["after_event_id"], "properties": {"after_event_id": {"not": {"type": "null"}}}},
                {"required": ["since"], "properties": {"since": {"not": {"type": "null"}}}},
            ]
        },
    )

    after_event_id: int | None = Field(
        default=None, ge=0, le=MAX_EVENT_ID, description="Re-send the events after this id"
    )
    since: AwareDatetime | None = Field(default=None, description="Re-send the events from this time on")

    @model_validator(mode="after")
    def _one(self) -> ReplayIn:
        if (self.after_event_id is None) == (self.since is None):
            raise ValueError("give exactly one of after_event_id or since")
        return self


class ReplayResult(BaseModel):
    queued: int = Field(description="Deliveries queued for this endpoint")
    first_event_id: int | None
    last_event_id: int | None
    more: bool = Field(description="More events remain: replay again with after_event_id=last_event_id")


class AttemptPublic(BaseModel):
    attempt: int
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None
    response_body: str | None = Field(description="The start of the receiver's answer")
    next_attempt_at: datetime | None


class DeliveryPublic(BaseModel):
    id: int
    event_id: int | None = Field(description="None for a ping")
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptPublic]


class PingQueued(BaseModel):
    delivery_id: int
    webhook_id: str = Field(description="The webhook-id header the test event is sent with")
