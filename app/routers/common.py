from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from app.context import AppContext
from app.domain.access import Principal
from app.models.common import Problem
from app.services.idempotency import Replayable, fingerprint, idempotent, validate_key


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


def etag_for(version: int) -> str:
    return f'"{version}"'


async def request_fingerprint(request: Request) -> str:
    return fingerprint(request.method, request.url.path, await request.body())


def idempotency_key(raw: str | None) -> str | None:
    return None if raw is None else validate_key(raw)


def replay_response(result: Replayable) -> JSONResponse:
    headers = {}
    version = result.body.get("version")
    if isinstance(version, int):
        headers["ETag"] = etag_for(version)
    if result.replayed:
        headers["Idempotency-Replayed"] = "true"
    return JSONResponse(result.body, status_code=result.status_code, headers=headers)


async def write_idempotently(
    request: Request,
    ctx: AppContext,
    principal: Principal,
    raw_key: str | None,
    status_code: int,
    now: datetime,
    use_case: Callable[[Session], BaseModel],
) -> JSONResponse:
    """Run a use case through the writer, honouring ``Idempotency-Key``: a retry gets the first
    answer, a reused key with another body a 422."""
    wrapped = idempotent(
        principal.actor,
        idempotency_key(raw_key),
        await request_fingerprint(request),
        status_code,
        now,
        use_case,
    )
    return replay_response(await ctx.writer.run(wrapped))
