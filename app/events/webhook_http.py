"""Sending one webhook: a guarded connection, a bounded wait (app/domain/webhook_signing.py signs it).

The guard resolves the target's host at connect time, checks every address it would use, and
connects to the address it checked: a name that resolved to a public address when the endpoint
was registered and to 127.0.0.1 now (DNS rebinding) is refused, not followed.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import anyio
import httpcore
import httpx

from app.domain.webhooks import address_refusal

RESPONSE_EXCERPT_BYTES = 1000
USER_AGENT = "nextdesk-webhooks/1"


class TargetRefused(Exception):
    """The target resolves to an address webhooks may not reach."""


async def resolve(host: str, port: int) -> list[str]:
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


async def first_allowed_address(host: str, port: int) -> str:
    try:
        addresses = await resolve(host, port)
    except OSError as exc:
        raise TargetRefused(f"the host {host} does not resolve: {exc}") from exc
    refusals: list[str] = []
    for address in addresses:
        why = address_refusal(address)
        if why is None:
            return address
        refusals.append(refusal_text(host, address, why))
    raise TargetRefused(refusals[0] if refusals else f"the host {host} has no address")


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses that passed the check, and to exactly the address checked."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        with anyio.fail_after(timeout):
            address = await first_allowed_address(host, port)
        # TLS still verifies the certificate for the host name: httpcore passes the URL's host as
        # the server name, whatever address the socket went to.
        return await self._inner.connect_tcp(
            address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused("webhooks are not sent over unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, *, max_connections: int) -> None:
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        super().__init__(limits=limits, trust_env=False)
        # httpx does not take a network backend, so the pool it built is swapped for one that
        # uses the guard; everything else (exception mapping, streaming) stays httpx's own.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(),
        )


def make_client(*, allow_private: bool, timeout: float, max_connections: int) -> httpx.AsyncClient:
    transport: httpx.AsyncBaseTransport = (
        httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=max_connections), trust_env=False, retries=0
        )
        if allow_private
        else GuardedTransport(max_connections=max_connections)
    )
    return httpx.AsyncClient(
        transport=transport,
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
    error = None
    if 300 <= response.status_code < 400:
        location = response.headers.get("location", "")
        error = f"redirected to {location or 'elsewhere'}; redirects are not followed"[:500]
    elif not 200 <= response.status_code < 300:
        error = f"the receiver answered {response.status_code}"
    return SendResult(
        response.status_code,
        elapsed(),
        error=error,
        response_body=excerpt,
        retry_after=response.headers.get("retry-after"),
    )


async def _excerpt(response: httpx.Response) -> str:
    collected = b""
    async for chunk in response.aiter_bytes():
        collected += chunk
        if len(collected) >= RESPONSE_EXCERPT_BYTES:
            break
    return collected[:RESPONSE_EXCERPT_BYTES].decode("utf-8", errors="replace")
