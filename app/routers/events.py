from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from app.deps import AnyRole, ContextDep, SessionDep
from app.domain.errors import Unprocessable
from app.events.queries import EventFilter, event_page
from app.models.event import EVENT_TYPES
from app.routers.common import problems

router = APIRouter(prefix="/v1/events", tags=["events"])


def parse_types(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    wanted = tuple(t.strip() for t in raw.split(",") if t.strip())
    families = {t.split(".")[0] + ".*" for t in EVENT_TYPES}
    unknown = [t for t in wanted if t not in EVENT_TYPES and t not in families]
    if unknown:
        raise Unprocessable(
            f"unknown event type {', '.join(unknown)}; allowed: {', '.join(EVENT_TYPES)} "
            "(or a family such as stage.*)",
            errors=[{"loc": ["query", "type"], "msg": "unknown event type", "type": "enum"}],
        )
    return wanted


async def event_filter(
    type: Annotated[
        str | None, Query(description="Comma-separated event types; stage.* for a family")
    ] = None,
    order: Annotated[str | None, Query(max_length=64, description="Only this order's events")] = None,
    department: Annotated[str | None, Query(max_length=64)] = None,
    at_risk: Annotated[bool, Query(description="Only events of orders at risk")] = False,
) -> EventFilter:
    """The filter the log and the stream share: the same query parameters, the same meaning."""
    return EventFilter(types=parse_types(type), order=order, department=department, at_risk_only=at_risk)


EventFilterDep = Annotated[EventFilter, Depends(event_filter)]


@router.get("", responses=problems(422))
def list_events(
    session: SessionDep,
    ctx: ContextDep,
    _: AnyRole,
    flt: EventFilterDep,
    after: Annotated[int, Query(ge=0, description="Return events with an id above this")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The event log for pull consumers. Page with `after=next_after`; no event is ever skipped."""
    return event_page(session, after=after, limit=limit, flt=flt, source=ctx.view.source)
