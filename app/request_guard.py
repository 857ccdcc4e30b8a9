"""Checks every request passes before any route sees it: a body size limit and no NUL characters.

Pure ASGI middleware (BaseHTTPMiddleware breaks contextvars and streaming). A body announced
larger than the limit is refused before a byte of it is read; a body sent without a length
(chunked) is counted as it arrives and refused as soon as it passes the limit, so no route, the
unauthenticated inbound webhook included, ever reads, parses or verifies more than the limit.

NUL (U+0000) can be stored by neither database's text columns in the same way (PostgreSQL
refuses it outright), so no text the API takes may carry it: in the path, the query or the body
(raw, or as the JSON escape ``\\u0000``). The OpenAPI document says so on every string.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.problems import problem

NUL_RULE = "text may not contain the NUL character (U+0000)"
# A JSON escape for U+0000 is "\u0000" preceded by an even number of other backslashes.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class RequestRefused(HTTPException):
    """A 4xx raised while the body is read; rendered as a problem by the app's HTTP handler."""

    def __init__(self, status_code: int, detail: str, *, type_suffix: str, errors: list[dict[str, Any]]):
        super().__init__(status_code, detail)
        self.type_suffix = type_suffix
        self.errors = errors


def too_large(limit: int, setting: str = "NEXTDESK_MAX_BODY_BYTES") -> RequestRefused:
    return RequestRefused(
        413,
        f"the request body is larger than {limit} bytes, the most this service reads ({setting}); send less",
        type_suffix="too-large",
        errors=[{"loc": ["body"], "msg": f"at most {limit} bytes", "type": "too_large"}],
    )


def nul_refused(where: str) -> RequestRefused:
    return RequestRefused(
        422,
        f"{where}: {NUL_RULE}",
        type_suffix="validation",
        errors=[{"loc": [where], "msg": NUL_RULE, "type": "string_pattern_mismatch"}],
    )


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RequestGuard:
    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, path_limits: dict[str, tuple[int, str]] | None = None
    ) -> None:
        self.app = app
        self.limit = max_body_bytes
        #: Paths that read more than the general limit (a CSV import): path -> (bytes, setting).
        self.path_limits = path_limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused: RequestRefused | None = None
        if "\x00" in scope["path"]:
            refused = nul_refused("path")
        elif b"%00" in scope.get("query_string", b""):
            refused = nul_refused("query")
        limit, setting = self.path_limits.get(scope["path"], (self.limit, "NEXTDESK_MAX_BODY_BYTES"))
        if refused is None:
            declared = _declared_length(scope)
            if declared is not None and declared > limit:
                refused = too_large(limit, setting)
        if refused is not None:
            await _answer(refused, scope, receive, send)
            return
        await self.app(scope, self._counting(receive, limit, setting), send)

    def _counting(self, receive: Receive, limit: int, setting: str) -> Receive:
        seen = 0
        suspect = False
        chunks: list[bytes] = []

        async def counted() -> Message:
            nonlocal seen, suspect
            message = await receive()
            if message["type"] != "http.request":
                return message
            chunk: bytes = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                raise too_large(limit, setting)
            if b"\x00" in chunk:
                raise nul_refused("body")
            chunks.append(chunk)
            # Cheap test per chunk; the exact one (escapes, chunk edges) only when it might matter.
            edge = chunks[-2][-6:] + chunk[:6] if len(chunks) > 1 else b""
            suspect = suspect or b"u0000" in chunk or b"u0000" in edge
            if not message.get("more_body", False) and suspect and _JSON_NUL.search(b"".join(chunks)):
                raise nul_refused("body")
            return message

        return counted


async def _answer(refused: RequestRefused, scope: Scope, receive: Receive, send: Send) -> None:
    response = problem(
        refused.status_code,
        str(refused.detail),
        type_suffix=refused.type_suffix,
        title="Invalid request" if refused.status_code == 422 else None,
        instance=scope["path"].replace("\x00", "\\u0000"),
        errors=refused.errors,
        headers={"Connection": "close"} if refused.status_code == 413 else None,
    )
    await response(scope, receive, send)
