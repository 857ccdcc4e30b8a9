"""Many SSE subscribers in one process, cheap enough to measure the server rather than themselves.

Each subscriber is an ``asyncio.Protocol``: httptools (the C parser uvicorn uses) undoes the
chunked encoding, and the only SSE field read is ``id:``; for every ``id:`` line it notes
the arrival time (``time.monotonic()``, which on Linux is one clock for every process).

Run as ``python -m bench.sse_load URL --subscribers N [--key KEY] --out FILE``. It prints
``READY <connected> <failed>`` once every subscriber has its response headers (or failed),
then records; it answers ``count`` on stdin with ``COUNT <id lines so far>``, and on any
other line (or EOF) writes FILE:
``{"connected": n, "failed": [...], "arrivals": {"<event id>": [t, ...]}}``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections import defaultdict
from typing import cast
from urllib.parse import urlsplit

import httptools


class SseSubscriber(asyncio.Protocol):
    """One subscriber. ``arrivals`` is shared by all of them: event id -> arrival times."""

    def __init__(self, request: bytes, arrivals: dict[int, list[float]]) -> None:
        self.request = request
        self.arrivals = arrivals
        self.parser = httptools.HttpResponseParser(self)
        self.buffer = b""
        self.now = 0.0
        self.status: int | None = None
        self.headers_done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self.transport = cast(asyncio.Transport, transport)
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.now = time.monotonic()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._finish(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self._finish(exc or ConnectionError("closed by the server"))

    # httptools callbacks
    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        if not self.headers_done.done():
            self.headers_done.set_result(self.status)

    def on_body(self, body: bytes) -> None:
        self.feed(body, self.now)

    def feed(self, body: bytes, now: float) -> None:
        """Record the id of every complete ``id:`` line in this piece of the stream."""
        data = self.buffer + body
        start = 0
        while True:
            end = data.find(b"\n", start)
            if end < 0:
                break
            if data.startswith(b"id:", start):
                value = data[start + 3 : end].strip()
                if value.isdigit():
                    self.arrivals[int(value)].append(now)
            start = end + 1
        self.buffer = data[start:]

    def _finish(self, exc: Exception) -> None:
        if not self.headers_done.done():
            self.headers_done.set_exception(exc)
        if not self.closed.done():
            self.closed.set_result(None)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


def build_request(url: str, key: str | None) -> tuple[str, int, bytes]:
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1" or parts.port is None:
        raise ValueError("subscribers connect to 127.0.0.1:<port> only")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{parts.port}", "Accept: text/event-stream"]
    if key:
        lines.append(f"Authorization: Bearer {key}")
    return parts.hostname, parts.port, ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _connect(host: str, port: int, request: bytes, arrivals: dict[int, list[float]]) -> SseSubscriber:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_connection(lambda: SseSubscriber(request, arrivals), host, port)
    status = await asyncio.wait_for(protocol.headers_done, timeout=30)
    if status != 200:
        protocol.close()
        raise ConnectionError(f"the stream answered {status}")
    return protocol


async def run(url: str, subscribers: int, key: str | None, out: str) -> None:
    host, port, request = build_request(url, key)
    arrivals: dict[int, list[float]] = defaultdict(list)
    connected: list[SseSubscriber] = []
    failed: list[str] = []
    # Connect in waves so the server's accept backlog never overflows.
    for first in range(0, subscribers, 100):
        wave = [_connect(host, port, request, arrivals) for _ in range(first, min(subscribers, first + 100))]
        for outcome in await asyncio.gather(*wave, return_exceptions=True):
            if isinstance(outcome, SseSubscriber):
                connected.append(outcome)
            else:
                failed.append(f"{type(outcome).__name__}: {outcome}")
    print(f"READY {len(connected)} {len(failed)}", flush=True)
    if failed:
        print(f"first failure: {failed[0]}", file=sys.stderr, flush=True)
    loop = asyncio.get_running_loop()
    # "count" asks how many id lines arrived so far (all subscribers); anything else stops.
    while (await loop.run_in_executor(None, sys.stdin.readline)).strip() == "count":
        print(f"COUNT {sum(len(times) for times in arrivals.values())}", flush=True)
    dropped = sum(1 for s in connected if s.closed.done())
    for subscriber in connected:
        subscriber.close()
    with open(out, "w") as handle:
        json.dump(
            {
                "connected": len(connected),
                "dropped": dropped,
                "failed": failed[:10],
                "arrivals": {str(k): v for k, v in arrivals.items()},
            },
            handle,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--subscribers", type=int, default=1)
    parser.add_argument("--key")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    asyncio.run(run(args.url, args.subscribers, args.key, args.out))


if __name__ == "__main__":
    main()
