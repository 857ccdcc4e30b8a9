"""One subscriber of the fan-out: its frames queue while its stream replays the log, then the
publisher writes each one straight to its connection.

The publisher never awaits a subscriber. A write that cannot complete at once (the client reads
slowly) is finished in a task of its own while later frames queue behind it; a client that falls
``limit`` frames behind is closed and resumes with Last-Event-ID.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass

from prometheus_client import Counter
from starlette.types import Send

from app.events.direct_send import Suspended, send_now
from app.events.queries import EventFilter
from app.events.sse import PING

log = logging.getLogger("nextdesk.fanout")

DROPPED = Counter(
    "nextdesk_sse_subscribers_dropped_total", "SSE subscribers dropped because they fell too far behind"
)


@dataclass(frozen=True)
class Closed:
    """Why a subscription ended: the stream tells the client (unless it has gone), then ends."""

    reason: str  # "lifetime", "overflow", "shutdown" or "disconnected"
    detail: str


DISCONNECTED = Closed("disconnected", "the client went away")


class Subscription:
    __slots__ = (
        "filter",
        "limit",
        "closed",
        "timer",
        "last_sent",
        "_items",
        "_closed_waiter",
        "_send",
        "_writing",
        "_suspended",
    )

    def __init__(self, flt: EventFilter, limit: int) -> None:
        self.filter = flt
        self.limit = limit
        self.closed: Closed | None = None
        #: Ends the subscription when the connection's lifetime is up.
        self.timer: asyncio.TimerHandle | None = None
        #: The id of the last event handed to the connection: where the client would resume.
        self.last_sent = 0
        self._items: deque[tuple[int, bytes]] = deque()
        self._closed_waiter: asyncio.Future[None] | None = None
        #: The connection's ASGI send, once the publisher writes to it directly.
        self._send: Send | None = None
        #: The task finishing a write that had to wait, then the frames queued behind it.
        self._writing: asyncio.Task[None] | None = None
        self._suspended: Suspended | None = None

    # -- called by the publisher -------------------------------------------------------------

    def push(self, event_id: int, frame: bytes) -> bool:
        """Write or queue a frame; False once the subscription is closed (now or before)."""
        if self.closed is not None:
            return False
        if event_id <= self.last_sent:
            # The replay read it from the log before the fan-out got to publish it (the writer's
            # hook and NOTIFY both come after the COMMIT that makes it readable).
            return True
        if self._send is not None and self._writing is None:
            self._write(frame, event_id)
            return self.closed is None
        if len(self._items) >= self.limit:
            DROPPED.inc()
            self.close(
                Closed(
                    "overflow",
                    f"this client fell more than {self.limit} events behind; resume from its last id",
                )
            )
            return False
        self._items.append((event_id, frame))
        return True

    def ping(self) -> None:
        """A keep-alive comment, only to an idle connection: a write under way is traffic enough."""
        if self.closed is None and self._send is not None and self._writing is None:
            self._write(PING, None)

    def close(self, why: Closed) -> None:
        if self.closed is None:
            self.closed = why
            waiter = self._closed_waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    def take(self) -> list[tuple[int, bytes]]:
        items = list(self._items)
        self._items.clear()
        return items

    # -- called by the subscriber's connection -----------------------------------------------

    def send_directly(self, send: Send) -> None:
        """From now on the publisher writes each frame to the connection itself.

        What queued during the replay goes first, less what the replay sent already (ids up to
        ``last_sent``).
        """
        self._send = send
        while self._items and self._items[0][0] <= self.last_sent:
            self._items.popleft()
        self._write_queued()

    async def wait_closed(self) -> None:
        while self.closed is None:
            self._closed_waiter = asyncio.get_running_loop().create_future()
            try:
                await self._closed_waiter
            finally:
                self._closed_waiter = None

    async def finish_writing(self) -> None:
        """Return once the write under way, and what queued behind it, has gone out."""
        writing = self._writing
        if writing is not None:
            await asyncio.wait((writing,))

    def stop(self) -> None:
        """The connection is ending: give up any write under way, write or queue nothing more."""
        self.close(DISCONNECTED)
        self._send = None
        if self._writing is not None:
            self._writing.cancel()
            self._writing = None
        if self._suspended is not None:
            self._suspended.abandon()
            self._suspended = None

    # -- writing -----------------------------------------------------------------------------

    def _write_queued(self) -> None:
        if self._items:
            items = self.take()
            self._write(b"".join(frame for _, frame in items), items[-1][0])

    def _write(self, body: bytes, event_id: int | None) -> None:
        assert self._send is not None
        try:
            suspended = send_now(self._send({"type": "http.response.body", "body": body, "more_body": True}))
        except Exception:
            # The connection broke under this write; nothing more can reach this client.
            log.debug("writing to a stream failed; closing it", exc_info=True)
            self.close(DISCONNECTED)
            return
        if event_id is not None:
            self.last_sent = event_id
        if suspended is not None:
            self._suspended = suspended
            if self._writing is None:
                self._writing = asyncio.get_running_loop().create_task(self._finish_writes())

    async def _finish_writes(self) -> None:
        try:
            while self._suspended is not None:
                suspended, self._suspended = self._suspended, None
                await suspended.finish()
                # What queued meanwhile goes out in one write, which may have to wait in turn.
                self._write_queued()
        except Exception:
            log.debug("a pending write to a stream failed; closing it", exc_info=True)
            self.close(DISCONNECTED)
        finally:
            self._writing = None
