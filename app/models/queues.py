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


class QueueItem(BaseModel):
    order: OrderSummary
    overdue: list[OverdueStage] = Field(default_factory=list)
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
    recently_updated: list[QueueItem]
    generated_at: datetime
