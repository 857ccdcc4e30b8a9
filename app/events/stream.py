"""One subscriber's stream: subscribe first, replay the log after its cursor, then follow live.

Subscribing before reading the log is what closes the gap: an event committed while the replay
runs is both in the log and in the live queue, and the stream drops ids it has already sent.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

from app.events.broker import Broker
from app.events.sse import control_frame, event_frame, opening_frame
from app.models.event import Event
from app.services.event_queries import EventFilter, read_events
from app.services.log_window import LogWindow, log_window

REPLAY_PAGE = 500


@dataclass(frozen=True)
class StreamLimits:
    lifetime_seconds: float
    retry_ms: int


def _lifetime(limits: StreamLimits) -> float:
    # Spread the reconnections of clients that connected together (after a deploy, say).
    return limits.lifetime_seconds * random.uniform(0.9, 1.0)


async def event_stream(
    broker: Broker, flt: EventFilter, cursor: int | None, limits: StreamLimits
) -> AsyncIterator[bytes]:
    sub = broker.subscribe(flt, lifetime=_lifetime(limits))
    try:
        yield opening_frame(limits.retry_ms)
        last_sent = 0
        caught_up = True
        if cursor is not None:
            window = await asyncio.to_thread(_window, broker)
            if window.can_resume_after(cursor):
                last_sent = cursor
                caught_up = False
                while sub.closed is None:
                    rows = await asyncio.to_thread(_replay, broker, last_sent, flt)
                    if rows:
                        last_sent = rows[-1].id
                        yield b"".join(event_frame(row, broker.source) for row in rows)
                    if len(rows) < REPLAY_PAGE:
                        caught_up = True
                        break
            else:
                last_sent = window.head
                yield control_frame("reset", _reset_data(cursor, window), event_id=window.head)
        while True:
            await sub.wait()
            queued = sub.take()
            # Live frames follow on from the replay only if the replay reached the end of the log.
            fresh = [(event_id, frame) for event_id, frame in queued if event_id > last_sent and caught_up]
            if fresh:
                last_sent = fresh[-1][0]
                yield b"".join(frame for _, frame in fresh)
            if sub.closed is not None:
                yield control_frame(
                    "reconnect",
                    {
                        "reason": sub.closed.reason,
                        "detail": sub.closed.detail,
                        "last_event_id": last_sent or None,
                    },
                    retry_ms=limits.retry_ms,
                )
                return
    finally:
        broker.unsubscribe(sub)


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


def _replay(broker: Broker, after: int, flt: EventFilter) -> list[Event]:
    with broker.db.read_session() as session:
        return read_events(session, after=after, limit=REPLAY_PAGE, flt=flt)
