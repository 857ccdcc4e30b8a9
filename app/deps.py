"""Annotated dependencies: the context, a read session, the caller, role guards and the
idempotent write."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, cast

import orjson
from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlmodel import Session
from starlette.requests import HTTPConnection

from app.context import AppContext
from app.domain.access import Principal, require_role
from app.domain.errors import Unauthorized
from app.events.broker import Broker
from app.events.fanout import BROKER
from app.services.idempotency import (
    KEY_PATTERN,
    AnswerAtCommit,
    Replayable,
    fingerprint,
    idempotent,
    validate_key,
)
from app.services.keys import known_keys, principal_for_key

SAFE_METHODS = frozenset({"GET", "HEAD"})
#: Where the desk's session (app/desk/session.py) keeps the id of the key that signed in.
SESSION_KEY_ID = "key_id"
#: The workbench signs its technician in in a slot of its own: a browser may hold both sign-ins.
BENCH_KEY_ID = "bench_key_id"

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ndk_...`")


# Dependencies that do no I/O are async: FastAPI runs plain ``def`` dependencies in a worker
# thread, and each hop costs more than their whole body.
async def get_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


ContextDep = Annotated[AppContext, Depends(get_context)]


def get_session(ctx: ContextDep) -> Iterator[Session]:
    """A read-only session: writes go through the writer, never through this."""
    with ctx.db.read_session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def get_principal(request: Request, credentials: Credentials) -> Principal:
    return await _principal(request, credentials)


async def _principal(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    ctx: AppContext = request.app.state.ctx
    secret = _bearer_secret(credentials)
    principal = None if secret is None else known_keys(ctx).recent(secret, ctx.clock.now())
    if principal is None:
        if ctx.db.is_sqlite:
            # An indexed lookup in a local file costs less than handing it to a worker thread.
            principal = _resolve_principal(request, ctx, secret)
        else:
            principal = await run_in_threadpool(_resolve_principal, request, ctx, secret)
    request.state.principal = principal
    return principal


def _bearer_secret(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        return None
    return credentials.credentials


def _resolve_principal(request: Request, ctx: AppContext, secret: str | None) -> Principal:
    if secret is None:
        return _desk_principal(request, ctx)
    return known_keys(ctx).read(ctx.db, secret, ctx.clock.now())


def _desk_principal(request: Request, ctx: AppContext) -> Principal:
    """The desk's signed-in agent, for reads only.

    A browser's EventSource cannot send an Authorization header, so reads may ride on the desk's
    session cookie. Writes never do: a cookie travels with any request a browser makes, so a write
    needs the Bearer key, or a desk form with its CSRF token.
    """
    key_id = None
    if request.method in SAFE_METHODS:
        # The desk's agent or the workbench's technician, whichever this browser signed in.
        key_id = signed_in_key(request) or signed_in_key(request, BENCH_KEY_ID)
    if key_id is None:
        raise Unauthorized("an API key is required: send Authorization: Bearer <key>")
    with ctx.db.read_session() as session:
        return principal_for_key(session, key_id, ctx.clock.now())


def session_of(connection: HTTPConnection) -> dict[str, Any]:
    """The desk's cookie session, decoded by its middleware (empty without one)."""
    session: dict[str, Any] = connection.scope.get("session", {})
    return session


def signed_in_key(connection: HTTPConnection, slot: str = SESSION_KEY_ID) -> str | None:
    value = session_of(connection).get(slot)
    return value if isinstance(value, str) else None


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(*roles: str) -> Callable[[Request, Credentials], Coroutine[Any, Any, Principal]]:
    # The guard resolves the caller itself rather than depending on get_principal: each level
    # of dependencies costs the framework a walk on every request.
    async def guard(request: Request, credentials: Credentials) -> Principal:
        principal = await _principal(request, credentials)
        require_role(principal, *roles)
        return principal

    return guard


AnyRole = PrincipalDep
AdminDep = Annotated[Principal, Depends(require())]
AgentDep = Annotated[Principal, Depends(require("agent"))]
OrderWriterDep = Annotated[Principal, Depends(require("agent", "integration"))]
StageWriterDep = Annotated[Principal, Depends(require("technician", "integration"))]
TechnicianDep = Annotated[Principal, Depends(require("technician"))]


async def get_broker(ctx: ContextDep) -> Broker:
    return cast(Broker, ctx.components[BROKER])


BrokerDep = Annotated[Broker, Depends(get_broker)]


#: The Idempotency-Key header as every write that honours it declares it.
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A retry with the same key gets the first answer; the same key with another body: 422",
        # Stated here, checked by validate_key so the answer can say what a key may be.
        json_schema_extra={"pattern": KEY_PATTERN},
    ),
]


class FastJSONResponse(JSONResponse):
    """The same JSON as Starlette's, encoded by orjson: write answers are rendered on the hot path."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def etag_for(version: int) -> str:
    return f'"{version}"'


def replay_response(result: Replayable, applied: str | None = None) -> JSONResponse:
    headers = {}
    if applied is not None:
        headers["Preference-Applied"] = applied
    version = result.body.get("version")
    if isinstance(version, int):
        headers["ETag"] = etag_for(version)
    if result.replayed:
        headers["Idempotency-Replayed"] = "true"
    return FastJSONResponse(result.body, status_code=result.status_code, headers=headers)


@dataclass(frozen=True)
class IdempotentWrite:
    """A write through the writer that honours ``Idempotency-Key``: a retry gets the first
    answer, a reused key with another body a 422. ``now`` is the request's one moment."""

    request: Request
    ctx: AppContext
    raw_key: str | None
    now: datetime

    async def __call__(
        self,
        principal: Principal,
        status_code: int,
        use_case: Callable[[Session], BaseModel | AnswerAtCommit],
        applied: str | None = None,
    ) -> JSONResponse:
        """``applied`` is the preference the answer honours, said back in ``Preference-Applied``."""
        # The key is checked here, not when the request is parsed: a bad body is told first.
        key = None if self.raw_key is None else validate_key(self.raw_key)
        body = await self.request.body()
        if applied is not None:
            # A preference that shapes the answer is part of the request: a retry gets the same shape.
            body += b"\0" + applied.encode()
        request_fingerprint = fingerprint(self.request.method, self.request.url.path, body)
        wrapped = idempotent(principal.actor, key, request_fingerprint, status_code, self.now, use_case)
        return replay_response(await self.ctx.writer.run(wrapped), applied)


async def idempotent_write(
    request: Request, ctx: ContextDep, idempotency: IdempotencyKeyHeader = None
) -> IdempotentWrite:
    return IdempotentWrite(request, ctx, idempotency, ctx.clock.now())


IdempotentWriteDep = Annotated[IdempotentWrite, Depends(idempotent_write)]
