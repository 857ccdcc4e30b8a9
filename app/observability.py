"""JSON logs with a request id, and Prometheus metrics for requests and the event log.

Written as pure ASGI middleware: BaseHTTPMiddleware breaks contextvars and streaming responses.
With several worker processes the metrics use prometheus_client's multiprocess mode, so that
/metrics adds up every worker's figures whichever worker answers it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

REQUESTS = Histogram(
    "nextdesk_request_seconds",
    "HTTP request latency by route template and status class",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
EVENTS_APPENDED = Counter("nextdesk_events_appended_total", "Events committed to the log", ["type"])
OVERDUE_LAPSES = Counter("nextdesk_overdue_lapses_total", "Stages that went silent past a deadline")
WRITER_BATCHES = Counter("nextdesk_writer_batches_total", "Transactions committed by the writer")
WRITER_JOBS = Counter("nextdesk_writer_jobs_total", "Use cases run by the writer")
WRITER_FINISH_SECONDS = Histogram(
    "nextdesk_writer_finish_seconds",
    "Per batch, from numbering its events to the end of COMMIT: how long the numbering lock is held",
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
)
PRUNED = Counter(
    "nextdesk_pruned_total",
    "Rows removed by retention: idempotency_records, webhook_deliveries, webhook_attempts, events",
    ["kind"],
)


# prometheus_client reads this when it is first imported: a process started with it set keeps
# its metrics in files of that folder instead of in its own memory.
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def shared_metrics(workers: int) -> Iterator[None]:
    """With more than one worker, a fresh folder for their metric files, set for the workers
    started inside the block and removed after it, so figures never carry over between runs.
    One worker keeps its metrics in memory, as without this block."""
    if workers < 2:
        yield
        return
    folder = tempfile.mkdtemp(prefix="nextdesk-metrics-")
    previous = os.environ.get(MULTIPROCESS_DIR)
    os.environ[MULTIPROCESS_DIR] = folder
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(MULTIPROCESS_DIR, None)
        else:
            os.environ[MULTIPROCESS_DIR] = previous
        shutil.rmtree(folder, ignore_errors=True)


def metrics_exposition() -> bytes:
    """The Prometheus text: this process's metrics, or every worker's added up when they share a folder."""
    folder = os.environ.get(MULTIPROCESS_DIR)
    if not folder:
        return generate_latest()
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]  # untyped upstream
    return generate_latest(registry)


def worker_exited() -> None:
    """Drop this worker's live gauges (open streams) from the shared figures; its counters stay,
    so totals never go backwards when a worker is replaced."""
    folder = os.environ.get(MULTIPROCESS_DIR)
    if folder:
        mark_process_dead(os.getpid(), folder)  # type: ignore[no-untyped-call]  # untyped upstream


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            payload["request_id"] = rid
        for key in ("method", "path", "status", "duration_ms", "route"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload)


def configure_logging(json_logs: bool, level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_logs:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("nextdesk")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


access_log = logging.getLogger("nextdesk.access")


def _route_template(scope: Scope) -> str:
    """The matched route's path template, so metrics do not grow one series per order."""
    route = scope.get("route")
    return str(getattr(route, "path", "unmatched"))


class RequestContext:
    """Gives every request an id (taken from X-Request-ID when sent), logs it and times it."""

    def __init__(self, app: ASGIApp, *, log_requests: bool = True) -> None:
        self.app = app
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id")
        rid = incoming.decode("latin-1")[:64] if incoming else secrets.token_hex(8)
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            REQUESTS.labels(scope["method"], route, f"{status // 100}xx").observe(elapsed)
            if self.log_requests:
                access_log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                        "route": route,
                    },
                )
            request_id.reset(token)
