"""Server-Sent Events frames, built once as bytes so that fan-out only copies references."""

from __future__ import annotations

from typing import Any

import orjson

from app.events.log import EventLike, encode_envelope


def event_frame(event: EventLike, source: str) -> bytes:
    """``id:`` is the event id (what the browser sends back as Last-Event-ID), ``event:`` its type."""
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (
        event.id,
        event.type.encode(),
        encode_envelope(event, source),
    )


def control_frame(
    name: str, data: dict[str, Any], *, event_id: int | None = None, retry_ms: int | None = None
) -> bytes:
    """A stream-level message (``reset``, ``reconnect``), not an order event.

    It carries an ``id:`` only when the client's cursor must move (after a reset), so a
    reconnecting client resumes from the last order event it really received.
    """
    head = b""
    if retry_ms is not None:
        head += b"retry: %d\n" % retry_ms
    if event_id is not None:
        head += b"id: %d\n" % event_id
    return head + b"event: %s\ndata: %s\n\n" % (name.encode(), orjson.dumps(data))


def opening_frame(retry_ms: int) -> bytes:
    """Sent at once on subscription: the client's reconnection delay, and proof the stream is live."""
    return b"retry: %d\n: subscribed\n\n" % retry_ms


PING = b": ping\n"
"""A keep-alive: a comment line with no blank line after it, so it ends no message.

The spec has a blank line with no data dispatch nothing, but common clients (httpx-sse among
them) keep the last ``id:`` from one message to the next and hand ``: ping`` then a blank line to
their readers as an empty message carrying that id. Written only between whole frames, the
comment simply becomes part of the next message, where every client ignores it.
"""
