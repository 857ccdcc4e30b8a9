"""The sweeper: a background task in the service's lifespan that runs the sweep every
``sweep_interval_seconds`` through the writer, so what it raises goes out after its commit."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from functools import partial

from app.context import AppContext
from app.observability import OVERDUE_LAPSES
from app.services.requests import any_request_lapsed, sweep_requests
from app.services.sweep import SWEEPER, SweepReport, anything_due, sweep
from app.tasks import Periodic, in_batches

log = logging.getLogger("nextdesk.sweeper")

#: Batches one tick may run; the rest waits for the next tick rather than hog the writer.
MAX_BATCHES_PER_TICK = 200


class Sweeper(Periodic):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.settings.sweep_interval_seconds, "nextdesk-sweeper", log, "sweep failed")
        self.ctx = ctx
        self.sweeps = 0

    async def sweep_once(self, now: datetime | None = None) -> SweepReport:
        """One sweep at ``now`` (the app's clock by default), in batches, until nothing is due."""
        moment = now or self.ctx.clock.now()
        total = SweepReport()
        self.sweeps += 1
        if not await asyncio.to_thread(self._anything_due, moment):
            return total
        total.requests = await self.ctx.writer.run(lambda session: sweep_requests(session, moment, SWEEPER))

        def take(report: SweepReport) -> None:
            OVERDUE_LAPSES.inc(report.overdue)
            total.add(report)

        batch = partial(self.ctx.writer.run, lambda session: sweep(session, moment, self.ctx.view))
        if await in_batches(batch, MAX_BATCHES_PER_TICK, take):
            total.more = True
        return total

    def _anything_due(self, now: datetime) -> bool:
        with self.ctx.db.read_session() as session:
            return anything_due(session, now) or any_request_lapsed(session, now)

    async def tick(self) -> None:
        report = await self.sweep_once()
        if report.overdue or report.changed:
            log.info("sweep: %d overdue, %d orders changed", report.overdue, report.changed)
