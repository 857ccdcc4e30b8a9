"""Inbound integrations: other systems that post signed updates, and the messages already taken."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.domain.payload_mapping import TARGETS, mapping_problems
from app.domain.webhook_signing import secret_problem
from app.models.flow import KEY_PATTERN
from app.models.types import UTCDateTime

Key = Annotated[str, Field(pattern=KEY_PATTERN)]
RequestableStatus = Literal["in_progress", "blocked", "done", "skipped", "cancelled"]


class Integration(SQLModel, table=True):
    __tablename__ = "integration"

    name: str = SQLField(primary_key=True, max_length=64)
    description: str | None = SQLField(default=None, max_length=500)
    departments: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    stages: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    #: None: the payload comes in our own shape.
    mapping: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON, nullable=True))
    # Stored as-is, not hashed: checking an HMAC needs the secret itself. Whoever can read this
    # table can sign as the integration, so the database deserves the care the secrets do.
    secret: str = SQLField(max_length=120)
    previous_secret: str | None = SQLField(default=None, max_length=120)
    previous_secret_expires_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    enabled: bool = SQLField(default=True)
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


class InboundReceipt(SQLModel, table=True):
    """One message taken from an integration; its ``webhook-id`` is never applied twice."""

    __tablename__ = "inbound_receipt"
    __table_args__ = (
        UniqueConstraint("integration", "webhook_id", name="uq_inbound_receipt_integration_webhook_id"),
        Index("ix_inbound_receipt_integration_received_at", "integration", "received_at"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    integration: str = SQLField(max_length=64)
    webhook_id: str = SQLField(max_length=200)
    reference: str = SQLField(max_length=64)
    stage: str = SQLField(max_length=64)
    received_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)


# --- API shapes ---------------------------------------------------------------------------


class PayloadMapping(BaseModel):
    """How another system's payload maps to a stage update."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "paths": {
                        "order": "shipment.reference",
                        "status": "event.code",
                        "customer_note": "event.description",
                    },
                    "fixed": {"stage": "shipping"},
                    "status_values": {
                        "picked_up": "in_progress",
                        "in_transit": "in_progress",
                        "delivered": "done",
                    },
                }
            ]
        },
    )

    paths: dict[str, str] = Field(
        description=f"Our field ({', '.join(TARGETS)}) -> a dotted path in their JSON; "
        "a number picks a list item",
        max_length=len(TARGETS),
    )
    fixed: dict[str, str] = Field(
        default_factory=dict,
        description="Our field -> a fixed value, e.g. {'stage': 'shipping'}",
        max_length=len(TARGETS),
    )
    status_values: dict[str, RequestableStatus] = Field(
        default_factory=dict, description="Their status value -> ours", max_length=200
    )

    @model_validator(mode="after")
    def _sound(self) -> PayloadMapping:
        problems = mapping_problems(self.paths, self.fixed, self.status_values)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def scope_problem(departments: list[str], stages: list[str]) -> str | None:
    if not departments and not stages:
        return "name at least one department or stage the integration may update"
    return None


class IntegrationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=KEY_PATTERN, description="Part of its URL: POST /v1/inbound/{name}")
    description: str | None = Field(default=None, max_length=500)
    departments: list[Key] = Field(default_factory=list, max_length=50)
    stages: list[Key] = Field(
        default_factory=list, max_length=50, description="Stage keys, beside departments"
    )
    mapping: PayloadMapping | None = Field(
        default=None, description="Absent: the payload comes in our own shape (order, stage, update fields)"
    )
    secret: str | None = Field(
        default=None,
        max_length=120,
        description="A whsec_ secret the other system gave you; absent: one is made",
    )

    @model_validator(mode="after")
    def _valid(self) -> IntegrationCreate:
        if problem := scope_problem(self.departments, self.stages):
            raise ValueError(problem)
        if self.secret is not None and (problem := secret_problem(self.secret)):
            raise ValueError(problem)
        return self


class IntegrationPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=500)
    departments: list[Key] | None = Field(default=None, max_length=50)
    stages: list[Key] | None = Field(default=None, max_length=50)
    mapping: PayloadMapping | None = Field(default=None, description="null: switch to our own shape")
    enabled: bool | None = None

    @model_validator(mode="after")
    def _no_null_lists(self) -> IntegrationPatch:
        for name in ("departments", "stages", "enabled"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null; leave it out to keep it")
        return self


class SecretRotation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overlap_minutes: int = Field(
        default=1440, ge=0, le=10_080, description="How long the old secret still verifies (at most 7 days)"
    )
    secret: str | None = Field(
        default=None, max_length=120, description="The new whsec_ secret; absent: made"
    )

    @model_validator(mode="after")
    def _valid(self) -> SecretRotation:
        if self.secret is not None and (problem := secret_problem(self.secret)):
            raise ValueError(problem)
        return self


class IntegrationPublic(BaseModel):
    name: str
    description: str | None
    departments: list[str]
    stages: list[str]
    mapping: PayloadMapping | None
    enabled: bool
    inbound_path: str
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the secret before the last rotation still verifies"
    )
    created_at: datetime
    updated_at: datetime


class IntegrationWithSecret(IntegrationPublic):
    secret: str = Field(description="Shown once: give it to the other system to sign its requests")


class InboundResult(BaseModel):
    webhook_id: str
    outcome: Literal["applied", "duplicate"] = Field(
        description="duplicate: this webhook-id was already taken; nothing changed"
    )
    order: str
    stage: str
    order_version: int | None = Field(default=None, description="The order's version after the update")
