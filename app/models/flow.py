"""Flows: named process templates whose stages form a DAG."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import MoneyIn
from app.models.types import UTCDateTime

KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
TEXT_STATUSES = ("pending", "ready", "in_progress", "blocked", "done", "skipped")


class LocalizedText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: str = Field(min_length=1, max_length=500)
    id: str = Field(min_length=1, max_length=500)


class StageDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN, examples=["assembly"])
    name: str = Field(min_length=1, max_length=120)
    department: str = Field(pattern=KEY_PATTERN, examples=["assembly"])
    planned_minutes: int = Field(gt=0, le=525_600, description="Planned duration in minutes (at most a year)")
    planned_cost: MoneyIn | None = None
    depends_on: list[str] = Field(default_factory=list, max_length=50)
    calendar: str | None = Field(
        default=None,
        pattern=KEY_PATTERN,
        description="The working calendar of this stage's durations; else its department's, else `default`",
    )
    display_name: LocalizedText | None = Field(
        default=None, description="The stage's name for customers in each language; `name` when absent"
    )


class ReasonCodeDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=KEY_PATTERN)
    label: LocalizedText = Field(
        description="What the back office and the desk read, e.g. 'Waiting for parts'"
    )
    customer: LocalizedText = Field(
        description="What completes 'Your order is ...' for a customer, e.g. 'waiting for a part'"
    )


class FlowCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN, examples=["repair"])
    name: str = Field(min_length=1, max_length=120)
    stages: list[StageDefinition] = Field(min_length=1, max_length=50)
    texts: dict[str, dict[str, LocalizedText]] = Field(
        default_factory=dict,
        description="Customer texts: stage key -> stage status -> {en, id}",
    )
    reason_codes: list[ReasonCodeDefinition] = Field(
        default_factory=list, description="Codes this flow adds to the standard ones (or rewords)"
    )

    @model_validator(mode="after")
    def _texts_name_known_things(self) -> FlowCreate:
        keys = {s.key for s in self.stages}
        for stage_key, by_status in self.texts.items():
            if stage_key not in keys:
                raise ValueError(
                    f"texts name unknown stage '{stage_key}'; stages are: {', '.join(sorted(keys))}"
                )
            for status in by_status:
                if status not in TEXT_STATUSES:
                    raise ValueError(
                        f"texts for stage '{stage_key}' name unknown status '{status}'; "
                        f"allowed: {', '.join(TEXT_STATUSES)}"
                    )
        codes = [r.code for r in self.reason_codes]
        if len(codes) != len(set(codes)):
            raise ValueError("reason_codes contain a duplicate code")
        return self


class ReasonCodePublic(ReasonCodeDefinition):
    standard: bool


class FlowPublic(BaseModel):
    key: str
    name: str
    stages: list[StageDefinition]
    texts: dict[str, dict[str, LocalizedText]]
    reason_codes: list[ReasonCodePublic]
    created_at: datetime


class Flow(SQLModel, table=True):
    __tablename__ = "flow"

    key: str = SQLField(primary_key=True, max_length=64)
    name: str = SQLField(max_length=120)
    definition: dict[str, Any] = SQLField(sa_column=Column(JSON, nullable=False))
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
