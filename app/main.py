"""The app factory: routers, lifespan (writer and background workers), error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from app import problems
from app.clock import Clock, SystemClock
from app.config import Settings, get_settings
from app.context import AppContext
from app.db import Database
from app.routers import events, flows, health, orders, stages
from app.services.writer import Writer
from app.settings_view import ViewSettings
from app.sweeper import Sweeper

DESCRIPTION = """Follows each customer order through its back-office stages and pushes every
status change and revised estimate of time and cost to the front-line desk.

Every request but `/healthz`, `/readyz` and `/metrics` needs `Authorization: Bearer <api key>`.
Errors are RFC 9457 problem details."""


def _operation_id(route: APIRoute) -> str:
    # Stable ids keep the committed openapi/openapi.json diffing cleanly.
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    db = Database(settings)
    ctx = AppContext(
        settings=settings,
        db=db,
        writer=Writer(db, max_batch=settings.writer_max_batch),
        clock=clock or SystemClock(),
        view=ViewSettings.from_settings(settings),
    )

    # Built even when its loop is off, so tools and tests can sweep on demand (sweep_once).
    sweeper = Sweeper(ctx)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await ctx.writer.start()
        if settings.sweeper_enabled:
            await sweeper.start()
            ctx.components["sweeper"] = sweeper
        try:
            yield
        finally:
            await sweeper.stop()
            ctx.components.pop("sweeper", None)
            await ctx.writer.stop()
            db.dispose()

    app = FastAPI(
        title="nextdesk",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.ctx = ctx
    app.state.sweeper = sweeper
    problems.install(app)
    for module in (health, flows, orders, stages, events):
        app.include_router(module.router)
    return app
