"""The pruner: a background task in the service's lifespan that removes what has outlived its
retention (``app.services.retention``), one small batch per writer job.

Each batch is its own use case in the writer's queue, so a write that arrives meanwhile waits
for one batch at most, never for the whole pass.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from app.context import AppContext
from app.observability import PRUNED
from app.services.retention import BATCHES, PruneReport, RetentionPolicy, batch_at, events_batch
from app.tasks import Periodic, in_batches

log = logging.getLogger("nextdesk.pruner")

#: Batches of one kind a tick may run; the rest waits for the next tick rather than hog the writer.
MAX_BATCHES_PER_TICK = 1000


class Pruner(Periodic):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.settings.prune_interval_seconds, "nextdesk-pruner", log, "prune failed")
        self.ctx = ctx
        self.policy = RetentionPolicy.from_settings(ctx.settings)

    async def prune_once(self, now: datetime | None = None) -> PruneReport:
        """Remove what is due at ``now`` (the app's clock by default), batch by batch."""
        moment = now or self.ctx.clock.now()
        total = PruneReport()

        def take(report: PruneReport) -> None:
            count(report)
            total.add(report)

        for batch in BATCHES:
            if batch is events_batch and self.policy.events is None:
                continue  # events are kept: nothing to ask the writer
            use_case = batch_at(batch, moment, self.policy)
            if await in_batches(partial(self.ctx.writer.run, use_case), MAX_BATCHES_PER_TICK, take):
                total.more = True
        return total

    async def tick(self) -> None:
        report = await self.prune_once()
        if report.total():
            log.info("pruned %s", ", ".join(f"{n} {kind.value}" for kind, n in report.removed.items() if n))


def count(report: PruneReport) -> None:
    for kind, removed in report.removed.items():
        if removed:
            PRUNED.labels(kind.value).inc(removed)
