"""The desk's session: a signed, http-only cookie holding which key signed in, and a CSRF token.

The cookie never holds the API key itself, only its id; every request checks the key again, so a
revoked key signs its desk sessions out at once.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any

from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from app.deps import BENCH_KEY_ID, SESSION_KEY_ID, session_of
from app.domain.errors import Forbidden

COOKIE = "nextdesk_desk"
#: A shift, give or take: after this the agent signs in again.
MAX_AGE_SECONDS = 12 * 3600
CSRF = "csrf"
#: What a sign-in or sign-out keeps of the session: the language, and the other page's sign-in.
_KEPT = ("lang", SESSION_KEY_ID, BENCH_KEY_ID)


class DeskSessionMiddleware:
    """Starlette's SessionMiddleware, built on the first request: the secret comes from the
    database, which is only known to be migrated once the app has started."""

    def __init__(self, app: ASGIApp, secret: Callable[[], str | None], *, https_only: bool) -> None:
        self.app = app
        self.secret = secret
        self.https_only = https_only
        self._inner: SessionMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if self._inner is None:
            secret = self.secret()
            if secret is None:
                raise RuntimeError("the desk's session secret is not loaded; the app has not started")
            self._inner = SessionMiddleware(
                self.app,
                secret_key=secret,
                session_cookie=COOKIE,
                max_age=MAX_AGE_SECONDS,
                same_site="lax",
                https_only=self.https_only,
            )
        await self._inner(scope, receive, send)


def csrf_token(connection: HTTPConnection) -> str:
    session = session_of(connection)
    token = session.get(CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF] = token
    return token


class CsrfRejected(Forbidden, suffix="csrf"): ...


def check_csrf(connection: HTTPConnection, submitted: str | None) -> None:
    expected = session_of(connection).get(CSRF)
    if not isinstance(expected, str) or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfRejected(
            "the form's security token is missing or stale (the page may be old, or another site sent it); "
            "reload the page and submit again"
        )


def _keep_only(session: dict[str, Any], names: tuple[str, ...]) -> None:
    kept = {name: session[name] for name in names if isinstance(session.get(name), str)}
    session.clear()
    session.update(kept)


def sign_in(connection: HTTPConnection, key_id: str, slot: str = SESSION_KEY_ID) -> None:
    session = session_of(connection)
    # A fresh session on sign-in: nothing from before (a planted session, say) carries over but
    # the language and the other page's sign-in; the CSRF token is new.
    _keep_only(session, _KEPT)
    session[slot] = key_id
    session[CSRF] = secrets.token_urlsafe(32)


def sign_out(connection: HTTPConnection, slot: str = SESSION_KEY_ID) -> None:
    _keep_only(session_of(connection), tuple(name for name in _KEPT if name != slot))
