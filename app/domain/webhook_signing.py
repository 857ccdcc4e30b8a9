"""Standard Webhooks signing, both ways: ``whsec_`` secrets (made and checked), ``v1,<base64
HMAC-SHA256>`` signatures for outbound webhooks, and their verification on inbound ones.

The ``standardwebhooks`` package signs and decodes secrets; the timestamp tolerance is checked
here against the service's own clock, because the package's ``verify`` reads the wall clock
(and tests, the simulator and replays all run on an injected clock).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from standardwebhooks.webhooks import Webhook

from app.domain.errors import Unauthorized

PREFIX = "whsec_"
MIN_SECRET_BYTES, MAX_SECRET_BYTES = 24, 64
_B64 = "[A-Za-z0-9+/]"
#: The same rule as secret_problem, for the OpenAPI document: base64 of 24 to 64 bytes.
SECRET_PATTERN = (
    f"^whsec_(?:(?:{_B64}{{4}}){{8,20}}(?:{_B64}{{2}}==|{_B64}{{3}}=)?"
    f"|(?:{_B64}{{4}}){{21}}(?:{_B64}{{2}}==)?)$"
)
TOLERANCE = timedelta(minutes=5)
SECRET_BYTES = 32


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


class RotatingSecret(Protocol):
    """What holds a secret that is rotated with an overlap: a webhook endpoint, an integration."""

    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None


def rotate(holder: RotatingSecret, secret: str, overlap: timedelta, now: datetime) -> None:
    """``secret`` signs from now on; the one it replaces stays valid for ``overlap`` (none: at once
    invalid), so that the other side can change its copy without losing a message."""
    holder.previous_secret = holder.secret if overlap > timedelta(0) else None
    holder.previous_secret_expires_at = now + overlap if overlap > timedelta(0) else None
    holder.secret = secret


class SecretsHeld(Protocol):
    """The same, read only: what signs or verifies needs no more."""

    @property
    def secret(self) -> str: ...
    @property
    def previous_secret(self) -> str | None: ...
    @property
    def previous_secret_expires_at(self) -> datetime | None: ...


def secrets_in_use(holder: SecretsHeld, now: datetime) -> tuple[str, ...]:
    """The current secret, and the previous one while a rotation's overlap lasts."""
    previous, until = holder.previous_secret, holder.previous_secret_expires_at
    if previous and until is not None and until > now:
        return (holder.secret, previous)
    return (holder.secret,)


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` cannot serve as a signing secret, or None when it can."""
    if not secret.startswith(PREFIX):
        return f"a signing secret starts with '{PREFIX}', followed by base64"
    try:
        raw = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return f"the part after '{PREFIX}' must be base64"
    if not MIN_SECRET_BYTES <= len(raw) <= MAX_SECRET_BYTES:
        return f"the secret must hold {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} random bytes, not {len(raw)}"
    return None


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value for one message: ``v1,<base64>``."""
    return Webhook(secret).sign(msg_id, datetime.fromtimestamp(timestamp, UTC), body.decode())


def signature_headers(
    webhook_id: str, body: bytes, signing_secrets: Iterable[str], signed_at: datetime
) -> dict[str, str]:
    """The Standard Webhooks headers for these exact body bytes; one signature per secret (two
    while a rotation overlaps, so the receiver may hold either)."""
    timestamp = int(signed_at.timestamp())
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            sign(secret, webhook_id, timestamp, body) for secret in signing_secrets
        ),
    }


def _signatures(header: str) -> list[bytes]:
    found = []
    for item in header.split():
        version, _, value = item.partition(",")
        if version != "v1" or not value:
            continue
        try:
            found.append(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def verify(
    secrets_: Sequence[str],
    body: bytes,
    *,
    msg_id: str | None,
    timestamp: str | None,
    signature: str | None,
    now: datetime,
) -> None:
    """Accept the message only if one of ``secrets_`` signed exactly these bytes, recently."""
    if not (msg_id and timestamp and signature):
        raise Unauthorized(
            "signed requests need the headers webhook-id, webhook-timestamp and webhook-signature "
            "(Standard Webhooks)"
        )
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise Unauthorized(f"webhook-timestamp '{timestamp[:20]}' is not a time in Unix seconds")
    sent = int(timestamp)
    off = abs(now.timestamp() - sent)
    if off > TOLERANCE.total_seconds():
        raise Unauthorized(
            f"webhook-timestamp {sent} is {int(off // 60)} minutes away from the server's time "
            f"{int(now.timestamp())}; at most {int(TOLERANCE.total_seconds() // 60)} minutes are accepted"
        )
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise Unauthorized("the body is not UTF-8 text, so its signature cannot match") from None
    offered = _signatures(signature)
    for secret in secrets_:
        expected = base64.b64decode(sign(secret, msg_id, sent, text.encode()).partition(",")[2])
        if any(hmac.compare_digest(expected, candidate) for candidate in offered):
            return
    raise Unauthorized(
        "webhook-signature does not match: sign '<webhook-id>.<webhook-timestamp>.<raw body>' with "
        "the integration's secret (HMAC-SHA256) and send 'v1,<base64>'"
    )
