"""The webhook dispatcher: claims due deliveries from the outbox, sends them, records what happened.

It runs in the service's event loop. A local commit wakes it at once, so the first attempt follows
the write within milliseconds; otherwise it polls, which is how it sees work committed by other
replicas and retries falling due. Every decision about time reads the injected clock, and jitter
comes from the injected random source, so tests drive hours of retries in moments.

Three parts keep up with a backlog: a claim round takes what every endpoint has room for (up to
``NEXTDESK_WEBHOOK_ENDPOINT_IN_FLIGHT`` each, ``NEXTDESK_WEBHOOK_MAX_IN_FLIGHT`` in all) in one
transaction; each endpoint's deliveries go over its own kept-alive connections; and the attempts
that finished while the last batch was being recorded are recorded together, in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from prometheus_client import Counter as MetricCounter
from prometheus_client import Gauge

from app.clock import Clock, SystemClock
from app.config import Settings
from app.db import Database
from app.domain.webhook_signing import signature_headers
from app.events.deliveries import Claimed, OutboxStats, Outcome, claim_due, outbox_stats, record_attempts
from app.events.log import EventLike
from app.events.webhook_http import USER_AGENT, EndpointConnections, SendResult
from app.writer import Writer

log = logging.getLogger("nextdesk.webhooks")

DELIVERIES = MetricCounter(
    "nextdesk_webhook_deliveries",
    "Webhook attempts by what followed: delivered, retrying, exhausted, held (endpoint disabled), lease_lost",
    ["outcome"],
)
# Each worker reads the same shared outbox: with several workers the newest reading stands,
# a sum would count every delivery once per worker.
OUTBOX_DEPTH = Gauge(
    "nextdesk_webhook_outbox_depth",
    "Deliveries waiting in the outbox (due or not)",
    multiprocess_mode="livemostrecent",
)
OUTBOX_DUE = Gauge(
    "nextdesk_webhook_outbox_due", "Deliveries due now and not yet sent", multiprocess_mode="livemostrecent"
)
OLDEST_DUE = Gauge(
    "nextdesk_webhook_oldest_due_seconds",
    "How long the oldest due delivery has waited",
    multiprocess_mode="livemostrecent",
)

STATS_EVERY_SECONDS = 1.0


class Dispatcher:
    def __init__(
        self,
        *,
        writer: Writer,
        db: Database,
        clock: Clock,
        settings: Settings,
        source: str,
        rng: random.Random | None = None,
        signing_clock: Clock | None = None,
    ) -> None:
        self.writer = writer
        self.db = db
        self.clock = clock
        self.settings = settings
        self.source = source
        self.rng = rng or random.Random()
        # Receivers check webhook-timestamp against their own wall clock, so signatures always use
        # real time, whatever clock schedules the retries.
        self.signing_clock = signing_clock or SystemClock()
        self.name = f"dispatcher-{secrets.token_hex(4)}"
        self.outcomes: Counter[str] = Counter()
        self.stats: OutboxStats | None = None
        #: Completed loop rounds: lets an operator (and a test) see the loop turning.
        self.rounds = 0
        #: Transactions that recorded attempts, and the attempts they recorded.
        self.record_batches = 0
        self.recorded = 0
        self._timeout = settings.webhook_timeout_seconds
        self._lease = timedelta(seconds=max(settings.webhook_lease_seconds, self._timeout * 2))
        self._room = settings.webhook_max_in_flight
        self._per_endpoint = settings.webhook_endpoint_in_flight
        self._schedule = settings.retry_schedule
        self._probe_interval = timedelta(seconds=settings.webhook_probe_seconds)
        self._disable_after = timedelta(days=settings.webhook_disable_after_days)
        #: Sends under way, and how many of them go to each endpoint.
        self._sending: set[asyncio.Task[None]] = set()
        self._per_endpoint_sending: Counter[str] = Counter()
        #: Attempts made and not yet recorded; how many a recording under way holds.
        self._results: list[tuple[Claimed, SendResult]] = []
        self._recording = 0
        self._recorder: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._connections: EndpointConnections | None = None
        self._stopping = False
        self._stats_at = 0.0
        self._may_have_work = True
        self._turn = 0
        self._bodies: dict[int, bytes] = {}
        #: How often the outbox gauges are refreshed (a count over the pending deliveries).
        self.stats_every = STATS_EVERY_SECONDS

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        self._connections = EndpointConnections(allow_private=self.settings.allow_private_webhook_targets)
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """Stop claiming, let the sends in flight finish and be recorded, then close."""
        self._stopping = True
        self.wake()
        if self._task is not None:
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self._connections is not None:
            await self._connections.aclose()
            self._connections = None

    @property
    def in_flight(self) -> int:
        """Deliveries claimed here whose attempt is not recorded yet."""
        return len(self._sending) + len(self._results) + self._recording

    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        """Look for due work now; safe to call from any thread."""
        if self._loop is None or self._wake is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._wake.set()
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def on_commit(self, events: Sequence[EventLike]) -> None:
        # With no active endpoint a commit cannot have queued a delivery: no claim round for it.
        if self._may_have_work:
            self.wake()

    def endpoints_changed(self) -> None:
        """An endpoint was added, resumed or given work here: look at once, whatever the stats said."""
        self._may_have_work = True
        self.wake()

    # --- the loop -------------------------------------------------------------------------------

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            self._wake.clear()
            more = False
            try:
                more = await self._claim_and_send()
                await self._refresh_stats()
            except Exception:  # the database may be briefly away: keep the loop, try again later
                log.exception("webhook dispatch round failed")
            self.rounds += 1
            if more:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.webhook_poll_seconds)
            except TimeoutError:
                pass
        if self._sending:
            done, pending = await asyncio.wait(set(self._sending), timeout=self._timeout + 5)
            for task in pending:
                task.cancel()  # its lease expires and another dispatcher sends it again
        if self._recorder is not None:
            await asyncio.gather(self._recorder, return_exceptions=True)
        if self._results:
            await self._record()

    async def _claim_and_send(self) -> bool:
        """Claim what fits beside the sends in flight; True when there may be more waiting."""
        room = self._room - len(self._sending)
        if room <= 0:
            return False
        now = self.clock.now()
        sending = dict(self._per_endpoint_sending)
        self._turn += 1
        turn = self._turn
        claimed = await self.writer.run(
            lambda session: claim_due(
                session,
                now,
                limit=room,
                lease=self._lease,
                source=self.source,
                per_endpoint=self._per_endpoint,
                in_flight=sending,
                rotate=turn,
                bodies=self._bodies,
            )
        )
        for item in claimed:
            task = asyncio.create_task(self._deliver(item))
            self._sending.add(task)
            self._per_endpoint_sending[item.endpoint_id] += 1
            task.add_done_callback(self._sent)
        if self._connections is not None and not claimed:
            self._connections.close_idle()
        # Only the overall room can leave due work behind: an endpoint at its own limit is
        # claimed from again when one of its sends ends (that wakes the loop).
        return len(claimed) == room

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        if self._wake is not None:
            self._wake.set()

    async def _deliver(self, item: Claimed) -> None:
        assert self._connections is not None
        headers = [
            (name.encode(), value.encode())
            for name, value in signature_headers(
                item.webhook_id, item.body, item.signing_secrets, self.signing_clock.now()
            ).items()
        ]
        headers += _STATIC_HEADERS
        try:
            result = await self._connections.send(item.url, item.body, headers, timeout=self._timeout)
        except Exception as exc:  # a fault of ours, not the receiver's: record it rather than lose it
            log.exception("sending delivery %s failed unexpectedly", item.delivery_id)
            result = SendResult(None, 0, error=f"could not send: {type(exc).__name__}: {exc}"[:500])
        finally:
            self._per_endpoint_sending[item.endpoint_id] -= 1
            if self._per_endpoint_sending[item.endpoint_id] <= 0:
                del self._per_endpoint_sending[item.endpoint_id]
        self._results.append((item, result))
        if self._recorder is None:
            self._recorder = asyncio.create_task(self._record_all())

    async def _record_all(self) -> None:
        """Record what has finished, batch after batch, until nothing is left."""
        try:
            while self._results:
                await self._record()
        finally:
            self._recorder = None

    async def _record(self) -> None:
        batch, self._results = self._results, []
        self._recording = len(batch)
        now = self.clock.now()
        try:
            outcomes = await self.writer.run(
                lambda session: record_attempts(
                    session,
                    batch,
                    now,
                    self.rng,
                    disable_after=self._disable_after,
                    schedule=self._schedule,
                    probe_interval=self._probe_interval,
                )
            )
        except Exception:
            # Not recorded: the leases run out and the deliveries are sent again (at least once).
            log.exception("could not record %d webhook attempt(s)", len(batch))
            return
        finally:
            self._recording = 0
        self.record_batches += 1
        self.recorded += len(batch)
        settled_one_at_a_time = False
        for (item, _), outcome in zip(batch, outcomes, strict=True):
            if outcome == Outcome.RECOVERED:
                log.info("webhook endpoint %s is back; sending what waited for it", item.endpoint_id)
                outcome = Outcome.DELIVERED
            self.outcomes[outcome] += 1
            DELIVERIES.labels(outcome).inc()
            settled_one_at_a_time = True
        # What was recorded may free an ordered or failing endpoint's next delivery, or make a
        # recovered endpoint's backlog due: look again.
        if settled_one_at_a_time:
            self.wake()

    async def _refresh_stats(self) -> None:
        moment = time.monotonic()
        if moment - self._stats_at < self.stats_every:
            return
        self._stats_at = moment
        now = self.clock.now()
        stats = await asyncio.to_thread(self._read_stats, now)
        self.stats = stats
        self._may_have_work = stats.active_endpoints > 0 or stats.depth > 0
        OUTBOX_DEPTH.set(stats.depth)
        OUTBOX_DUE.set(stats.due)
        OLDEST_DUE.set((now - stats.oldest_due_at).total_seconds() if stats.oldest_due_at else 0)

    def _read_stats(self, now: datetime) -> OutboxStats:
        with self.db.read_session() as session:
            return outbox_stats(session, now)


_STATIC_HEADERS = [(b"content-type", b"application/json"), (b"user-agent", USER_AGENT.encode())]
