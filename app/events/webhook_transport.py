"""The webhook sender's connections: to checked addresses only, and to exactly the address checked.

Each new connection resolves the target's host once, checks every address it got, and opens the
socket to the first one that passed: a name that resolved to a public address when the endpoint was
registered and to 127.0.0.1 now (DNS rebinding) is refused, not followed, and no second lookup can
slip another address in between the check and the connect. The URL is left as it is, so the
``Host`` header and TLS (server name and certificate check) still name the URL's host, and pooled
connections stay apart per host name.

It is built from public parts: an httpcore network backend that does the above, in httpcore's own
connection pool, behind httpx's transport interface (``httpx.AsyncBaseTransport``), or under the
dispatcher's own keep-alive connections (``webhook_http.EndpointConnections``). Its sockets are
asyncio streams: anyio's streams, httpcore's default, cost several times more per request
(measured: bench/RESULTS.md), and the sender makes a request for every delivery.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import httpcore
import httpx

from app.domain.webhooks import address_refusal

#: host, port -> the addresses the host resolves to, in the order to try them.
Resolver = Callable[[str, int], Awaitable[list[str]]]
#: address -> why it may not be reached, or None when it may.
Refusal = Callable[[str], str | None]

KEEPALIVE_SECONDS = 5.0


class TargetRefused(Exception):
    """The target resolves to an address webhooks may not reach."""


async def resolve(host: str, port: int) -> list[str]:
    """The system's answer (getaddrinfo), each address once, in its order."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for *_, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def refusal_text(host: str, address: str, why: str) -> str:
    shown = host if host == address else f"{host} resolves to {address},"
    return (
        f"{shown} {why}; webhooks go only to public addresses "
        "(the operator may allow others with NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS)"
    )


async def first_allowed_address(
    host: str, port: int, *, resolver: Resolver = resolve, refusal: Refusal = address_refusal
) -> str:
    """Resolve once; the first address that passes, or TargetRefused naming what did not."""
    try:
        addresses = await resolver(host, port)
    except OSError as exc:
        raise TargetRefused(f"the host {host} does not resolve: {exc}") from exc
    refusals: list[str] = []
    for address in addresses:
        why = refusal(address)
        if why is None:
            return address
        refusals.append(refusal_text(host, address, why))
    raise TargetRefused(refusals[0] if refusals else f"the host {host} has no address")


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One TCP (or TLS) connection as asyncio streams, with httpcore's errors and timeouts.

    What is written is held back until the next read (or until it grows large): httpcore writes a
    request's head and its body apart, and a request is always followed by reading its answer,
    so both leave in one system call.
    """

    HOLD_BYTES = 65536

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.held: list[bytes] = []
        self.held_bytes = 0

    async def _flush(self, timeout: float | None) -> None:
        if not self.held:
            return
        data = b"".join(self.held)
        self.held.clear()
        self.held_bytes = 0
        try:
            self.writer.write(data)
            async with asyncio.timeout(timeout):
                await self.writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc) or "write timed out") from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await self._flush(timeout)
        try:
            async with asyncio.timeout(timeout):
                return await self.reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc) or "read timed out") from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        self.held.append(buffer)
        self.held_bytes += len(buffer)
        if self.held_bytes >= self.HOLD_BYTES:
            await self._flush(timeout)

    async def aclose(self) -> None:
        self.held.clear()
        self.writer.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        await self._flush(timeout)
        try:
            async with asyncio.timeout(timeout):
                await self.writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            await self.aclose()
            raise httpcore.ConnectTimeout(str(exc) or "TLS handshake timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            await self.aclose()
            raise httpcore.ConnectError(str(exc)) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self.writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self.writer.get_extra_info("sockname")
        if info == "server_addr":
            return self.writer.get_extra_info("peername")
        if info == "socket":
            return self.writer.get_extra_info("socket")
        if info == "is_readable":
            # An idle keep-alive connection is readable only when the peer closed it (or spoke
            # out of turn): either way it is not to be used again.
            return self.reader.at_eof() or self.writer.transport.is_closing()
        return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore asks it for a socket to (host, port); it connects to the checked address instead,
    as plain asyncio streams."""

    def __init__(self, *, resolver: Resolver, refusal: Refusal) -> None:
        self.resolver = resolver
        self.refusal = refusal

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        with anyio.fail_after(timeout):
            address = await first_allowed_address(host, port, resolver=self.resolver, refusal=self.refusal)
        # TLS is started afterwards by httpcore on this stream with the URL's host as the server
        # name, so the certificate is checked for the name whatever address the socket went to.
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    address, port, local_addr=(local_address, 0) if local_address else None
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc) or "connect timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for option in socket_options or ():
                sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused("webhooks are not sent over unix sockets")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


#: httpcore's errors as the httpx errors callers catch; the most specific first.
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _HTTPX_ERRORS:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise


class _ResponseBody(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self.stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            async for chunk in self.stream:
                yield chunk

    async def aclose(self) -> None:
        close = getattr(self.stream, "aclose", None)
        if close is not None:
            with _as_httpx_errors():
                await close()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport over httpcore's pool with the guarded backend; no proxies, no retries."""

    def __init__(
        self,
        *,
        max_connections: int,
        resolver: Resolver = resolve,
        refusal: Refusal = address_refusal,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=KEEPALIVE_SECONDS,
            network_backend=GuardedBackend(resolver=resolver, refusal=refusal),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = await self.pool.handle_async_request(core_request)
        assert isinstance(response.stream, AsyncIterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseBody(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self.pool.aclose()
