"""The desk's queues: what needs an agent's attention now."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.models.order import OrderSummary


class OverdueStage(BaseModel):
    stage: str
    name: str
    department: str
    status: str
    missed: Literal["update", "finish"] = Field(
        description="update: the promised next update did not come; finish: the expected finish passed"
    )
    due_at: datetime
    last_update_at: datetime | None


class News(BaseModel):
    """The latest significant change of an order, in the event log's terms."""

    event_id: int
    type: str
    at: datetime
    data: dict[str, Any]


class Waiting(BaseModel):
    """The desk's open requests to the back office about one order."""

    requests: int
    departments: list[str] = Field(description="Departments that have not answered yet")
    answer_by: datetime | None = Field(description="The soonest answer_by among them")


class QueueItem(BaseModel):
    order: OrderSummary
    overdue: list[OverdueStage] = Field(default_factory=list)
    waiting: Waiting | None = None
    news: News | None = None
    last_acknowledged_at: datetime | None = None


class Queues(BaseModel):
    at_risk: list[QueueItem] = Field(
        description="Open orders whose ETA is past the promise, or late; soonest promise first"
    )
    overdue: list[QueueItem] = Field(
        description="Orders with a stage silent past its promised update or finish"
    )
    to_tell: list[QueueItem] = Field(
        description="Orders with a significant change the customer has not been told of; newest news first"
    )
    waiting_on_back_office: list[QueueItem] = Field(
        default_factory=list,
        description="Orders with a desk request not every department has answered; soonest due first",
    )
    recently_updated: list[QueueItem]
    generated_at: datetime
