"""A real webhook receiver on 127.0.0.1, in a thread: it checks Standard Webhooks signatures with the
``standardwebhooks`` package and answers as a test tells it to (succeed, fail, hang, 429, 410, redirect)."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"ok": true}'
    #: Seconds to wait before answering (longer than the sender's timeout: a hang).
    hang: float = 0.0


OK = Reply()


def fail(status: int = 500) -> Reply:
    return Reply(status=status, body=b"receiver is having a bad day " + b"x" * 3000)


def retry_after(seconds: int) -> Reply:
    return Reply(status=429, headers={"Retry-After": str(seconds)}, body=b"slow down")


def gone() -> Reply:
    return Reply(status=410, body=b"no such hook")


def redirect(location: str) -> Reply:
    return Reply(status=302, headers={"Location": location}, body=b"")


def hang(seconds: float) -> Reply:
    return Reply(hang=seconds)


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int
    #: Which of the receiver's secrets the signatures verified with.
    verified_with: tuple[str, ...]

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def payload(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.body)
        return loaded

    @property
    def signatures(self) -> list[str]:
        return self.headers["webhook-signature"].split(" ")


class Receiver:
    def __init__(self) -> None:
        self.secrets: list[str] = []
        self.default = OK
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._release = threading.Event()
        #: Cleared, requests wait (up to 10 s) before being answered: lets a test pile work up.
        self.gate = threading.Event()
        self.gate.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                length = int(self.headers.get("content-length", 0))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = receiver._next_reply()
                receiver._record(self.path, headers, body, reply.status)
                if reply.hang:
                    receiver._release.wait(reply.hang)
                receiver.gate.wait(10)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:  # the sender gave up waiting
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            # The dispatcher opens dozens of connections at once; the default backlog of 5 would
            # drop some of them and turn a healthy receiver into a slow one.
            request_queue_size = 256

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="webhook-receiver", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order, then with the default."""
        with self._lock:
            self._script.extend(replies)

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def _record(self, path: str, headers: dict[str, str], body: bytes, answered: int) -> None:
        verified: list[str] = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            verified.append(secret)
        with self._lock:
            self._received.append(Received(path, headers, body, answered, tuple(verified)))

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def delivered(self) -> list[Received]:
        """The requests answered with success."""
        return [r for r in self.received if 200 <= r.answered < 300]

    def wait_for(
        self, count: int, *, of: Callable[[Received], bool] | None = None, timeout: float = 15
    ) -> list[Received]:
        """Wait until at least ``count`` requests (matching ``of``) arrived; they come within
        milliseconds, the deadline only keeps a broken run from hanging."""
        deadline = time.monotonic() + timeout
        while True:
            matching = [r for r in self.received if of is None or of(r)]
            if len(matching) >= count:
                return matching
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} requests at the receiver, got {len(matching)}")
            time.sleep(0.01)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._release.set()
        self.gate.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.close()
