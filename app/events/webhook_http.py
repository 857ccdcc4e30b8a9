"""Sending one webhook: a guarded connection, a bounded wait (app/domain/webhook_signing.py signs it).

Connections go to checked addresses only, and to exactly the address checked (no DNS rebinding
between the check and the connect): ``webhook_transport.first_allowed_address`` decides.

The dispatcher sends through :class:`EndpointConnections`: each endpoint's own keep-alive
connections (as many as it has deliveries in flight), each an asyncio protocol that writes a
request at once and parses its answer with httptools. A shared pool looks at every pooled
connection on every request, and httpx's client and httpcore add their own layers: per request
they cost more than the rest of a delivery (bench/RESULTS.md).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httptools
import httpx

from app.domain.webhooks import address_refusal
from app.events.webhook_transport import (
    KEEPALIVE_SECONDS,
    Refusal,
    Resolver,
    TargetRefused,
    first_allowed_address,
    resolve,
)

RESPONSE_EXCERPT_BYTES = 1000
#: An answer longer than this is not read to its end: its connection is closed instead.
READ_TO_REUSE_BYTES = 65536
USER_AGENT = "nextdesk-webhooks/1"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    duration_ms: int
    error: str | None = None
    response_body: str | None = None
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


def answered(
    status: int, duration_ms: int, excerpt: str, *, location: str | None, retry_after: str | None
) -> SendResult:
    """What an answer means for the delivery: 2xx delivered; a redirect is not followed."""
    error = None
    if 300 <= status < 400:
        error = f"redirected to {location or 'elsewhere'}; redirects are not followed"[:500]
    elif not 200 <= status < 300:
        error = f"the receiver answered {status}"
    return SendResult(status, duration_ms, error=error, response_body=excerpt, retry_after=retry_after)


@dataclass(frozen=True)
class _Target:
    host: str
    port: int
    tls: bool
    origin: tuple[bool, str, int]
    #: The request line and the Host header, as every request to this URL starts.
    head: bytes


def _target(url: str) -> _Target:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _Fault("UnsupportedProtocol", f"webhooks go over http or https, not {scheme or 'nothing'}")
    tls = scheme == "https"
    default = 443 if tls else 80
    port = parts.port or default
    host = (parts.hostname or "").encode("idna").decode("ascii")
    path = ((parts.path or "/") + (f"?{parts.query}" if parts.query else "")).encode("ascii")
    if not host or any(byte <= 0x20 or byte == 0x7F for byte in path):
        raise _Fault("LocalProtocolError", f"{url} is not a target an HTTP request can name")
    shown = f"[{host}]" if ":" in host else host
    if parts.port is not None and parts.port != default:
        shown += f":{parts.port}"
    head = b"POST " + path + b" HTTP/1.1\r\nhost: " + shown.encode("ascii") + b"\r\n"
    return _Target(host, port, tls, (tls, host, port), head)


class _Fault(Exception):
    """A failed exchange, named as the delivery's error says it (ConnectError, ReadError, ...)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


class _Connection(asyncio.Protocol):
    """One kept-alive HTTP/1.1 connection to an endpoint.

    A request leaves in one write; httptools parses the answer as it arrives, and the sender is
    woken once, when the answer is complete (or when enough of it has come to decide: an answer
    longer than ``READ_TO_REUSE_BYTES`` is not read on, its connection is closed instead).
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[None] | None = None
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.excerpt = bytearray()
        self.body_bytes = 0
        self.headers_done = False
        #: The answer says where it ends (a length, or chunks); else it ends when the connection does.
        self.delimited = False
        self.reusable = False
        self.lost = False
        self.idle_since = 0.0

    # --- asyncio's side ---------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's does not subclass Transport

    def data_received(self, data: bytes) -> None:
        if self.waiter is None:  # nothing was asked: the peer spoke out of turn, or a long answer goes on
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(_Fault("RemoteProtocolError", "the receiver switched protocols"))
        except httptools.HttpParserError as exc:
            self._fail(_Fault("RemoteProtocolError", f"the answer is not HTTP/1.1: {exc}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.waiter is None:
            return
        if self.headers_done and not self.delimited:
            self._finish(reusable=False)  # its body ran to the connection's end
        else:
            detail = str(exc) if exc else "the receiver closed the connection before answering in full"
            self._fail(_Fault("ReadError", detail))

    # --- httptools' side --------------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self.status = 0
        self.headers = []
        self.excerpt = bytearray()
        self.body_bytes = 0
        self.headers_done = False
        self.delimited = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))
        if name.lower() in (b"content-length", b"transfer-encoding"):
            self.delimited = True

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.headers_done = True

    def on_body(self, body: bytes) -> None:
        self.body_bytes += len(body)
        room = RESPONSE_EXCERPT_BYTES - len(self.excerpt)
        if room > 0:
            self.excerpt += body[:room]
        if self.body_bytes > READ_TO_REUSE_BYTES and self.waiter is not None:
            self._finish(reusable=False)

    def on_message_complete(self) -> None:
        if 100 <= self.status < 200:
            return  # an interim answer (100 Continue, 103 Early Hints): the real one follows
        if self.waiter is not None:
            self._finish(reusable=self.parser.should_keep_alive())

    # --- the sender's side ------------------------------------------------------------------------

    def available(self, now: float, keepalive: float) -> bool:
        """Idle, open, and not idle for longer than the keep-alive allows."""
        return (
            self.reusable
            and not self.lost
            and self.transport is not None
            and not self.transport.is_closing()
            and now - self.idle_since < keepalive
        )

    def exchange(self, request: bytes) -> asyncio.Future[None]:
        assert self.transport is not None
        self.waiter = waiter = asyncio.get_running_loop().create_future()
        self.reusable = False
        self.transport.write(request)
        return waiter

    def answer(self) -> tuple[int, str, str | None, str | None]:
        """Status, the body's excerpt, Location and Retry-After."""
        location = retry_after = None
        for name, value in self.headers:
            lowered = name.lower()
            if lowered == b"location":
                location = value.decode("latin-1")
            elif lowered == b"retry-after":
                retry_after = value.decode("latin-1")
        excerpt = bytes(self.excerpt).decode("utf-8", errors="replace")
        return self.status, excerpt, location, retry_after

    def close(self) -> None:
        self.reusable = False
        if self.transport is not None:
            self.transport.close()

    def _finish(self, *, reusable: bool) -> None:
        waiter, self.waiter = self.waiter, None
        self.reusable = reusable and not self.lost
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, fault: _Fault) -> None:
        waiter, self.waiter = self.waiter, None
        self.close()
        if waiter is not None and not waiter.done():
            waiter.set_exception(fault)


