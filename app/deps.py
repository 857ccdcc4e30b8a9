"""Annotated dependencies: the context, a read session, the caller and role guards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.context import AppContext
from app.domain.access import Principal, require_role
from app.domain.errors import Unauthorized
from app.events.broker import Broker
from app.events.fanout import BROKER
from app.services.keys import authenticate

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
        raise Unauthorized("an API key is required: send Authorization: Bearer <key>")
    with ctx.db.read_session() as session:
        principal = authenticate(session, credentials.credentials, ctx.clock.now())
    request.state.principal = principal
    return principal


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
