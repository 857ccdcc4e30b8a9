"""RFC 9457 problem details for every error, so no client ever has to parse a bare 500."""

from __future__ import annotations

import logging
import sqlite3
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.domain.errors import DomainError

log = logging.getLogger("nextdesk.errors")
MEDIA_TYPE = "application/problem+json"


def problem(
    status: int,
    detail: str,
    *,
    type_suffix: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": f"/problems/{type_suffix}" if type_suffix else "about:blank",
        "title": title or phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


#: What SQLite says when it is busy or cannot reach its file; anything else is a refused statement.
_SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "readonly", "database or disk is full")


def database_unavailable(exc: OperationalError) -> bool:
    """Whether the database could not be reached or was busy, as opposed to refusing a statement."""
    if exc.connection_invalidated:
        return True
    if isinstance(exc.orig, sqlite3.OperationalError):
        message = str(exc.orig).lower()
        return any(part in message for part in _SQLITE_UNAVAILABLE)
    # psycopg maps connection failures, shutdowns, lock timeouts and exhausted resources here;
    # a statement the server refuses for its text raises ProgrammingError or DataError instead.
    return True


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path (the framework names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _clean_errors(errors: Any) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        item = {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type", "")}
        cleaned.append(item)
    return cleaned


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return problem(
            exc.status_code,
            exc.detail,
            type_suffix=exc.type_suffix,
            title=exc.title,
            instance=request.url.path,
            headers=headers,
            **exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _clean_errors(exc.errors())
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        detail = f"{where}: {first['msg']}" if where else str(first["msg"])
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        return problem(
            422,
            detail,
            type_suffix="validation",
            title="Invalid request",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        type_suffix = getattr(exc, "type_suffix", None)
        if isinstance(type_suffix, str):  # refused while the body was read (size, NUL)
            return problem(
                exc.status_code,
                str(exc.detail),
                type_suffix=type_suffix,
                title="Invalid request" if exc.status_code == 422 else None,
                instance=request.url.path,
                errors=getattr(exc, "errors", None),
            )
        if exc.status_code == 400 and exc.__cause__ is not None:
            # The framework's answer to a body it could not decode (not UTF-8, say): the same
            # 422 as any other body that is not the JSON the operation describes.
            return problem(
                422,
                "the body is not JSON text in UTF-8; send the JSON object the operation describes",
                type_suffix="validation",
                title="Invalid request",
                instance=request.url.path,
                errors=[{"loc": ["body"], "msg": "not JSON in UTF-8", "type": "json_invalid"}],
            )
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).description
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such resource: {request.method} {request.url.path}; the API lives under /v1"
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            detail = f"{request.method} is not allowed on {request.url.path}; allowed: {', '.join(allowed)}"
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        return problem(exc.status_code, detail, instance=request.url.path, headers=headers)

    @app.exception_handler(OperationalError)
    async def _database(request: Request, exc: OperationalError) -> JSONResponse:
        if not database_unavailable(exc):
            # A statement the database refused is our bug, not an outage: say so, never "retry".
            log.error("database refused a statement on %s %s", request.method, request.url.path, exc_info=exc)
            return problem(500, "an unexpected error occurred; it has been logged", instance=request.url.path)
        log.warning("database unavailable: %s", exc)
        return problem(
            503,
            "the database is unavailable or busy; nothing was changed, retry shortly",
            type_suffix="unavailable",
            instance=request.url.path,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "an unexpected error occurred; it has been logged", instance=request.url.path)
