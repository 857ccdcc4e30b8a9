"""Sending one webhook: a guarded connection, a bounded wait (app/domain/webhook_signing.py signs it).

The connection is made by ``webhook_transport``: to checked addresses only, and to exactly the
address checked (no DNS rebinding between the check and the connect).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass

import httpx

from app.domain.webhooks import address_refusal
from app.events.webhook_transport import GuardedTransport, Refusal, Resolver, TargetRefused, resolve

RESPONSE_EXCERPT_BYTES = 1000
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
