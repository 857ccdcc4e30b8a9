"""The baseline every figure is divided by: a bare FastAPI app, served with the service's flags.

- ``POST /echo`` validates a 5-field pydantic body and echoes it: the ceiling of one worker
  for a small JSON write.
- ``GET /stream`` and ``POST /publish``: the plainest SSE fan-out (a queue per subscriber,
  a StreamingResponse yielding bytes encoded once per event), the floor for propagation.
- ``POST /webhooks`` registers receiver URLs; every publish POSTs the event to each of them
  at once, with no outbox: the floor for webhook latency and rate.
- ``POST /blast`` sends ``count`` bodies of a stage event's size over the registered URLs in
  turn, ``per_hook`` in flight to each, and answers when all were answered: the floor for
  draining a webhook backlog (bench/drain.py).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

import httpx
import orjson
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field


class EchoBody(BaseModel):
    reference: str = Field(min_length=1, max_length=64)
    stage: str = Field(min_length=1, max_length=64)
    status: Literal["in_progress", "blocked", "done"]
    remaining_minutes: int = Field(ge=0, le=525_600)
    note: str | None = Field(default=None, max_length=1000)


class HookTarget(BaseModel):
    url: str


class Blast(BaseModel):
    count: int = Field(ge=1, le=10_000_000)
    per_hook: int = Field(default=8, ge=1, le=100)


#: About the size of a stage event's envelope (bench/drain.py makes the service's backlog of them).
BLAST_BODY = orjson.dumps(
    {
        "specversion": "1.0",
        "id": "1",
        "source": "/nextdesk",
        "type": "stage.blocked",
        "subject": "DR-1",
        "time": "2026-12-02T10:00:00Z",
        "datacontenttype": "application/json",
        "data": {"order": "DR-1", "stage": "assembly", "status": "blocked", "note": "x" * 300},
    }
)


def create_app() -> FastAPI:
    subscribers: set[asyncio.Queue[bytes]] = set()
    hooks: list[str] = []
    ids = itertools.count(1)
    pending: set[asyncio.Task[object]] = set()
    http: dict[str, httpx.AsyncClient] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        http["client"] = httpx.AsyncClient(timeout=10.0)
        try:
            yield
        finally:
            await http["client"].aclose()

    app = FastAPI(title="bench baseline", lifespan=lifespan)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/echo")
    async def echo(body: EchoBody) -> EchoBody:
        return body

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        subscribers.add(queue)

        async def frames() -> AsyncIterator[bytes]:
            try:
                yield b": connected\n\n"
                while True:
                    yield await queue.get()
            finally:
                subscribers.discard(queue)

        return StreamingResponse(frames(), media_type="text/event-stream")

    @app.post("/webhooks", status_code=201)
    async def add_hook(target: HookTarget) -> dict[str, int]:
        hooks.append(target.url)
        return {"endpoints": len(hooks)}

    @app.post("/blast")
    async def blast(body: Blast) -> dict[str, float]:
        # A client per receiver, as many connections as sends in flight to it: one shared pool
        # looks at every pooled connection on every request, and would measure that instead.
        limits = httpx.Limits(max_connections=body.per_hook, max_keepalive_connections=body.per_hook)
        clients = {url: httpx.AsyncClient(timeout=10.0, limits=limits) for url in hooks}
        numbers = itertools.count()
        started = time.perf_counter()

        async def lane(url: str, share: int) -> None:
            for _ in range(share):
                headers = {"webhook-id": str(next(numbers)), "content-type": "application/json"}
                await clients[url].post(url, content=BLAST_BODY, headers=headers)

        lanes = [(url, lane_no) for url in hooks for lane_no in range(body.per_hook)]
        shares = [
            body.count // len(lanes) + (1 if i < body.count % len(lanes) else 0) for i in range(len(lanes))
        ]
        try:
            await asyncio.gather(*(lane(url, share) for (url, _), share in zip(lanes, shares, strict=True)))
        finally:
            for client in clients.values():
                await client.aclose()
        return {"sent": body.count, "seconds": time.perf_counter() - started}

    @app.post("/publish")
    async def publish() -> dict[str, int]:
        event_id = next(ids)
        payload = orjson.dumps({"id": str(event_id), "type": "stage.blocked", "data": {"order": "BO-1"}})
        frame = b"id: %d\nevent: stage.blocked\ndata: %s\n\n" % (event_id, payload)
        for queue in subscribers:
            queue.put_nowait(frame)
        for url in hooks:
            task = asyncio.create_task(
                http["client"].post(url, content=payload, headers={"webhook-id": str(event_id)})
            )
            pending.add(task)
            task.add_done_callback(pending.discard)
        return {"id": event_id}

    return app
