from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from app.deps import ContextDep
from app.migrate import pending_heads
from app.observability import metrics_exposition

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Not ready"}})
def readyz(ctx: ContextDep) -> JSONResponse:
    """Readiness: the database answers, its schema is current and the background workers run."""
    checks: dict[str, Any] = {}
    try:
        with ctx.db.read_engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
        pending = pending_heads(ctx.db.read_engine)
        checks["migrations"] = "ok" if not pending else f"pending: {', '.join(sorted(pending))}"
    except Exception as exc:  # any failure to reach the database means "not ready", never a 500
        checks["database"] = f"unreachable: {type(exc).__name__}"
    for name, component in ctx.components.items():
        alive = getattr(component, "alive", None)
        if callable(alive):
            checks[name] = "ok" if alive() else "stopped"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status_code=200 if ready else 503
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "description": "Prometheus text exposition format",
            "content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}},
        }
    },
)
def metrics() -> Response:
    """Prometheus metrics."""
    return Response(metrics_exposition(), media_type=CONTENT_TYPE_LATEST)
