"""The pruner: a background task in the service's lifespan that removes what has outlived its
retention (``app.services.retention``), one small batch per writer job.

Each batch is its own use case in the writer's queue, so a write that arrives meanwhile waits
for one batch at most, never for the whole pass.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from app.context import AppContext
from app.observability import PRUNED
from app.services.retention import BATCHES, PruneReport, RetentionPolicy, batch_at, events_batch
from app.tasks import cancel_and_wait

log = logging.getLogger("nextdesk.pruner")

#: Batches of one kind a tick may run; the rest waits for the next tick rather than hog the writer.
MAX_BATCHES_PER_TICK = 1000


class Pruner:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.policy = RetentionPolicy.from_settings(ctx.settings)
        self.interval = ctx.settings.prune_interval_seconds
        self._task: asyncio.Task[None] | None = None

    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="nextdesk-pruner")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def prune_once(self, now: datetime | None = None) -> PruneReport:
        """Remove what is due at ``now`` (the app's clock by default), batch by batch."""
        moment = now or self.ctx.clock.now()
        total = PruneReport()
        for batch in BATCHES:
            if batch is events_batch and self.policy.events is None:
                continue  # events are kept: nothing to ask the writer
            for _ in range(MAX_BATCHES_PER_TICK):
                report = await self.ctx.writer.run(batch_at(batch, moment, self.policy))
                count(report)
                total.add(report)
                if not report.more:
                    break
            else:
                total.more = True
        return total

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                report = await self.prune_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed pass is retried on the next tick; the loop must live on
                log.exception("prune failed")
                continue
            if report.total():
                log.info(
                    "pruned %s", ", ".join(f"{n} {kind.value}" for kind, n in report.removed.items() if n)
                )


def count(report: PruneReport) -> None:
    for kind, removed in report.removed.items():
        if removed:
            PRUNED.labels(kind.value).inc(removed)
