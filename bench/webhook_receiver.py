"""Webhook receivers on 127.0.0.1: verify nothing, answer 204 at once, note when each attempt
arrived (``time.monotonic()``) and its ``webhook-id``.

Run as ``python -m bench.webhook_receiver --endpoints N --out FILE``. It prints
``READY <port> <port> ...`` (one port per endpoint), answers ``count`` on stdin with
``COUNT <n>``, and on any other line (or EOF) writes FILE:
``{"deliveries": [[endpoint, webhook_id, t], ...], "listening_since": t}``. ``--port`` (one
endpoint) listens on a given port: a receiver that comes back where it was registered.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from functools import partial
from typing import cast

import httptools

RESPONSE = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n"


class Receiver(asyncio.Protocol):
    def __init__(self, endpoint: int, deliveries: list[tuple[int, str, float]]) -> None:
        self.endpoint = endpoint
        self.deliveries = deliveries
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.webhook_id = ""
        self.arrived = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.arrived = time.monotonic()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self.transport is not None:
                self.transport.close()

    def on_message_begin(self) -> None:
        self.webhook_id = ""

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"webhook-id":
            self.webhook_id = value.decode()

    def on_headers_complete(self) -> None:
        # The time the request's head arrived: when the attempt reached the receiver.
        self.deliveries.append((self.endpoint, self.webhook_id, self.arrived))

    def on_message_complete(self) -> None:
        if self.transport is not None:
            self.transport.write(RESPONSE)


async def run(endpoints: int, out: str, port: int = 0) -> None:
    loop = asyncio.get_running_loop()
    deliveries: list[tuple[int, str, float]] = []
    servers = [
        await loop.create_server(partial(Receiver, endpoint, deliveries), "127.0.0.1", port, backlog=1024)
        for endpoint in range(endpoints)
    ]
    listening_since = time.monotonic()
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    print("READY " + " ".join(str(p) for p in ports), flush=True)
    # "count" asks how many attempts arrived so far; anything else (or EOF) stops.
    while (await loop.run_in_executor(None, sys.stdin.readline)).strip() == "count":
        print(f"COUNT {len(deliveries)}", flush=True)
    for server in servers:
        server.close()
    with open(out, "w") as handle:
        json.dump({"deliveries": deliveries, "listening_since": listening_since}, handle)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoints", type=int, default=1)
    parser.add_argument("--out", required=True)
    parser.add_argument("--port", type=int, default=0, help="listen here (one endpoint only)")
    args = parser.parse_args()
    if args.port and args.endpoints != 1:
        parser.error("--port needs --endpoints 1")
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    asyncio.run(run(args.endpoints, args.out, args.port))


if __name__ == "__main__":
    main()
