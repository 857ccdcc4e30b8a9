"""How GET /v1/stream delivers when clients misbehave or are many: real servers, real SSE clients."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from httpx_sse import EventSource

from app.config import Settings
from app.main import create_app
from app.models.access import Role
from tests.live import LiveServer, serve
from tests.stream_support import LiveApi, Message, StreamClient, stream, stream_settings
from tests.support import Keys, bearer, make_key, make_keys, wait_until

SUBSCRIBERS = "nextdesk_sse_subscribers"
DROPPED = "nextdesk_sse_subscribers_dropped_total"
#: Large events fill a client's socket buffers in fewer writes.
LONG_NOTE = "x" * 1990
#: The server's send buffer per connection: small, so that a client that stops reading holds the
#: server up after a few events, not after the megabytes the kernel grows it to on loopback.
SEND_BUFFER = 32 * 1024


@pytest.fixture
def live_api(live: LiveServer, live_keys: Keys) -> Iterator[LiveApi]:
    api = LiveApi(live.url, live_keys)
    yield api
    api.client.close()


def _metric(base_url: str, name: str) -> float:
    for line in httpx.get(f"{base_url}/metrics").text.splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


class StalledClient:
    """An SSE client that reads the opening frame, then stops reading until told to."""

    def __init__(self, response: httpx.Response) -> None:
        self._events = EventSource(response).iter_sse()
        opening = next(self._events)
        assert opening.retry is not None, "the stream should open with its retry hint"

    def read_to_end(self) -> list[Message]:
        """Start reading again: everything the server still sends, up to the end of the stream."""
        return [
            Message(event=sse.event, id=int(sse.id) if sse.id else None, data=json.loads(sse.data))
            for sse in self._events
        ]


@contextmanager
def stalled_stream(base_url: str, key: str) -> Iterator[StalledClient]:
    with (
        httpx.Client(timeout=httpx.Timeout(10.0, read=30.0)) as client,
        client.stream("GET", f"{base_url}/v1/stream", headers=bearer(key)) as response,
    ):
        assert response.status_code == 200
        yield StalledClient(response)


def test_a_client_that_stops_reading_is_dropped_while_the_others_keep_up(settings: Settings) -> None:
    app = create_app(stream_settings(settings, sse_queue_size=10))
    broker = app.state.ctx.components["fanout"]
    with serve(app, send_buffer=SEND_BUFFER) as server:
        keys = make_keys(app.state.ctx)
        api = LiveApi(server.url, keys)
        api.create_order("SO-1")
        start = api.head()
        dropped = _metric(server.url, DROPPED)
        with stream(server.url, keys.viewer) as reader, stalled_stream(server.url, keys.viewer) as stalled:
            seen = start
            writes = 0
            while broker.subscribers == 2:
                api.update("SO-1", "assembly", internal_note=f"{writes} {LONG_NOTE}")
                writes += 1
                assert writes < 5000, "the client that stopped reading was never dropped"
                if writes % 25 == 0:
                    # Meanwhile the reading client is not held up by the stalled one.
                    seen = api.log_ids(after=seen)[-1]
                    reader.wait_for_id(seen, timeout=3)
            assert _metric(server.url, DROPPED) == dropped + 1
            head = api.head()
            reader.wait_for_id(head, timeout=3)
            # Reading again, the stalled client gets what was sent to it, then why it must resume.
            received = stalled.read_to_end()
        api.client.close()
        assert reader.ids == list(range(start + 1, head + 1))
        *events, reconnect = received
        assert (reconnect.event, reconnect.data["reason"]) == ("reconnect", "overflow")
        resume_at = reconnect.data["last_event_id"]
        assert [m.id for m in events] == list(range(start + 1, resume_at + 1))
        assert resume_at < head
        with stream(server.url, keys.viewer, last_event_id=resume_at) as resumed:
            resumed.wait_for_id(head)
            assert resumed.ids == list(range(resume_at + 1, head + 1))
        wait_until(lambda: broker.subscribers == 0, what="no subscribers", timeout=5)


def test_many_subscribers_each_get_every_event_once_and_in_order_while_writes_go_on(
    live: LiveServer, live_api: LiveApi
) -> None:
    keys = live_api.keys
    start = live_api.head()
    early = [StreamClient(live.url, keys.viewer).start() for _ in range(15)]
    stop_writing = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        writer_api = LiveApi(live.url, keys)
        try:
            n = 0
            while not stop_writing.is_set() or n < 10:
                writer_api.create_order(f"SO-{n}")
                writer_api.update(f"SO-{n}", "assembly", status="in_progress")
                n += 1
            written.append(n)
        finally:
            writer_api.client.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    late: list[StreamClient] = []
    try:
        # Those joining now replay the log while it grows, then follow on live.
        for _ in range(15):
            late.append(StreamClient(live.url, keys.viewer, last_event_id=start).start())
        stop_writing.set()
        writer.join(60)
        assert written, "the writes should have finished"
        logged = live_api.log_ids(after=start)
        assert len(logged) >= 2 * 10
        for sse in early + late:
            sse.wait_for_id(logged[-1], timeout=15)
            assert sse.ids == logged
    finally:
        stop_writing.set()
        for sse in early + late:
            sse.close()


def test_a_client_that_leaves_is_unsubscribed_without_waiting_for_an_event(
    live: LiveServer, live_api: LiveApi
) -> None:
    broker = live.app.state.ctx.components["fanout"]
    before = _metric(live.url, SUBSCRIBERS)
    clients = [StreamClient(live.url, live_api.keys.viewer).start() for _ in range(3)]
    try:
        assert broker.subscribers == 3
        assert _metric(live.url, SUBSCRIBERS) == before + 3
        clients[0].close()
        wait_until(lambda: broker.subscribers == 2, what="two subscribers", timeout=5)
        assert _metric(live.url, SUBSCRIBERS) == before + 2
        live_api.create_order("SO-1")
        head = live_api.head()
        for sse in clients[1:]:
            sse.wait_for_id(head)
    finally:
        for sse in clients:
            sse.close()
    wait_until(lambda: broker.subscribers == 0, what="no subscribers", timeout=5)
    assert _metric(live.url, SUBSCRIBERS) == before


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _nextdesk_serve(settings: Settings, cwd: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``nextdesk serve`` as an operator runs it: its own process, uvicorn in the main thread."""
    port = _free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("NEXTDESK_")}
    env |= {
        "NEXTDESK_DATABASE_URL": settings.database_url,
        "NEXTDESK_GC_TUNING": "false",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    command = [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=cwd, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: _answers(url) or process.poll() is not None, what="the server to answer", timeout=60
        )
        assert process.poll() is None, "nextdesk serve did not start"
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_stopping_the_server_asks_open_streams_to_reconnect_at_once(
    settings: Settings, tmp_path: Path
) -> None:
    ctx = create_app(settings).state.ctx
    viewer = make_key(ctx, Role.VIEWER)
    ctx.db.dispose()
    with _nextdesk_serve(settings, tmp_path) as (url, process), stream(url, viewer) as sse:
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        # Well within uvicorn's graceful timeout (5 s), which would otherwise cut the stream off.
        (reconnect,) = sse.wait_until(lambda ms: len(ms) >= 1, timeout=4)
        assert time.monotonic() - signalled < 4
        assert (reconnect.event, reconnect.data["reason"]) == ("reconnect", "shutdown")
        assert sse.ended.wait(5)
        # uvicorn ends by re-raising the signal it handled.
        assert process.wait(15) in (0, -signal.SIGTERM)
