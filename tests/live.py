"""A real uvicorn server on 127.0.0.1, in a thread, for tests that need real HTTP (SSE, webhooks,
the browser, several replicas)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: FastAPI


@contextmanager
def serve(app: FastAPI, *, timeout: float = 15.0, send_buffer: int | None = None) -> Iterator[LiveServer]:
    """``send_buffer`` caps the kernel's send buffer of each connection (SO_SNDBUF), so that a
    client that stops reading backs the server up after kilobytes rather than megabytes."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    sockets: list[socket.socket] = []
    if send_buffer is not None:
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Accepted connections inherit the listening socket's buffer sizes.
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        listening.bind(("127.0.0.1", 0))
        sockets.append(listening)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": sockets or None}, name="live-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=timeout)
        for listening in sockets:
            listening.close()
