"""The dispatcher's own connections (``EndpointConnections``), against real servers on 127.0.0.1.

A connection goes to the address that was checked and to no other, a DNS answer that moves after the check is
refused, the Host header and TLS (server name, certificate) name the URL's host. Then what the
exchange must get right on its own: keep-alive reuse, and every way an answer can end (a length,
chunks, the connection's close, an interim answer first, too long to read, not HTTP, nothing).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator

import pytest
import trustme

from app.events.webhook_http import READ_TO_REUSE_BYTES, EndpointConnections, SendResult
from app.events.webhook_transport import first_allowed_address
from tests.test_delivery_engine import KeepAliveReceiver
from tests.test_webhook_transport import HOST, ChangingAnswers, TlsReceiver, only, trusting
from tests.webhook_receiver import Receiver, running_receiver

HEADERS = [(b"content-type", b"application/json"), (b"webhook-id", b"7")]


def send_all(
    connections: EndpointConnections, url: str, times: int = 1, timeout: float = 5
) -> list[SendResult]:
    async def run() -> list[SendResult]:
        try:
            return [await connections.send(url, b'{"n": 1}', HEADERS, timeout=timeout) for _ in range(times)]
        finally:
            await connections.aclose()

    return asyncio.run(run())


def pinned(dns: ChangingAnswers, allowed: str = "127.0.0.1", **kwargs: object) -> EndpointConnections:
    connections = EndpointConnections(allow_private=False, resolver=dns, **kwargs)  # type: ignore[arg-type]
    connections.refusal = only(allowed)
    return connections


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def keep_alive() -> Iterator[KeepAliveReceiver]:
    running = KeepAliveReceiver()
    try:
        yield running
    finally:
        running.close()


def test_the_connection_goes_to_the_address_that_was_checked(receiver: Receiver) -> None:
    dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.2"])

    [result] = send_all(pinned(dns), f"http://{HOST}:{receiver.port}/hooks")

    assert result.ok, result
    assert dns.lookups == [(HOST, receiver.port)]
    [got] = receiver.received
    assert got.headers["host"] == f"{HOST}:{receiver.port}"
    assert got.headers["webhook-id"] == "7"
    assert got.body == b'{"n": 1}'


def test_a_dns_answer_that_moves_to_a_private_address_is_refused(receiver: Receiver) -> None:
    dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.1"])
    connections = EndpointConnections(allow_private=False, resolver=dns)

    [result] = send_all(connections, f"http://{HOST}:{receiver.port}/hooks")

    assert receiver.received == []
    assert result.status_code is None
    assert result.error == (
        f"refused: {HOST} resolves to 127.0.0.1, a loopback address; webhooks go only to public "
        "addresses (the operator may allow others with NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS)"
    )


def test_a_dns_answer_that_changes_after_the_check_is_refused(receiver: Receiver) -> None:
    """Registration checked the name (a public address then); at the connection it answers loopback."""
    dns = ChangingAnswers(["93.184.216.34"], ["127.0.0.1"])
    assert asyncio.run(first_allowed_address(HOST, receiver.port, resolver=dns)) == "93.184.216.34"

    [result] = send_all(
        EndpointConnections(allow_private=False, resolver=dns), f"http://{HOST}:{receiver.port}/hooks"
    )

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

    first, second = send_all(pinned(dns), f"http://{HOST}:{receiver.port}/hooks", times=2)

    assert first.ok, first
    assert second.error is not None
    assert second.error.startswith(f"refused: {HOST} resolves to 127.0.0.2, not the address the test")
    assert len(receiver.received) == 1


def test_a_kept_alive_connection_carries_the_next_requests_without_a_new_lookup(
    keep_alive: KeepAliveReceiver,
) -> None:
    dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.2"])
    connections = pinned(dns)
    port = keep_alive.server.server_address[1]

    results = send_all(connections, f"http://{HOST}:{port}/hooks", times=5)

    assert all(r.ok and r.status_code == 204 for r in results), results
    assert connections.opened == 1
    assert keep_alive.connections() == 1
    assert len(dns.lookups) == 1


def test_tls_names_the_urls_host_while_the_socket_goes_to_the_checked_address(ca: trustme.CA) -> None:
    tls = TlsReceiver(ca)
    try:
        dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.2"])
        [result] = send_all(pinned(dns, ssl_context=trusting(ca)), f"https://{HOST}:{tls.port}/hooks")
        assert result.ok, result
        assert tls.server_names == [HOST]
        assert tls.hosts == [f"{HOST}:{tls.port}"]

        other = "other.nextdesk.test"
        dns = ChangingAnswers(["127.0.0.1"], ["127.0.0.1"])
        [refused] = send_all(pinned(dns, ssl_context=trusting(ca)), f"https://{other}:{tls.port}/hooks")
        assert refused.status_code is None
        assert refused.error is not None
        assert refused.error.startswith("ConnectError: ")
        assert "certificate" in refused.error.lower() or "hostname" in refused.error.lower()
        assert len(tls.hosts) == 1
    finally:
        tls.close()


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


# --- how an answer may end ----------------------------------------------------------------------------


class Scripted:
    """A raw TCP server: reads each request in full, answers with ``answer(n)`` for the n-th request
    (bytes; None: say nothing), and closes the connection after it when ``close_after`` says so."""

    def __init__(self, answer: Callable[[int], bytes | None], close_after: bool = False) -> None:
        self.answer = answer
        self.close_after = close_after
        self.requests = 0
        self.connections = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.stopped = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            self._converse(conn)
        except OSError:
            pass  # the client closed first (a long answer cut off, a timeout)

    def _converse(self, conn: socket.socket) -> None:
        with conn:
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                while len(buffer) < length:
                    buffer += conn.recv(65536)
                buffer = buffer[length:]
                self.requests += 1
                reply = self.answer(self.requests)
                if reply is None:
                    conn.recv(1)  # hold the connection, say nothing, until the client goes
                    return
                conn.sendall(reply)
                if self.close_after:
                    return

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def close(self) -> None:
        self.stopped = True
        self.server.close()


def scripted(answer: Callable[[int], bytes | None], close_after: bool = False) -> Scripted:
    return Scripted(answer, close_after)


def local() -> EndpointConnections:
    return EndpointConnections(allow_private=True)


def test_a_chunked_answer_is_read_and_its_connection_kept() -> None:
    server = scripted(
        lambda n: (
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )
    )
    try:
        connections = local()
        results = send_all(connections, server.url, times=3)
    finally:
        server.close()
    assert [(r.status_code, r.response_body, r.ok) for r in results] == [(200, "hello world", True)] * 3
    assert connections.opened == 1


def test_an_answer_that_ends_with_its_connection_is_complete() -> None:
    server = scripted(lambda n: b"HTTP/1.1 202 Accepted\r\nconnection: close\r\n\r\nqueued", close_after=True)
    try:
        connections = local()
        results = send_all(connections, server.url, times=2)
    finally:
        server.close()
    assert [(r.status_code, r.response_body) for r in results] == [(202, "queued")] * 2
    assert connections.opened == 2


def test_an_interim_answer_is_passed_over_for_the_final_one() -> None:
    server = scripted(
        lambda n: (
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Unavailable\r\nretry-after: 30\r\n"
            b"content-length: 4\r\n\r\nbusy"
        )
    )
    try:
        [result] = send_all(local(), server.url)
    finally:
        server.close()
    assert (result.status_code, result.response_body, result.retry_after) == (503, "busy", "30")
    assert result.error == "the receiver answered 503"


def test_a_redirect_is_a_failure_that_names_where_it_pointed() -> None:
    server = scripted(
        lambda n: b"HTTP/1.1 302 Found\r\nlocation: https://elsewhere.test/\r\ncontent-length: 0\r\n\r\n"
    )
    try:
        [result] = send_all(local(), server.url)
    finally:
        server.close()
    assert result.status_code == 302
    assert result.error == "redirected to https://elsewhere.test/; redirects are not followed"


def test_a_long_answer_is_cut_to_its_excerpt_and_its_connection_not_reused() -> None:
    body = b"x" * (READ_TO_REUSE_BYTES * 2)
    server = scripted(lambda n: b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
    try:
        connections = local()
        results = send_all(connections, server.url, times=2)
    finally:
        server.close()
    assert all(r.ok for r in results)
    assert len(results[0].response_body or "") == 1000
    assert connections.opened == 2


def test_an_answer_that_is_not_http_is_a_protocol_error() -> None:
    server = scripted(lambda n: b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
    try:
        [result] = send_all(local(), server.url)
    finally:
        server.close()
    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("RemoteProtocolError: ")


def test_a_connection_closed_before_the_answer_is_a_read_error_and_not_kept() -> None:
    server = scripted(lambda n: b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf", close_after=True)
    try:
        connections = local()
        [result] = send_all(connections, server.url)
    finally:
        server.close()
    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("ReadError: ")


def test_silence_ends_at_the_timeout() -> None:
    server = scripted(lambda n: None)
    try:
        [result] = send_all(local(), server.url, timeout=0.3)
    finally:
        server.close()
    assert result.status_code is None
    assert result.error == "no answer within 0.3 s"


def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [result] = send_all(local(), f"http://127.0.0.1:{port}/hooks")
    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("ConnectError: ")
