"""Requests from the desk to the back office: a customer's question or change, and each
department's answer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import AwareDatetime
from app.models.flow import KEY_PATTERN
from app.models.types import UTCDateTime


class RequestKind(StrEnum):
    QUESTION = "question"
    CHANGE = "change"


class RequestState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"


class DeskRequest(SQLModel, table=True):
    """An agent's request to the departments of one or more stages of an order."""

    __tablename__ = "desk_request"
    __table_args__ = (
        Index("ix_desk_request_order_id_id", "order_id", "id"),
        Index("ix_desk_request_state_answer_by", "state", "answer_by"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    order_id: int = SQLField(foreign_key="orders.id")
    kind: str = SQLField(max_length=16)
    text: str = SQLField(max_length=2000)
    answer_by: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    state: str = SQLField(max_length=16)
    #: Set once the sweeper has raised request.overdue for answer_by: one event per lapse.
    overdue_raised: bool = False
    actor: str = SQLField(max_length=200)
    actor_name: str = SQLField(max_length=200)
    at: datetime = SQLField(sa_type=UTCDateTime, nullable=False)
    answered_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)
    event_id: int = SQLField(sa_column=Column(BigInteger, nullable=False))


class DeskRequestStage(SQLModel, table=True):
    """One stage a request concerns, and its department's answer."""

    __tablename__ = "desk_request_stage"
    __table_args__ = (
        UniqueConstraint("request_id", "stage_key", name="uq_desk_request_stage_request_id"),
        Index("ix_desk_request_stage_department_answered_at", "department", "answered_at"),
    )

    id: int | None = SQLField(default=None, primary_key=True)
    request_id: int = SQLField(foreign_key="desk_request.id")
    stage_key: str = SQLField(max_length=64)
    stage_name: str = SQLField(max_length=120)
    department: str = SQLField(max_length=64)
    answer: str | None = SQLField(default=None, max_length=2000)
    outcome: str | None = SQLField(default=None, max_length=16)
    answered_by: str | None = SQLField(default=None, max_length=200)
    answered_by_name: str | None = SQLField(default=None, max_length=200)
    answered_at: datetime | None = SQLField(default=None, sa_type=UTCDateTime)


# --- request and response shapes ------------------------------------------------------------


#: Something besides spaces, as the document can state it (NUL is refused everywhere).
SAYS_SOMETHING = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("text must say something: it cannot be empty or only spaces")
    return value


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: str | None = Field(
        default=None,
        pattern=KEY_PATTERN,
        description="The stage asked; by default every stage of the order not yet done",
    )
    kind: RequestKind = Field(
        description="question: the customer asks; change: the customer wants something else"
    )
    text: str = Field(
        max_length=2000,
        description="What the customer asks or wants, in the agent's words",
        json_schema_extra={"pattern": SAYS_SOMETHING},
    )
    answer_by: AwareDatetime | None = Field(
        default=None, description="When the desk needs the answer; request.overdue is raised once it passes"
    )

    _strip = field_validator("text")(_text)


class RequestAnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        max_length=2000, description="The department's answer", json_schema_extra={"pattern": SAYS_SOMETHING}
    )
    outcome: Outcome | None = Field(
        default=None, description="For a change: accepted or refused. A question needs none"
    )
    stage: str | None = Field(
        default=None,
        pattern=KEY_PATTERN,
        description="The stage answered for; by default every unanswered stage of the caller's departments",
    )

    _strip = field_validator("text")(_text)


class RequestStagePublic(BaseModel):
    stage: str
    name: str
    department: str
    answered: bool
    answer: str | None
    outcome: Outcome | None
    answered_by: str | None
    answered_by_name: str | None
    answered_at: datetime | None


class RequestPublic(BaseModel):
    id: int
    order: str
    customer: str
    kind: RequestKind
    text: str
    state: RequestState = Field(description="open until every stage it concerns has answered")
    answer_by: datetime | None
    overdue: bool = Field(description="Still open after answer_by")
    actor: str
    actor_name: str
    at: datetime
    answered_at: datetime | None
    stages: list[RequestStagePublic]


class RequestList(BaseModel):
    items: list[RequestPublic]
