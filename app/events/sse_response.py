"""The HTTP response of ``GET /v1/stream``: event-stream headers, then the subscriber's stream."""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.events.broker import Broker
from app.events.queries import EventFilter
from app.events.stream import StreamLimits, serve_stream

HEADERS = {
    "cache-control": "no-store",
    "connection": "keep-alive",
    # Proxies such as nginx would otherwise buffer the stream and deliver it in lumps.
    "x-accel-buffering": "no",
}


class EventStreamResponse(Response):
    """Server-Sent Events, written by the fan-out itself: no body iterator, no task per client."""

    def __init__(self, broker: Broker, flt: EventFilter, cursor: int | None, limits: StreamLimits) -> None:
        self.status_code = 200
        # Set here, not on the class, where FastAPI would take it for the media type of the
        # route's error answers too.
        self.media_type = "text/event-stream"
        self.background = None
        self.broker = broker
        self.filter = flt
        self.cursor = cursor
        self.limits = limits
        self.init_headers(HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        await serve_stream(self.broker, self.filter, self.cursor, self.limits, start, receive, send)
        if self.background is not None:
            await self.background()
