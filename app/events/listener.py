"""Hears other replicas' commits: LISTEN on PostgreSQL, each notification a wake-up for the broker.

A dropped connection is reopened after a pause; on every (re)connect the broker catches up from
the log, since notifications sent while nobody listened are gone, but the events are not.
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from psycopg import sql

from app.events.broker import Broker
from app.events.notify import CHANNEL, libpq_conninfo, parse_payload
from app.tasks import cancel_and_wait

log = logging.getLogger("nextdesk.listener")


class LogListener:
    def __init__(self, database_url: str, broker: Broker, *, retry_seconds: float) -> None:
        self.conninfo = libpq_conninfo(database_url)
        self.broker = broker
        self.retry_seconds = retry_seconds
        self.connected = False
        #: The server process of the listening connection, while there is one.
        self.backend_pid: int | None = None
        self.connections = 0
        self.notifications = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="nextdesk-log-listener")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError) as exc:
                log.warning("event listener lost its connection (%s); reconnecting", exc)
            finally:
                self.connected = False
                self.backend_pid = None
            await asyncio.sleep(self.retry_seconds)

    async def _listen(self) -> None:
        async with await psycopg.AsyncConnection.connect(
            self.conninfo, autocommit=True, application_name="nextdesk-listener"
        ) as conn:
            await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
            self.connected = True
            self.backend_pid = conn.info.backend_pid
            self.connections += 1
            # Listening from here on; whatever committed before is read from the log.
            self.broker.catch_up()
            async for notification in conn.notifies():
                self.notifications += 1
                self.broker.notified(parse_payload(notification.payload))
