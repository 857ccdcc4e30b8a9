"""What makes a Standard Webhooks signing secret (``whsec_`` and base64 of 24 to 64 random bytes)."""

from __future__ import annotations

import base64
import binascii

PREFIX = "whsec_"
MIN_SECRET_BYTES, MAX_SECRET_BYTES = 24, 64
_B64 = "[A-Za-z0-9+/]"
#: The same rule as secret_problem, for the OpenAPI document: base64 of 24 to 64 bytes.
SECRET_PATTERN = (
    f"^whsec_(?:(?:{_B64}{{4}}){{8,20}}(?:{_B64}{{2}}==|{_B64}{{3}}=)?"
    f"|(?:{_B64}{{4}}){{21}}(?:{_B64}{{2}}==)?)$"
)


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
