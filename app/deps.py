"""Annotated dependencies: the context, a read session, the caller and role guards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.context import AppContext
from app.desk.session import signed_in_key
from app.domain.access import Principal, require_role
from app.domain.errors import Unauthorized
from app.events.broker import Broker
from app.events.fanout import BROKER
from app.services.keys import authenticate, principal_for_key

SAFE_METHODS = frozenset({"GET", "HEAD"})

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ndk_...`")


def get_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


ContextDep = Annotated[AppContext, Depends(get_context)]


def get_session(ctx: ContextDep) -> Iterator[Session]:
    """A read-only session: writes go through the writer, never through this."""
    with ctx.db.read_session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_principal(
    request: Request,
    ctx: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        principal = _desk_principal(request, ctx)
    else:
        with ctx.db.read_session() as session:
            principal = authenticate(session, credentials.credentials, ctx.clock.now())
    request.state.principal = principal
    return principal


def _desk_principal(request: Request, ctx: ContextDep) -> Principal:
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


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(*roles: str) -> Callable[[Principal], Principal]:
    def guard(principal: PrincipalDep) -> Principal:
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
