"""Wiring of the live fan-out into a running service: the broker, and on PostgreSQL its listener."""

from __future__ import annotations

from app.context import AppContext
from app.events.broker import Broker
from app.events.listener import LogListener
from app.events.log import count_committed

BROKER = "fanout"
LISTENER = "event_listener"


class Fanout:
    def __init__(self, ctx: AppContext) -> None:
        settings = ctx.settings
        self.broker = Broker(
            ctx.db,
            source=ctx.view.source,
            queue_size=settings.sse_queue_size,
            ping_seconds=settings.sse_ping_seconds,
        )
        # One process on SQLite: the writer's hook sees every commit. Several replicas need
        # PostgreSQL, whose NOTIFY tells each one that another has written.
        self.listener = (
            None
            if ctx.db.is_sqlite
            else LogListener(
                settings.database_url, self.broker, retry_seconds=settings.event_listener_retry_seconds
            )
        )
        ctx.writer.on_commit(count_committed)
        ctx.writer.on_commit(self.broker.on_commit)
        ctx.components[BROKER] = self.broker
        if self.listener is not None:
            ctx.components[LISTENER] = self.listener

    async def start(self) -> None:
        await self.broker.start()
        if self.listener is not None:
            await self.listener.start()

    async def stop(self) -> None:
        if self.listener is not None:
            await self.listener.stop()
        await self.broker.stop()
