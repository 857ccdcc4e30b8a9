"""Helpers for the service's background tasks (writer, fan-out, listener, sweeper)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Stop a background task and wait until it has unwound (its ``finally`` blocks ran)."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class Batch(Protocol):
    #: The batch came back full: more may be waiting.
    more: bool


B = TypeVar("B", bound=Batch)


async def in_batches(run: Callable[[], Awaitable[B]], limit: int, take: Callable[[B], None]) -> bool:
    """Run batches until one comes back not full, ``limit`` at most; whether more may remain.

    A tick that stops at ``limit`` leaves the rest to the next tick rather than hog the writer.
    """
    for _ in range(limit):
        report = await run()
        take(report)
        if not report.more:
            return False
    return True


class Periodic(ABC):
    """A background task that ticks every ``interval`` seconds; a tick that fails is logged and
    the next one tries again, so the loop lives as long as the service."""

    def __init__(self, interval: float, name: str, log: logging.Logger, failure: str) -> None:
        self.interval = interval
        self.name = name
        self.log = log
        self.failure = failure
        self._task: asyncio.Task[None] | None = None

    @abstractmethod
    async def tick(self) -> None: ...

    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # retried on the next tick; the loop must live on
                self.log.exception(self.failure)
