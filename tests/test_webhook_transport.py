"""The webhook client's connections, against real receivers on 127.0.0.1: the address checked is the
address connected to, a DNS answer that changes after the check is refused, and the Host header and
TLS (server name, certificate) still name the URL's host.

The resolver is the seam: the tests answer for made-up host names the system cannot resolve, so a
connection that went anywhere but to the checked address would not connect at all.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import trustme

from app.events.webhook_http import SendResult, make_client, send
from app.events.webhook_transport import GuardedTransport, Refusal, TargetRefused, first_allowed_address
from tests.webhook_receiver import Receiver, running_receiver

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


def post(client: httpx.AsyncClient, url: str, times: int = 1) -> list[SendResult]:
    async def run() -> list[SendResult]:
        try:
            return [
                await send(client, url, b'{"n": 1}', {"content-type": "application/json"}, timeout=5)
                for _ in range(times)
            ]
        finally:
            await client.aclose()

    return asyncio.run(run())


def guarded(
    dns: ChangingAnswers, policy: Refusal, ssl_context: ssl.SSLContext | None = None
) -> httpx.AsyncClient:
    transport = GuardedTransport(max_connections=4, resolver=dns, refusal=policy, ssl_context=ssl_context)
    return httpx.AsyncClient(transport=transport, follow_redirects=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def test_the_connection_goes_to_the_address_that_was_checked(receiver: Receiver) -> None:
    # One lookup per connection; a second one would answer 127.0.0.2, where nothing listens.
    dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.2"])

    [result] = post(guarded(dns, only("127.0.0.1")), f"http://{HOST}:{receiver.port}/hooks")

    assert result.ok, result
    assert dns.lookups == [(HOST, receiver.port)]
    [got] = receiver.received
    assert got.headers["host"] == f"{HOST}:{receiver.port}"
    assert got.body == b'{"n": 1}'


def test_a_dns_answer_that_changes_after_the_check_is_refused(receiver: Receiver) -> None:
    """Registration checked the name (a public address then); at the connection it answers loopback."""
    dns = ChangingAnswers(["93.184.216.34"], ["127.0.0.1"])
    assert asyncio.run(first_allowed_address(HOST, receiver.port, resolver=dns)) == "93.184.216.34"

    client = make_client(allow_private=False, timeout=5, max_connections=4, resolver=dns)
    [result] = post(client, f"http://{HOST}:{receiver.port}/hooks")

    assert receiver.received == []
    assert result.status_code is None
    assert result.error == (
        f"refused: {HOST} resolves to 127.0.0.1, a loopback address; webhooks go only to public "
        "addresses (the operator may allow others with NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS)"
    )
    assert len(dns.lookups) == 2


def test_each_new_connection_checks_the_answer_of_its_own_lookup(receiver: Receiver) -> None:
    """The receiver closes each connection, so the second send connects anew: by then the name has
    moved to an address the policy refuses, and that connection is refused."""
    dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.2"])

    first, second = post(guarded(dns, only("127.0.0.1")), f"http://{HOST}:{receiver.port}/hooks", times=2)

    assert first.ok
    assert second.error is not None
    assert second.error.startswith(f"refused: {HOST} resolves to 127.0.0.2, not the address the test")
    assert len(receiver.received) == 1


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


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_receiver(ca: trustme.CA) -> Iterator[TlsReceiver]:
    running = TlsReceiver(ca)
    try:
        yield running
    finally:
        running.close()


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_tls_names_the_urls_host_while_the_socket_goes_to_the_checked_address(
    ca: trustme.CA, tls_receiver: TlsReceiver
) -> None:
    dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.2"])

    [result] = post(
        guarded(dns, only("127.0.0.1"), trusting(ca)), f"https://{HOST}:{tls_receiver.port}/hooks"
    )

    assert result.ok, result
    assert tls_receiver.server_names == [HOST]
    assert tls_receiver.hosts == [f"{HOST}:{tls_receiver.port}"]


def test_the_certificate_is_checked_for_the_urls_host_not_the_address(
    ca: trustme.CA, tls_receiver: TlsReceiver
) -> None:
    """Another name resolving to the same checked address does not get HOST's certificate accepted."""
    dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.1"])
    other = "other.nextdesk.test"

    [result] = post(
        guarded(dns, only("127.0.0.1"), trusting(ca)), f"https://{other}:{tls_receiver.port}/hooks"
    )

    assert not result.ok
    assert result.error is not None
    assert "CERTIFICATE_VERIFY_FAILED" in result.error
    assert tls_receiver.server_names == [other]
    assert tls_receiver.hosts == []
