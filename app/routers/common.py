from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from app.context import AppContext
from app.domain.access import Principal
from app.models.common import Problem
from app.services.idempotency import (
    KEY_PATTERN,
    AnswerAtCommit,
    Replayable,
    fingerprint,
    idempotent,
    validate_key,
)

T = TypeVar("T")

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


class FastJSONResponse(JSONResponse):
    """The same JSON as Starlette's, encoded by orjson: write answers are rendered on the hot path."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


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


def _read(ctx: AppContext, use_case: Callable[[Session], T]) -> T:
    with ctx.db.read_session() as session:
        return use_case(session)


def etag_for(version: int) -> str:
    return f'"{version}"'


async def request_fingerprint(request: Request, preference: str | None = None) -> bytes:
    # A preference that shapes the answer is part of the request: a retry gets the same shape.
    body = await request.body()
    if preference is not None:
        body += b"\0" + preference.encode()
    return fingerprint(request.method, request.url.path, body)


def prefers(request: Request, name: str, value: str) -> bool:
    """Whether the request's ``Prefer`` headers (RFC 7240) ask for ``name=value``."""
    for header in request.headers.getlist("prefer"):
        for preference in header.split(","):
            token, _, given = preference.split(";", 1)[0].partition("=")
            if token.strip().lower() == name and given.strip().strip('"').lower() == value:
                return True
    return False


def idempotency_key(raw: str | None) -> str | None:
    return None if raw is None else validate_key(raw)


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


async def write_idempotently(
    request: Request,
    ctx: AppContext,
    principal: Principal,
    raw_key: str | None,
    status_code: int,
    now: datetime,
    use_case: Callable[[Session], BaseModel | AnswerAtCommit],
    applied: str | None = None,
) -> JSONResponse:
    """Run a use case through the writer, honouring ``Idempotency-Key``: a retry gets the first
    answer, a reused key with another body a 422. ``applied`` is the preference the answer honours
    (``Preference-Applied``)."""
    wrapped = idempotent(
        principal.actor,
        idempotency_key(raw_key),
        await request_fingerprint(request, applied),
        status_code,
        now,
        use_case,
    )
    return replay_response(await ctx.writer.run(wrapped), applied)
