"""One subscriber's stream: subscribe first, replay the log after its cursor, then follow live.

Subscribing before reading the log is what closes the gap: an event committed while the replay
runs is both in the log and in the live queue, and the stream drops ids it has already sent.
Once the replay is done the publisher writes to the connection itself; the connection's own task
only waits for the stream to end.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

from starlette.types import Message, Receive, Send

from app.events.broker import Broker
from app.events.log_window import LogWindow, log_window
from app.events.queries import EventFilter, read_events
from app.events.sse import control_frame, event_frame, opening_frame
from app.events.subscription import DISCONNECTED, Subscription
from app.models.event import Event

REPLAY_PAGE = 500


@dataclass(frozen=True)
class StreamLimits:
    lifetime_seconds: float
    retry_ms: int


def _lifetime(limits: StreamLimits) -> float:
    # Spread the reconnections of clients that connected together (after a deploy, say).
    return limits.lifetime_seconds * random.uniform(0.9, 1.0)


def _chunk(body: bytes) -> Message:
    return {"type": "http.response.body", "body": body, "more_body": True}


async def serve_stream(
    broker: Broker,
    flt: EventFilter,
    cursor: int | None,
    limits: StreamLimits,
    start: Message,
    receive: Receive,
    send: Send,
) -> None:
    """Answer one request with its stream: ``start`` (status and headers), then frames until the
    stream is closed (lifetime, overflow, shutdown) or the client leaves."""
    sub = broker.subscribe(flt, lifetime=_lifetime(limits))
    listener = asyncio.ensure_future(_close_on_disconnect(receive, sub))
    try:
        # Subscribed before the first byte: a client that has the opening frame misses nothing.
        await send(start)
        await send(_chunk(opening_frame(limits.retry_ms)))
        if await _replay(broker, sub, cursor, send) and sub.closed is not DISCONNECTED:
            sub.send_directly(send)
        await sub.wait_closed()
        if sub.closed is DISCONNECTED:
            return
        # What it was sent goes out before the goodbye. A client that has stopped reading holds
        # its connection until it reads or leaves; it is out of the fan-out already.
        await sub.finish_writing()
        await _say_goodbye(sub, limits, send)
    finally:
        listener.cancel()
        broker.unsubscribe(sub)
        sub.stop()


async def _replay(broker: Broker, sub: Subscription, cursor: int | None, send: Send) -> bool:
    """Send what the client missed; True once the stream has reached the end of the log.

    Live frames queue in the subscription meanwhile; they follow on only from the end of the log.
    """
    if cursor is None:
        return True
    window = await asyncio.to_thread(_window, broker)
    if not window.can_resume_after(cursor):
        sub.last_sent = window.head
        await send(_chunk(control_frame("reset", _reset_data(cursor, window), event_id=window.head)))
        return True
    sub.last_sent = cursor
    while sub.closed is None:
        rows = await asyncio.to_thread(_replay_page, broker, sub.last_sent, sub.filter)
        if rows:
            sub.last_sent = rows[-1].id
            await send(_chunk(b"".join(event_frame(row, broker.source) for row in rows)))
        if len(rows) < REPLAY_PAGE:
            return True
    return False


async def _say_goodbye(sub: Subscription, limits: StreamLimits, send: Send) -> None:
    assert sub.closed is not None
    frame = control_frame(
        "reconnect",
        {"reason": sub.closed.reason, "detail": sub.closed.detail, "last_event_id": sub.last_sent or None},
        retry_ms=limits.retry_ms,
    )
    try:
        await send(_chunk(frame))
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the client left as the stream ended


async def _close_on_disconnect(receive: Receive, sub: Subscription) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    sub.close(DISCONNECTED)


def _reset_data(cursor: int, window: LogWindow) -> dict[str, object]:
    if cursor > window.head:
        detail = f"event {cursor} does not exist yet (the newest is {window.head})"
    else:
        detail = f"the events after {cursor} are no longer kept (the oldest kept is {window.oldest})"
    return {
        "reason": "cursor_unknown",
        "detail": f"{detail}; refetch the state you show, then follow this stream from here",
        "last_event_id": window.head,
    }


def _window(broker: Broker) -> LogWindow:
    with broker.db.read_session() as session:
        return log_window(session)


def _replay_page(broker: Broker, after: int, flt: EventFilter) -> list[Event]:
    with broker.db.read_session() as session:
        return read_events(session, after=after, limit=REPLAY_PAGE, flt=flt)
