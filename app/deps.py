"""Annotated dependencies: the context, a read session, the caller and role guards."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any, cast

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.requests import HTTPConnection

from app.context import AppContext
from app.domain.access import Principal, require_role
from app.domain.errors import Unauthorized
from app.events.broker import Broker
from app.events.fanout import BROKER
from app.services.keys import authenticate, principal_for_key

SAFE_METHODS = frozenset({"GET", "HEAD"})
#: Where the desk's session (app/desk/session.py) keeps the id of the key that signed in.
SESSION_KEY_ID = "key_id"

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
    if ctx.db.is_sqlite:
        # An indexed lookup in a local file costs less than handing it to a worker thread.
        principal = _resolve_principal(request, ctx, credentials)
    else:
        principal = await run_in_threadpool(_resolve_principal, request, ctx, credentials)
    request.state.principal = principal
    return principal


def _resolve_principal(
    request: Request, ctx: AppContext, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        return _desk_principal(request, ctx)
    return authenticate(ctx.db, credentials.credentials, ctx.clock.now())


def _desk_principal(request: Request, ctx: AppContext) -> Principal:
    """The desk's signed-in agent, for reads only.

    A browser's EventSource cannot send an Authorization header, so reads may ride on the desk's
    session cookie. Writes never do: a cookie travels with any request a browser makes, so a write
    needs the Bearer key, or a desk form with its CSRF token.
    """
    key_id = signed_in_key(request) if request.method in SAFE_METHODS else None
    if key_id is None:
        raise Unauthorized("an API key is required: send Authorization: Bearer <key>")
    with ctx.db.read_session() as session:
        return principal_for_key(session, key_id, ctx.clock.now())


def session_of(connection: HTTPConnection) -> dict[str, Any]:
    """The desk's cookie session, decoded by its middleware (empty without one)."""
    session: dict[str, Any] = connection.scope.get("session", {})
    return session


def signed_in_key(connection: HTTPConnection) -> str | None:
    value = session_of(connection).get(SESSION_KEY_ID)
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


def get_broker(ctx: ContextDep) -> Broker:
    return cast(Broker, ctx.components[BROKER])


BrokerDep = Annotated[Broker, Depends(get_broker)]
