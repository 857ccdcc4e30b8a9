from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query

from app.deps import AnyRole, BrokerDep, ContextDep
from app.domain.errors import Unprocessable
from app.events.sse_response import EventStreamResponse
from app.events.stream import StreamLimits
from app.models.common import MAX_EVENT_ID
from app.routers.common import problems
from app.routers.events import EventFilterDep

router = APIRouter(prefix="/v1/stream", tags=["events"])

STREAM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "Server-Sent Events. Each message: `id` = the event id, `event` = its type, `data` = the "
            "CloudEvents envelope. Control messages: `reset` (the cursor is older than the log keeps: "
            "refetch, then follow on) and `reconnect` (the connection's lifetime is up: reconnect with "
            "Last-Event-ID). Comments keep the connection alive."
        ),
        "content": {
            "text/event-stream": {
                # One Server-Sent Event: what each message carries.
                "schema": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "pattern": "^[0-9]+$"},
                        "event": {"type": "string"},
                        "data": {"type": "string"},
                        "retry": {"type": "integer", "minimum": 0},
                    },
                }
            }
        },
    }
}


LAST_EVENT_ID_PATTERN = r"^ *([0-9]{1,30} *)?$"
LAST_EVENT_ID = re.compile(r"[0-9]{1,30}")


def parse_cursor(header: str | None, query: int | None) -> int | None:
    """The browser's own Last-Event-ID (sent on reconnect) wins over the one in the URL."""
    if header is None or not header.strip():
        return query
    text = header.strip()
    if not LAST_EVENT_ID.fullmatch(text):
        raise Unprocessable(
            f"Last-Event-ID must be an event id (a whole number, 0 or more), not {header!r}",
            errors=[{"loc": ["header", "Last-Event-ID"], "msg": "not an event id", "type": "int_parsing"}],
        )
    # A number past any id the log can hold is a cursor it never covered: the stream says reset.
    return min(int(text), MAX_EVENT_ID)


@router.get(
    "",
    # Said here because FastAPI's schema would look for it among the response's arguments.
    status_code=200,
    response_class=EventStreamResponse,
    responses={**STREAM_RESPONSE, **problems(422)},
)
async def stream_events(
    ctx: ContextDep,
    broker: BrokerDep,
    _: AnyRole,
    flt: EventFilterDep,
    last_event_id: Annotated[
        int | None,
        Query(
            ge=0, le=MAX_EVENT_ID, description="Resume after this event id (the Last-Event-ID header wins)"
        ),
    ] = None,
    last_event_id_header: Annotated[
        str | None,
        Header(
            alias="Last-Event-ID",
            # Stated here, checked by parse_cursor so the answer can say what an event id is.
            json_schema_extra={"pattern": LAST_EVENT_ID_PATTERN},
            description="Resume after this event id (a number past the newest event gets `reset`)",
        ),
    ] = None,
) -> EventStreamResponse:
    """Every committed event, live, filtered as `/v1/events`. Resumes without gap or duplicate."""
    settings = ctx.settings
    limits = StreamLimits(lifetime_seconds=settings.sse_max_lifetime_seconds, retry_ms=settings.sse_retry_ms)
    return EventStreamResponse(broker, flt, parse_cursor(last_event_id_header, last_event_id), limits)
