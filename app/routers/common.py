from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from app.context import AppContext
from app.domain.paging import CURSOR_PATTERN
from app.models.common import Problem

T = TypeVar("T")

CursorQuery = Annotated[
    str | None,
    Query(description="`next_cursor` of the previous page", json_schema_extra={"pattern": CURSOR_PATTERN}),
]
PageSizeQuery = Annotated[int, Query(ge=1, le=200)]


@dataclass(frozen=True, slots=True)
class PageAsked:
    limit: int
    cursor: str | None


async def page_asked(limit: PageSizeQuery = 50, cursor: CursorQuery = None) -> PageAsked:
    # Dependencies that do no I/O are coroutines: FastAPI runs a plain function in its thread
    # pool, a hop per request (two for a list, with its filters) that outweighed the work.
    return PageAsked(limit, cursor)


#: A list's page size and cursor, declared after the list's filters (parameters keep that order).
PageDep = Annotated[PageAsked, Depends(page_asked)]


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses a route can give."""
    descriptions = {
        401: "No valid API key",
        403: "The key lacks the role or department needed",
        404: "Not found",
        409: "Conflicts with the current state",
        412: "The version given is stale",
        422: "The request is invalid",
        428: "If-Match is required",
    }
    return {
        code: {
            "model": Problem,
            "description": descriptions.get(code, ""),
            "content": {"application/problem+json": {}},
        }
        for code in (401, *codes)
    }


async def read_quickly(ctx: AppContext, use_case: Callable[[Session], T]) -> T:
    """A short read by key: inline on SQLite, in a worker thread on PostgreSQL.

    An indexed read of a local file costs less than the hop to a worker thread and back; a
    read that waits on the network must not hold up the event loop. Only for reads that touch
    a handful of rows: searches and lists stay in the thread pool whatever the database.
    """
    if ctx.db.is_sqlite:
        return _read(ctx, use_case)
    return await run_in_threadpool(_read, ctx, use_case)


async def read_in_worker(ctx: AppContext, use_case: Callable[[Session], T]) -> T:
    """A read that may scan (a short text search): a worker thread, whatever the database, so
    the event loop keeps serving while SQLite works (it lets go of the GIL meanwhile)."""
    return await run_in_threadpool(_read, ctx, use_case)


async def write_at_now(ctx: AppContext, use_case: Callable[[Session, datetime], T]) -> T:
    """Run a write through the writer at the clock's time, read before it waits its turn."""
    now = ctx.clock.now()
    return await ctx.writer.run(lambda session: use_case(session, now))


def _read(ctx: AppContext, use_case: Callable[[Session], T]) -> T:
    with ctx.db.read_session() as session:
        return use_case(session)


def prefers(request: Request, name: str, value: str) -> bool:
    """Whether the request's ``Prefer`` headers (RFC 7240) ask for ``name=value``."""
    for header in request.headers.getlist("prefer"):
        for preference in header.split(","):
            token, _, given = preference.split(";", 1)[0].partition("=")
            if token.strip().lower() == name and given.strip().strip('"').lower() == value:
                return True
    return False
