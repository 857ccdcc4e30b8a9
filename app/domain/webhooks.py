"""Rules of outbound webhooks: which events an endpoint gets, when to retry, which targets are safe."""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

#: After the first attempt fails: retry after these delays (about 27 hours in all), then give up.
#: The operator may set another (NEXTDESK_WEBHOOK_RETRY_SCHEDULE, written as DEFAULT_SCHEDULE is).
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
DEFAULT_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h"
SCHEDULE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
SCHEDULE_MAX_STEPS = 50
SCHEDULE_STEP_LIMITS = (timedelta(seconds=1), timedelta(days=7))

#: While an endpoint fails, one delivery at a time probes it: this often for the first hour of the
#: outage (a receiver back within the hour gets its backlog within seconds), then at the retry
#: schedule's step for an outage of that age.
PROBE_INTERVAL = timedelta(seconds=10)
#: Failed attempts in a row after which an endpoint counts as down: from then on new deliveries
#: wait for a probe to find it back rather than each trying it (a receiver that refuses at once
#: would otherwise be sent every new event's first attempt and its first retry).
DOWN_AFTER_FAILURES = 3
SHORT_PROBES_FOR = timedelta(hours=1)
JITTER = 0.2
#: A receiver's Retry-After is honoured within these bounds: never hammered, never forgotten.
RETRY_AFTER_MIN = timedelta(seconds=1)
RETRY_AFTER_MAX = timedelta(hours=24)

#: Revisions that carry a "significant" flag; other types pass a significant_only filter unchanged.
REVISION_TYPES = frozenset({"estimate.revised", "cost.revised"})


def check_type_patterns(patterns: Iterable[str], known: tuple[str, ...]) -> None:
    """Every pattern is ``*``, a known type, or a family of known types such as ``stage.*``."""
    families = sorted({t.split(".")[0] + ".*" for t in known})
    unknown = [p for p in patterns if p != "*" and p not in known and p not in families]
    if unknown:
        raise ValueError(
            f"unknown event type {', '.join(unknown)}; allowed: *, a family ({', '.join(families)}) "
            f"or one of {', '.join(known)}"
        )


def type_matches(actual: str, pattern: str) -> bool:
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return actual.startswith(pattern[:-1])
    return actual == pattern


@dataclass(frozen=True)
class EndpointRule:
    """What an endpoint subscribed to, in a form cheap to test against every new event."""

    endpoint_id: str
    active: bool
    event_types: tuple[str, ...]
    departments: frozenset[str]
    orders: frozenset[str]
    significant_only: bool

    def matches(
        self, event_type: str, subject: str | None, department: str | None, data: Mapping[str, Any]
    ) -> bool:
        if not any(type_matches(event_type, p) for p in self.event_types):
            return False
        if self.departments and department not in self.departments:
            return False
        if self.orders and subject not in self.orders:
            return False
        return not (self.significant_only and event_type in REVISION_TYPES and not data.get("significant"))


def parse_schedule(text: str) -> tuple[timedelta, ...]:
    """``5s,5m,30m,2h`` as delays; ValueError saying what is allowed when it is not that."""
    allowed = (
        f"a comma-separated list of 1 to {SCHEDULE_MAX_STEPS} delays such as {DEFAULT_SCHEDULE}, "
        "each a whole number with s, m, h or d, from 1s to 7d"
    )
    steps: list[timedelta] = []
    for raw in text.split(","):
        item = raw.strip().lower()
        unit = SCHEDULE_UNITS.get(item[-1:]) if item else None
        if unit is None or not item[:-1].isdigit():
            raise ValueError(f"{raw.strip()!r} is not a delay; the retry schedule is {allowed}")
        step = timedelta(seconds=int(item[:-1]) * unit)
        if not SCHEDULE_STEP_LIMITS[0] <= step <= SCHEDULE_STEP_LIMITS[1]:
            raise ValueError(f"{raw.strip()!r} is out of range; the retry schedule is {allowed}")
        steps.append(step)
    if len(steps) > SCHEDULE_MAX_STEPS:
        raise ValueError(f"{len(steps)} steps are too many; the retry schedule is {allowed}")
    return tuple(steps)


