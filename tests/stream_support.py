"""A real SSE client (httpx-sse over real HTTP) that collects what a server streams, in a thread."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from httpx_sse import EventSource, ServerSentEvent

from app.clock import ManualClock
from app.config import Settings
from tests.support import Api, Keys, bearer

CONTROL = ("reset", "reconnect")


@dataclass(frozen=True)
class Message:
    event: str
    id: int | None
    data: dict[str, Any]


class StreamClient:
    """Subscribes to ``/v1/stream`` and records every message until closed or the server ends it."""

    def __init__(
        self,
        base_url: str,
        key: str,
        *,
        params: dict[str, Any] | None = None,
        last_event_id: int | None = None,
    ) -> None:
        self.url = f"{base_url}/v1/stream"
        self.headers = bearer(key)
        if last_event_id is not None:
            self.headers["Last-Event-ID"] = str(last_event_id)
        self.params = params or {}
        self.messages: list[Message] = []
        self.status: int | None = None
        self.ended = threading.Event()
        self._subscribed = threading.Event()
        self._changed = threading.Condition()
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(target=self._run, name="sse-client", daemon=True)

    def start(self) -> StreamClient:
        self._thread.start()
        if not self._subscribed.wait(10):
            raise AssertionError("the stream did not open")
        return self

    def _run(self) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(10.0, read=60.0)) as client,
                client.stream("GET", self.url, headers=self.headers, params=self.params) as response,
            ):
                self.status = response.status_code
                self._socket = response.extensions["network_stream"].get_extra_info("socket")
                if response.status_code != 200:
                    self._subscribed.set()
                    return
                for sse in EventSource(response).iter_sse():
                    self._record(sse)
        except (httpx.HTTPError, OSError):
            pass  # closed from our side
        finally:
            self._subscribed.set()
            self.ended.set()
            with self._changed:
                self._changed.notify_all()

    def _record(self, sse: ServerSentEvent) -> None:
        if sse.retry is not None and not sse.data:
            # The opening frame: the server has subscribed us.
            self._subscribed.set()
            return
        message = Message(event=sse.event, id=int(sse.id) if sse.id else None, data=json.loads(sse.data))
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()

    def close(self) -> None:
        """Drop the connection, as a browser tab being closed would."""
        if self._socket is not None:
            try:
                self._socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(10)

    def wait_until(self, done: Callable[[list[Message]], bool], timeout: float = 10.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done(self.messages):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.ended.is_set() and not done(self.messages)):
                    raise AssertionError(f"the stream did not deliver what was expected; got {self.messages}")
                self._changed.wait(min(remaining, 0.2))
            return list(self.messages)

    def wait_for_id(self, event_id: int, timeout: float = 10.0) -> list[Message]:
        return self.wait_until(lambda ms: any(m.id is not None and m.id >= event_id for m in ms), timeout)

    @property
    def events(self) -> list[Message]:
        """Order events only (no reset or reconnect)."""
        return [m for m in self.messages if m.event not in CONTROL]

    @property
    def ids(self) -> list[int]:
        return [m.id for m in self.events if m.id is not None]


@contextmanager
def stream(base_url: str, key: str, **kwargs: Any) -> Iterator[StreamClient]:
    client = StreamClient(base_url, key, **kwargs).start()
    try:
        yield client
    finally:
        client.close()


class LiveApi(Api):
    """The typed test API, spoken over real HTTP to a live server on the system clock."""

    def __init__(self, base_url: str, keys: Keys) -> None:
        super().__init__(httpx.Client(base_url=base_url, timeout=10.0), keys, ManualClock(datetime.now(UTC)))  # type: ignore[arg-type]

    def head(self) -> int:
        """The id of the newest event in the log (0 when empty)."""
        return max(self.log_ids(), default=0)

    def log_ids(self, after: int = 0, **params: Any) -> list[int]:
        ids: list[int] = []
        while True:
            page = self.events(after=after, **params)
            ids.extend(int(e["id"]) for e in page)
            if len(page) < 1000:
                return ids
            after = ids[-1]


def stream_settings(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update=changes)