class EndpointConnections:
    """Keep-alive connections per endpoint origin, each made to the address checked for it.

    The dispatcher bounds how many deliveries are in flight to one endpoint, so an origin has at
    most that many connections; each request takes an idle one (or makes one) and gives it back
    when the answer has been read. Idle connections are closed after ``KEEPALIVE_SECONDS``.

    A new connection resolves the host once, checks every address (``first_allowed_address``) and
    connects to the first one allowed; TLS names the URL's host (server name and certificate), and
    so does the Host header. The exchange itself is one write of the request and httptools
    parsing the answer in the protocol's callbacks: per request, httpcore's and h11's layers cost
    more than the rest of a delivery (bench/RESULTS.md).
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = resolve,
        ssl_context: ssl.SSLContext | None = None,
        keepalive_seconds: float = KEEPALIVE_SECONDS,
    ) -> None:
        self.refusal: Refusal = (lambda address: None) if allow_private else address_refusal
        self.resolver = resolver
        self.ssl_context = ssl_context or httpx.create_ssl_context(trust_env=False)
        self.keepalive_seconds = keepalive_seconds
        self._idle: dict[tuple[bool, str, int], list[_Connection]] = {}
        self._targets: dict[str, _Target] = {}
        #: Connections made so far: how well they are reused shows against the requests sent.
        self.opened = 0

    async def _connection(self, target: _Target) -> _Connection:
        idle = self._idle.get(target.origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if connection.available(now, self.keepalive_seconds):
                return connection
            connection.close()
        address = await first_allowed_address(
            target.host, target.port, resolver=self.resolver, refusal=self.refusal
        )
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(
                _Connection,
                address,
                target.port,
                ssl=self.ssl_context if target.tls else None,
                server_hostname=target.host if target.tls else None,
            )
        except OSError as exc:  # ssl.SSLError and certificate errors are OSErrors too
            raise _Fault("ConnectError", str(exc) or type(exc).__name__) from exc
        self.opened += 1
        sock = connection.transport.get_extra_info("socket") if connection.transport else None
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        return connection

    async def send(
        self, url: str, body: bytes, headers: list[tuple[bytes, bytes]], *, timeout: float
    ) -> SendResult:
        """POST once on a kept-alive connection; whatever happens comes back as a result."""
        started = time.perf_counter()
        connection: _Connection | None = None
        try:
            target = self._targets.get(url)
            if target is None:
                target = self._targets[url] = _target(url)
            request = b"".join(
                [
                    target.head,
                    *[name + b": " + value + b"\r\n" for name, value in headers],
                    b"content-length: %d\r\n\r\n" % len(body),
                    body,
                ]
            )
            async with asyncio.timeout(timeout):
                connection = await self._connection(target)
                await connection.exchange(request)
        except TargetRefused as exc:
            return SendResult(None, _ms(started), error=f"refused: {exc}")
        except TimeoutError:
            if connection is not None:
                connection.close()
            return SendResult(None, _ms(started), error=f"no answer within {timeout:g} s")
        except _Fault as exc:
            if connection is not None:
                connection.close()
            return SendResult(None, _ms(started), error=f"{exc.kind}: {exc}"[:500])
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        if connection.reusable:
            connection.idle_since = time.monotonic()
            self._idle.setdefault(target.origin, []).append(connection)
        else:
            connection.close()
        status, excerpt, location, retry_after = connection.answer()
        return answered(status, _ms(started), excerpt, location=location, retry_after=retry_after)

    def close_idle(self) -> None:
        """Close what has been idle too long (called now and then by the dispatcher)."""
        now = time.monotonic()
        for origin, idle in list(self._idle.items()):
            keep = [c for c in idle if c.available(now, self.keepalive_seconds)]
            for connection in idle:
                if connection not in keep:
                    connection.close()
            if keep:
                self._idle[origin] = keep
            else:
                del self._idle[origin]

    async def aclose(self) -> None:
        idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
