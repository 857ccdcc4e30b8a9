"""The app factory: routers, lifespan (writer and background workers), error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from app import problems
from app.bootstrap import ensure_session_secret
from app.clock import Clock, SystemClock
from app.config import Settings, get_settings
from app.context import AppContext
from app.db import Database
from app.desk import routes as desk
from app.desk.session import DeskSessionMiddleware
from app.events.dispatcher import Dispatcher
from app.events.fanout import Fanout
from app.observability import RequestContext, configure_logging, worker_exited
from app.openapi_rules import stated_openapi
from app.pruner import Pruner
from app.request_guard import RequestGuard
from app.routers import (
    calendars,
    customer_contact,
    events,
    flows,
    health,
    inbound,
    integrations,
    keys,
    order_csv,
    orders,
    queues,
    reports,
    requests,
    stages,
    stream,
    webhooks,
)
from app.settings_view import ViewSettings
from app.stop_signal import on_stop_signal
from app.sweeper import Sweeper
from app.tuning import quiet_garbage_collector, wal_checkpointer
from app.workbench import routes as workbench
from app.writer import Writer

DESCRIPTION = """Follows each customer order through its back-office stages and pushes every
status change and revised estimate of time and cost to the front-line desk.

Every request but `/healthz`, `/readyz` and `/metrics` needs `Authorization: Bearer <api key>`;
reads (GET) may instead ride on the desk's session cookie, so the desk page's EventSource works.
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
        writer=Writer(
            db,
            max_batch=settings.writer_max_batch,
            inline=settings.writer_inline,
        ),
        clock=clock or SystemClock(),
        view=ViewSettings.from_settings(settings),
    )

    fanout = Fanout(ctx)

    dispatcher: Dispatcher | None = None
    if settings.dispatcher_enabled:
        dispatcher = Dispatcher(
            writer=ctx.writer, db=db, clock=ctx.clock, settings=settings, source=ctx.view.source
        )
        ctx.components["dispatcher"] = dispatcher
        ctx.writer.on_commit(dispatcher.on_commit)

    # Built even when its loop is off, so tools and tests can sweep on demand (sweep_once).
    sweeper = Sweeper(ctx)
    # Likewise: `prune_once` serves tests and tools even when the background loop is off.
    pruner = Pruner(ctx)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.desk_secret = await run_in_threadpool(ensure_session_secret, db, settings, ctx.clock.now())
        checkpointer = wal_checkpointer(db.read_engine) if settings.sqlite_background_checkpoint else None
        if checkpointer is not None:
            checkpointer.start()
            ctx.components["checkpointer"] = checkpointer
        await fanout.start()
        await ctx.writer.start()
        ctx.components["writer"] = ctx.writer
        if dispatcher is not None:
            await dispatcher.start()
        if settings.sweeper_enabled:
            await sweeper.start()
            ctx.components["sweeper"] = sweeper
        if settings.pruner_enabled:
            await pruner.start()
            ctx.components["pruner"] = pruner
        if settings.gc_tuning:
            quiet_garbage_collector()
        try:
            with on_stop_signal(fanout.broker.close_all):
                yield
        finally:
            # Open streams end first (each told to reconnect), so shutdown never waits on them.
            await fanout.stop()
            await sweeper.stop()
            ctx.components.pop("sweeper", None)
            await pruner.stop()
            ctx.components.pop("pruner", None)
            # The dispatcher records its last attempts through the writer, so it stops before it.
            if dispatcher is not None:
                await dispatcher.stop()
            await ctx.writer.stop()
            if checkpointer is not None:
                checkpointer.stop()
            db.dispose()
            worker_exited()

    app = FastAPI(
        title="nextdesk",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.ctx = ctx
    # The served document states the rules every route enforces (see app/openapi_rules.py).
    app.openapi = lambda: stated_openapi(app)  # type: ignore[method-assign]
    configure_logging(settings.log_json, settings.log_level)
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_body_bytes,
        path_limits={"/v1/orders/import": (settings.import_max_bytes, "NEXTDESK_IMPORT_MAX_BYTES")},
    )
    app.add_middleware(RequestContext, log_requests=settings.log_requests)
    app.state.sweeper = sweeper
    app.state.pruner = pruner
    problems.install(app)
    for module in (
        health,
        flows,
        # Before orders: /v1/orders/export is no order's reference.
        order_csv,
        calendars,
        orders,
        stages,
        customer_contact,
        requests,
        queues,
        reports,
        events,
        stream,
        webhooks,
        keys,
        integrations,
        inbound,
    ):
        app.include_router(module.router)
    desk.install(app)
    workbench.install(app)
    app.add_middleware(
        DeskSessionMiddleware,
        secret=lambda: getattr(app.state, "desk_secret", None),
        https_only=settings.cookie_secure,
    )
    return app
