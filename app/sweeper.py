"""The sweeper: a background task in the service's lifespan that runs the sweep every
``sweep_interval_seconds`` through the writer, so what it raises goes out after its commit."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from app.context import AppContext
from app.observability import OVERDUE_LAPSES
from app.services.requests import any_request_lapsed, sweep_requests
from app.services.sweep import SWEEPER, SweepReport, anything_due, sweep
from app.tasks import cancel_and_wait

log = logging.getLogger("nextdesk.sweeper")

#: Batches one tick may run; the rest waits for the next tick rather than hog the writer.
MAX_BATCHES_PER_TICK = 200


class Sweeper:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.interval = ctx.settings.sweep_interval_seconds
        self._task: asyncio.Task[None] | None = None
        self.sweeps = 0

    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="nextdesk-sweeper")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def sweep_once(self, now: datetime | None = None) -> SweepReport:
        """One sweep at ``now`` (the app's clock by default), in batches, until nothing is due."""
        moment = now or self.ctx.clock.now()
        total = SweepReport()
        self.sweeps += 1
        if not await asyncio.to_thread(self._anything_due, moment):
            return total
        total.requests = await self.ctx.writer.run(lambda session: sweep_requests(session, moment, SWEEPER))
        for _ in range(MAX_BATCHES_PER_TICK):
            report = await self.ctx.writer.run(lambda session: sweep(session, moment, self.ctx.view))
            OVERDUE_LAPSES.inc(report.overdue)
            total.add(report)
            if not report.more:
                break
        else:
            total.more = True
        return total

    def _anything_due(self, now: datetime) -> bool:
        with self.ctx.db.read_session() as session:
            return anything_due(session, now) or any_request_lapsed(session, now)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                report = await self.sweep_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed sweep is retried on the next tick; the loop must live on
                log.exception("sweep failed")
                continue
            if report.overdue or report.changed:
                log.info("sweep: %d overdue, %d orders changed", report.overdue, report.changed)
