"""Running an ASGI ``send`` from the publisher itself, without a task unless it has to wait.

Under uvicorn, sending a body chunk writes to the socket's transport and returns without ever
suspending, unless the client reads slowly and the transport's buffer is full. Stepping the
coroutine by hand runs that common case to its end at once, so handing one event to many
connections costs one call each, not one task wake-up each. A send that does have to wait is
finished in a task, exactly as a task would have run it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine
from typing import Any


class Suspended:
    """A send that stopped at a real wait (a slow client); ``finish`` it in a task, or ``abandon`` it."""

    __slots__ = ("coroutine", "waiting_on")

    def __init__(self, coroutine: Coroutine[Any, Any, None], waiting_on: object) -> None:
        self.coroutine = coroutine
        self.waiting_on = waiting_on

    async def finish(self) -> None:
        """Do what an asyncio task does with the coroutine: wait for what it waits on, resume it."""
        coroutine = self.coroutine
        waiting_on = self.waiting_on
        try:
            while True:
                if waiting_on is None:
                    # A bare yield only asks to let the other tasks run first.
                    await asyncio.sleep(0)
                elif asyncio.isfuture(waiting_on):
                    # wait() rather than await: the coroutine takes the future's outcome itself.
                    await asyncio.wait((waiting_on,))
                else:
                    raise RuntimeError(f"a send waited on {waiting_on!r}, which asyncio cannot wait for")
                waiting_on = coroutine.send(None)
        except StopIteration:
            return
        finally:
            # Cancelled while waiting: let the send clean up (uvicorn forgets its drain waiter).
            coroutine.close()

    def abandon(self) -> None:
        self.coroutine.close()


def send_now(awaitable: Awaitable[None]) -> Suspended | None:
    """Run ``awaitable`` as far as it goes without waiting: None once done, else where it stopped.

    An error raised before the first wait is raised here.
    """
    coroutine = awaitable if isinstance(awaitable, Coroutine) else _as_coroutine(awaitable)
    try:
        waiting_on = coroutine.send(None)
    except StopIteration:
        return None
    return Suspended(coroutine, waiting_on)


async def _as_coroutine(awaitable: Awaitable[None]) -> None:
    await awaitable
