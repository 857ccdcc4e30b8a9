"""Ends the live streams as soon as the server is told to stop, not after it has waited for them.

uvicorn runs the app's shutdown only once every open response has finished, or once its graceful
timeout has run out; an event stream never finishes by itself. So the stop signal (SIGINT,
SIGTERM) also closes every stream at once: each client is told to reconnect (to another replica,
or to this one once it is back) and uvicorn's wait ends as soon as the streams have.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

Handler = Callable[[int, FrameType | None], Any]


@contextmanager
def on_stop_signal(callback: Callable[[], None]) -> Iterator[None]:
    """Run ``callback`` on the running event loop when a stop signal arrives, then hand the
    signal on to the handler the server set (uvicorn's, which begins its shutdown)."""
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread receives signals; a server run in another thread is stopped by
        # its owner, and its streams end at its graceful timeout.
        yield
        return
    loop = asyncio.get_running_loop()
    installed: list[tuple[signal.Signals, Handler, Handler]] = []
    for signum in STOP_SIGNALS:
        previous = signal.getsignal(signum)
        if not callable(previous):
            continue  # no server handler to hand the signal on to: not ours to take over
        handler = _first_calling(loop, callback, previous)
        signal.signal(signum, handler)
        installed.append((signum, handler, previous))
    try:
        yield
    finally:
        for signum, handler, previous in installed:
            if signal.getsignal(signum) is handler:
                signal.signal(signum, previous)


def _first_calling(loop: asyncio.AbstractEventLoop, callback: Callable[[], None], then: Handler) -> Handler:
    def handler(number: int, frame: FrameType | None) -> None:
        # A signal handler runs between two bytecodes of whatever the loop was doing: the
        # callback waits for the loop's next turn.
        with suppress(RuntimeError):  # the loop has closed already
            loop.call_soon_threadsafe(callback)
        then(number, frame)

    return handler
