"""Sending one webhook: a guarded connection, a bounded wait (app/domain/webhook_signing.py signs it).

The connection is made by ``webhook_transport``: to checked addresses only, and to exactly the
address checked (no DNS rebinding between the check and the connect).

The dispatcher sends through :class:`EndpointConnections`: each endpoint's own keep-alive
connections (as many as it has deliveries in flight), driven through httpcore's public
connection interface. A shared pool looks at every pooled connection on every request, and
httpx's client adds its own layers: per request they cost more than the rest of a delivery.
:func:`send` is the same exchange through an httpx client, for tools and tests.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from app.domain.webhooks import address_refusal
from app.events.webhook_transport import (
    KEEPALIVE_SECONDS,
    GuardedBackend,
    GuardedTransport,
    Refusal,
    Resolver,
    TargetRefused,
    resolve,
)

RESPONSE_EXCERPT_BYTES = 1000
#: An answer longer than this is not read to its end: its connection is closed instead.
READ_TO_REUSE_BYTES = 65536
USER_AGENT = "nextdesk-webhooks/1"


def make_client(
    *,
    allow_private: bool,
    timeout: float,
    max_connections: int,
    resolver: Resolver = resolve,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.AsyncClient:
    """The dispatcher's client: guarded connections unless the operator allows private targets.

    ``resolver`` and ``ssl_context`` are there for tests (a DNS answer that changes, a test CA).
    """
    refusal: Refusal = (lambda address: None) if allow_private else address_refusal
    return httpx.AsyncClient(
        transport=GuardedTransport(
            max_connections=max_connections, resolver=resolver, refusal=refusal, ssl_context=ssl_context
        ),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
    )


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


async def send(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
) -> SendResult:
    """POST once; whatever happens comes back as a result, never as an exception."""
    started = time.perf_counter()

    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    try:
        # httpx's timeout bounds each read; this bounds the whole exchange (a slow trickle too).
        async with asyncio.timeout(timeout):
            async with client.stream("POST", url, content=body, headers=headers) as response:
                excerpt = await _excerpt(response)
    except TargetRefused as exc:
        return SendResult(None, elapsed(), error=f"refused: {exc}")
    except (TimeoutError, httpx.TimeoutException):
        return SendResult(None, elapsed(), error=f"no answer within {timeout:g} s")
    except httpx.HTTPError as exc:
        return SendResult(None, elapsed(), error=f"{type(exc).__name__}: {exc}"[:500])
    return answered(
        response.status_code,
        elapsed(),
        excerpt,
        location=response.headers.get("location"),
        retry_after=response.headers.get("retry-after"),
    )


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


async def _excerpt(response: httpx.Response) -> str:
    collected = b""
    async for chunk in response.aiter_bytes():
        collected += chunk
        if len(collected) >= RESPONSE_EXCERPT_BYTES:
            break
    return collected[:RESPONSE_EXCERPT_BYTES].decode("utf-8", errors="replace")


@dataclass(frozen=True)
class _Target:
    url: httpcore.URL
    origin: tuple[bytes, bytes, int]


def _target(url: str) -> _Target:
    parts = urlsplit(url)
    scheme = parts.scheme.lower().encode()
    port = parts.port or (443 if scheme == b"https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = (parts.hostname or "").encode("idna")
    core = httpcore.URL(scheme=scheme, host=host, port=parts.port, target=path.encode())
    return _Target(core, (scheme, host, port))


class EndpointConnections:
    """Keep-alive connections per endpoint origin, made through the guarded backend.

    The dispatcher bounds how many deliveries are in flight to one endpoint, so an origin has at
    most that many connections; each request takes an idle one (or makes one) and gives it back
    when the answer has been read. Idle connections are closed after ``KEEPALIVE_SECONDS``.
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = resolve,
        ssl_context: ssl.SSLContext | None = None,
        keepalive_seconds: float = KEEPALIVE_SECONDS,
    ) -> None:
        refusal: Refusal = (lambda address: None) if allow_private else address_refusal
        self.backend = GuardedBackend(resolver=resolver, refusal=refusal)
        self.ssl_context = ssl_context or httpx.create_ssl_context(trust_env=False)
        self.keepalive_seconds = keepalive_seconds
        self._idle: dict[tuple[bytes, bytes, int], list[httpcore.AsyncHTTPConnection]] = {}
        self._targets: dict[str, _Target] = {}
        #: Connections made so far: how well they are reused shows against the requests sent.
        self.opened = 0

    def _connection(self, target: _Target) -> httpcore.AsyncHTTPConnection:
        idle = self._idle.get(target.origin)
        while idle:
            connection = idle.pop()
            if connection.is_available() and not connection.has_expired():
                return connection
            self._close_later(connection)
        self.opened += 1
        return httpcore.AsyncHTTPConnection(
            origin=httpcore.Origin(*target.origin),
            ssl_context=self.ssl_context,
            keepalive_expiry=self.keepalive_seconds,
            network_backend=self.backend,
        )

    @staticmethod
    def _close_later(connection: httpcore.AsyncHTTPConnection) -> None:
        task = asyncio.ensure_future(connection.aclose())
        task.add_done_callback(lambda done: done.cancelled() or done.exception())

    async def send(
        self, url: str, body: bytes, headers: list[tuple[bytes, bytes]], *, timeout: float
    ) -> SendResult:
        """POST once on a kept-alive connection; whatever happens comes back as a result."""
        started = time.perf_counter()
        target = self._targets.get(url)
        if target is None:
            target = self._targets[url] = _target(url)
        connection = self._connection(target)
        try:
            async with asyncio.timeout(timeout):
                async with connection.stream(
                    "POST",
                    target.url,
                    headers=headers,
                    content=body,
                    extensions={
                        "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
                    },
                ) as response:
                    excerpt = await _core_excerpt(response)
        except TargetRefused as exc:
            await connection.aclose()
            return SendResult(None, _ms(started), error=f"refused: {exc}")
        except (TimeoutError, httpcore.TimeoutException):
            await connection.aclose()
            return SendResult(None, _ms(started), error=f"no answer within {timeout:g} s")
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            await connection.aclose()
            return SendResult(None, _ms(started), error=f"{type(exc).__name__}: {exc}"[:500])
        except BaseException:
            await connection.aclose()
            raise
        if connection.is_idle():
            self._idle.setdefault(target.origin, []).append(connection)
        else:
            self._close_later(connection)
        location = retry_after = None
        for name, value in response.headers:
            lowered = name.lower()
            if lowered == b"location":
                location = value.decode("latin-1")
            elif lowered == b"retry-after":
                retry_after = value.decode("latin-1")
        return answered(response.status, _ms(started), excerpt, location=location, retry_after=retry_after)

    def close_idle(self) -> None:
        """Close what has been idle too long (called now and then by the dispatcher)."""
        for origin, idle in list(self._idle.items()):
            keep = [c for c in idle if c.is_available() and not c.has_expired()]
            for connection in idle:
                if connection not in keep:
                    self._close_later(connection)
            if keep:
                self._idle[origin] = keep
            else:
                del self._idle[origin]

    async def aclose(self) -> None:
        idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                await connection.aclose()


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


async def _core_excerpt(response: httpcore.Response) -> str:
    # Read to the end, so that the connection can be used again; a long answer is cut off (and
    # its connection closed) rather than read whole.
    collected = b""
    seen = 0
    async for chunk in response.aiter_stream():
        seen += len(chunk)
        if len(collected) < RESPONSE_EXCERPT_BYTES:
            collected += chunk
        if seen > READ_TO_REUSE_BYTES:
            break
    return collected[:RESPONSE_EXCERPT_BYTES].decode("utf-8", errors="replace")