def retry_delay(
    attempts_made: int,
    rng: random.Random,
    retry_after: timedelta | None = None,
    schedule: tuple[timedelta, ...] = RETRY_DELAYS,
) -> timedelta | None:
    """The wait before the next attempt, or None when every retry has been spent.

    ``attempts_made`` counts the failed attempts so far, the first included. A receiver's
    Retry-After replaces the scheduled delay (within sane bounds) but adds no attempt.
    """
    if attempts_made < 1 or attempts_made > len(schedule):
        return None
    if retry_after is not None:
        return min(max(retry_after, RETRY_AFTER_MIN), RETRY_AFTER_MAX)
    base = schedule[attempts_made - 1]
    return base * rng.uniform(1 - JITTER, 1 + JITTER)


def probe_delay(
    failing_since: datetime,
    now: datetime,
    schedule: tuple[timedelta, ...] = RETRY_DELAYS,
    *,
    interval: timedelta = PROBE_INTERVAL,
    retry_after: timedelta | None = None,
) -> timedelta:
    """How long after a failed attempt a failing endpoint is probed again.

    ``interval`` for the first hour of the outage; then the schedule's step in force for an
    outage of that age: the step a delivery that failed when the outage began would be waiting
    out now (the last step once the schedule has run out). A receiver's Retry-After, within the
    usual bounds, is honoured when it asks for longer.
    """
    age = now - failing_since
    delay = interval
    if age >= SHORT_PROBES_FOR:
        elapsed = timedelta(0)
        delay = schedule[-1]
        for step in schedule:
            elapsed += step
            if elapsed > age:
                delay = max(step, interval)
                break
    if retry_after is not None:
        delay = max(delay, min(max(retry_after, RETRY_AFTER_MIN), RETRY_AFTER_MAX))
    return delay


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as seconds or as an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(moment - now, timedelta(0))


def should_disable(failing_since: datetime | None, now: datetime, after: timedelta) -> bool:
    """An endpoint that has failed without a single success for this long is switched off."""
    return failing_since is not None and now - failing_since >= after


# --- where requests may go --------------------------------------------------------------------------

METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)


#: IPv6 prefixes that carry an IPv4 address inside: a relay or translator forwards to that address,
#: so they are judged by the address they carry (RFC 3056, RFC 6052, RFC 4291).
SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
#: Tunnels and translators whose far end cannot be judged from the address: refused whole.
TEREDO = ipaddress.IPv6Network("2001::/32")
NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address stands for, with the name of the form, if it is one."""
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.ipv4_mapped is not None:
        return "an IPv4-mapped address", address.ipv4_mapped
    if address.sixtofour is not None:
        return "a 6to4 address", address.sixtofour
    if address in NAT64:
        return "a NAT64 address", low32
    if address in IPV4_TRANSLATED:
        return "an IPv4-translated address", low32
    if address in IPV4_COMPATIBLE and int(address) > 1:  # :: and ::1 are judged as themselves
        return "an IPv4-compatible address", low32
    return None


def address_refusal(raw: str) -> str | None:
    """Why a webhook may not be sent to this address, or None when it is a public address."""
    address = ipaddress.ip_address(raw.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        if address in TEREDO:
            return "a Teredo tunnel address, which may lead to any IPv4 address"
        if address in NAT64_LOCAL:
            return "a local-use NAT64 address, which leads into a private network"
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            form, ipv4 = embedded
            why = _plain_refusal(ipv4)
            if why is not None:
                return f"{form} for {ipv4}, {why}"
            if address.ipv4_mapped is not None or address in SIX_TO_FOUR or address in NAT64:
                return None  # the public IPv4 address it stands for decides
    return _plain_refusal(address)


def _plain_refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "not a public address"),
    )
    for refused, why in checks:
        if refused:
            return why
    return None


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int


def check_target_url(url: str) -> Target:
    """The URL's shape: http or https, a host, no credentials. Where it resolves is checked apart."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"the URL is not valid: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"the URL must start with http:// or https://, not {parts.scheme or 'nothing'}")
    if not parts.hostname:
        raise ValueError("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise ValueError("the URL may not carry a user name or password; the signature authenticates us")
    if parts.fragment:
        raise ValueError("the URL may not have a #fragment")
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80))
