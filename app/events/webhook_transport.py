"""The webhook sender's connections: to checked addresses only, and to exactly the address checked.

Each new connection resolves the target's host once, checks every address it got, and opens the
socket to the first one that passed: a name that resolved to a public address when the endpoint was
registered and to 127.0.0.1 now (DNS rebinding) is refused, not followed, and no second lookup can
slip another address in between the check and the connect. The URL is left as it is, so the
``Host`` header and TLS (server name and certificate check) still name the URL's host, and pooled
connections stay apart per host name.

The dispatcher's own keep-alive connections (``webhook_http.EndpointConnections``) connect
through :func:`first_allowed_address`; registration checks a target with the same rule.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable

import anyio

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
