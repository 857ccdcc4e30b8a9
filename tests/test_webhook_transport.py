"""Which address a webhook may go to, and the test parts for the sender's connections
(tests/test_webhook_connections.py): a DNS server whose answer changes, an address policy, an
HTTPS receiver with a test CA.

The resolver is the seam: the tests answer for made-up host names the system cannot resolve, so a
connection that went anywhere but to the checked address would not connect at all.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import trustme

from app.events.webhook_transport import Refusal, TargetRefused, first_allowed_address

HOST = "hooks.nextdesk.test"


class ChangingAnswers:
    """A DNS server whose answer changes: the first lookup gets ``first``, later ones ``then``."""

    def __init__(self, first: list[str], then: list[str]) -> None:
        self.first = first
        self.then = then
        self.lookups: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append((host, port))
        return self.first if len(self.lookups) == 1 else self.then


def only(allowed: str) -> Refusal:
    """An address policy letting one address through: 127.0.0.1 stands in for a public address."""
    return lambda address: None if address == allowed else "not the address the test allows"


def test_a_name_with_no_allowed_address_names_the_first_refusal() -> None:
    dns = ChangingAnswers(["10.0.0.7", "169.254.169.254"], [])
    with pytest.raises(TargetRefused, match=f"{HOST} resolves to 10.0.0.7, a private address"):
        asyncio.run(first_allowed_address(HOST, 443, resolver=dns))


# --- TLS: the socket goes to the checked address, the handshake names the URL's host ---------------


class TlsReceiver:
    """HTTPS on 127.0.0.1 with a certificate for HOST only; records the server name each client sent."""

    def __init__(self, ca: trustme.CA) -> None:
        self.server_names: list[str | None] = []
        self.hosts: list[str | None] = []
        received = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                self.rfile.read(int(self.headers.get("content-length", 0)))
                received.hosts.append(self.headers.get("host"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(HOST).configure_cert(context)
        context.sni_callback = lambda sock, name, ctx: received.server_names.append(name)  # type: ignore[assignment,func-returns-value]
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context
