"""The in-process fan-out: committed events, encoded once, handed to every matching subscriber.

Events reach the broker in two ways: the writer's post-commit hook (this process's commits, in
memory, no query) and a wake-up saying the log grew (another replica's commits, via
PostgreSQL NOTIFY, or a gap noticed here). Either way the broker publishes each event exactly
once and in id order: it remembers the last id it published and, whenever what arrives does not
follow on from it, reads the log, which is the truth, instead of trusting the arrival order.

Publishing writes each frame straight to the matching subscribers' connections
(app/events/subscription.py), so it costs one call per subscriber and never waits on a client.

Everything here runs on the event loop; only reads of the log go to a thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence

from prometheus_client import Counter, Gauge

from app.db import Database
from app.events.log import EventLike
from app.events.log_window import log_window
from app.events.queries import EventFilter, read_events
from app.events.sse import event_frame
from app.events.subscription import Closed, Subscription
from app.models.event import Event
from app.tasks import cancel_and_wait

log = logging.getLogger("nextdesk.fanout")

# With several workers each counts its own streams: the live workers' figures add up.
SUBSCRIBERS = Gauge("nextdesk_sse_subscribers", "Open SSE subscriptions", multiprocess_mode="livesum")
PUBLISHED = Counter("nextdesk_events_published_total", "Committed events handed to the in-process fan-out")

#: How many events one catch-up read of the log takes at a time.
CATCH_UP_PAGE = 500


class Broker:
    def __init__(
        self, db: Database, *, source: str, queue_size: int, ping_seconds: float | None = None
    ) -> None:
        self.db = db
        self.source = source
        self.queue_size = queue_size
        self.ping_seconds = ping_seconds
        #: The id of the last event handed to subscribers; every event up to it was published once.
        self.last_published = 0
        self.events_published = 0
        self.catch_up_reads = 0
        self._unfiltered: set[Subscription] = set()
        self._by_order: dict[str, set[Subscription]] = {}
        self._wake = asyncio.Event()
        self._wanted = False
        self._reading = False
        self._task: asyncio.Task[None] | None = None
        self._pinger: asyncio.Task[None] | None = None
        #: Set once the server is going away: every subscription is closed with it, new ones at once.
        self._closing: Closed | None = None
        #: The event loop the fan-out runs on (every method but start() must be called there).
        self.loop: asyncio.AbstractEventLoop | None = None

    # -- life cycle --------------------------------------------------------------------------

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._closing = None
        self.last_published = await asyncio.to_thread(self._head)
        self._task = asyncio.create_task(self._pump(), name="nextdesk-fanout")
        if self.ping_seconds is not None:
            self._pinger = asyncio.create_task(self._ping(self.ping_seconds), name="nextdesk-sse-ping")

    async def stop(self) -> None:
        self.close_all()
        await cancel_and_wait(self._pinger)
        self._pinger = None
        await cancel_and_wait(self._task)
        self._task = None

    def close_all(self) -> None:
        """The server is going away: every stream tells its client to reconnect, and ends."""
        self._closing = self._closing or Closed("shutdown", "the server is shutting down; reconnect")
        for sub in list(self._subscriptions()):
            self.unsubscribe(sub, self._closing)

    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def subscribers(self) -> int:
        return len(self._unfiltered) + sum(len(s) for s in self._by_order.values())

    # -- subscribers -------------------------------------------------------------------------

    def subscribe(self, flt: EventFilter, *, lifetime: float | None = None) -> Subscription:
        sub = Subscription(flt, self.queue_size)
        if self._closing is not None:
            sub.close(self._closing)
            return sub
        if flt.order is None:
            self._unfiltered.add(sub)
        else:
            self._by_order.setdefault(flt.order, set()).add(sub)
        if lifetime is not None:
            sub.timer = asyncio.get_running_loop().call_later(
                lifetime,
                sub.close,
                Closed("lifetime", "this connection reached its lifetime; reconnect with Last-Event-ID"),
            )
        SUBSCRIBERS.inc()
        return sub

    def unsubscribe(self, sub: Subscription, why: Closed | None = None) -> None:
        if why is not None:
            sub.close(why)
        if sub.timer is not None:
            sub.timer.cancel()
            sub.timer = None
        if sub.filter.order is None:
            found = sub in self._unfiltered
            self._unfiltered.discard(sub)
        else:
            group = self._by_order.get(sub.filter.order, set())
            found = sub in group
            group.discard(sub)
            if not group:
                self._by_order.pop(sub.filter.order, None)
        if found:
            SUBSCRIBERS.dec()

    def _subscriptions(self) -> Iterable[Subscription]:
        yield from self._unfiltered
        for group in self._by_order.values():
            yield from group

    # -- arrivals ----------------------------------------------------------------------------

    def on_commit(self, events: Sequence[EventLike]) -> None:
        """The writer's post-commit hook: this process's committed events, in id order."""
        if not events or events[-1].id <= self.last_published:
            return
        if self._pass_unheard(events[-1].id):
            return
        if self._reading or self._wanted or events[0].id != self.last_published + 1:
            # Another replica committed in between, or a read of the log is under way:
            # only the log can say what comes first.
            self.catch_up()
            return
        self._publish(events)

    def notified(self, last_id: int | None) -> None:
        """The log grew to ``last_id`` (None: grew by an unknown amount)."""
        if last_id is not None and (last_id <= self.last_published or self._pass_unheard(last_id)):
            return
        self.catch_up()

    def _pass_unheard(self, last_id: int) -> bool:
        """With nobody subscribed, let the events up to ``last_id`` go by unread; whether it did.

        Every replica hears of every other's commits: reading each one's events from the log only
        to hand them to nobody cost a replica more CPU than its own writes (bench/RESULTS.md). A
        subscriber that comes later misses none of them: it replays the log from its cursor, or
        it asked for what happens from now on.
        """
        if self._unfiltered or self._by_order or self._reading or self._wanted:
            return False
        # The log is numbered without gaps, so this many events went by.
        passed = last_id - self.last_published
        self.last_published = last_id
        self.events_published += passed
        PUBLISHED.inc(passed)
        return True

    def catch_up(self) -> None:
        self._wanted = True
        self._wake.set()

    # -- publishing --------------------------------------------------------------------------

    def _publish(self, events: Iterable[EventLike]) -> None:
        by_order = self._by_order
        unfiltered = self._unfiltered
        fallen_behind: list[Subscription] = []
        for event in events:
            if event.id <= self.last_published:
                continue
            frame: bytes | None = None
            ordered = by_order.get(event.subject) if event.subject is not None else None
            for group in (unfiltered, ordered or ()):
                for sub in group:
                    if sub.filter.matches(event):
                        if frame is None:
                            frame = event_frame(event, self.source)
                        if not sub.push(event.id, frame):
                            fallen_behind.append(sub)
            self.last_published = event.id
            self.events_published += 1
            PUBLISHED.inc()
        # Out of the fan-out at once: its connection may take a while to end (a client stuck
        # mid-send), and nothing more is written to it meanwhile.
        for sub in fallen_behind:
            self.unsubscribe(sub)

    async def _pump(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._wanted:
                self._wanted = False
                self._reading = True
                try:
                    while True:
                        rows = await asyncio.to_thread(self._read_after, self.last_published)
                        self.catch_up_reads += 1
                        self._publish(rows)
                        if len(rows) < CATCH_UP_PAGE:
                            break
                except Exception:
                    # The database may be down for a moment; the log keeps everything, so retry.
                    log.exception("reading the event log for the fan-out failed; retrying")
                    self._wanted = True
                    await asyncio.sleep(1.0)
                finally:
                    self._reading = False

    async def _ping(self, every: float) -> None:
        # One timer for all connections rather than one per connection.
        while True:
            await asyncio.sleep(every)
            for sub in list(self._subscriptions()):
                sub.ping()

    def _read_after(self, after: int) -> list[Event]:
        with self.db.read_session() as session:
            return read_events(session, after=after, limit=CATCH_UP_PAGE, flt=EventFilter())

    def _head(self) -> int:
        with self.db.read_session() as session:
            return log_window(session).head
