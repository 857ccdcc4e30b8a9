"""Scenario: how much database each keyed stage update adds, on a fresh SQLite file.

The service runs as a user runs it (uvicorn, the app factory). Orders are made and their
assembly started through the API; then N stage updates, each with its own ``Idempotency-Key``,
flip a stage between blocked and in_progress and revise its remaining time, round-robin over
the orders (the same updates as the write scenario). Growth is measured between two quiet
points: the outbox drained, the WAL checkpointed into the main file (``wal_checkpoint(TRUNCATE)``),
so the file's size is the database's. Nothing is vacuumed: the figure is what the file grows by
in use, pages that retention frees inside the file included (within the run nothing is old
enough to be pruned, so none are). The used pages (page count less the free list) and each
table's and index's share (SQLite's ``dbstat``) are reported beside it.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from app.models.access import Role
from bench.context import Context
from bench.databases import insert_key, sqlite_database
from bench.helpers import helper
from bench.servers import SERVICE_FACTORY, serve

GOAL_BYTES = 2048
ORDERS = 200
DRAIN_TIMEOUT_SECONDS = 300.0


def run(ctx: Context) -> dict[str, Any]:
    updates = ctx.options.growth_updates
    rows = []
    for webhook in (False, True):
        label = "one webhook endpoint, every event delivered" if webhook else "no webhook endpoint"
        ctx.say(f"growth: {updates:,} keyed stage updates, {label}")
        row = _measure(ctx, updates, webhook)
        row["label"] = label
        rows.append(row)
        ctx.say(
            f"  {row['bytes_per_update']:,.0f} bytes per update (used pages: {row['used_per_update']:,.0f})"
        )
    return {"updates": updates, "orders": ORDERS, "goal_bytes": GOAL_BYTES, "rows": rows}


def _measure(ctx: Context, updates: int, webhook: bool) -> dict[str, Any]:
    opts = ctx.options
    with sqlite_database(opts.workdir, "growth", keep=opts.keep_data) as url, ExitStack() as stack:
        path = Path(url.removeprefix("sqlite:///"))
        keys = {
            "admin": insert_key(url, Role.ADMIN),
            "agent": insert_key(url, Role.AGENT),
            "tech": insert_key(url, Role.TECHNICIAN, "assembly"),
        }
        port = None
        if webhook:
            receiver = stack.enter_context(
                helper("bench.webhook_receiver", ["--endpoints", "1"], opts.workdir / "growth-receiver.json")
            )
            port = int(receiver.ready()[0])
        env = {"NEXTDESK_DATABASE_URL": url, "NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS": "true"}
        server = stack.enter_context(serve(SERVICE_FACTORY, env=env, log=opts.workdir / "service-growth.log"))
        client = stack.enter_context(httpx.Client(base_url=server.url, timeout=30))
        if port is not None:
            _post(client, keys["admin"], "/v1/webhooks", {"url": f"http://127.0.0.1:{port}/hooks"}, 201)
        for i in range(ORDERS):
            order = {
                "reference": f"GR-{i}",
                "flow": "standard",
                "customer": {"name": "Toko Maju", "contact": "+62 21 555 0100"},
                "promised_at": "2030-01-01T12:00:00+07:00",
                "quoted_cost": {"amount": "1250000.00", "currency": "IDR"},
            }
            _post(client, keys["agent"], "/v1/orders", order, 201)
            _post(
                client, keys["tech"], f"/v1/orders/GR-{i}/stages/assembly/updates", {"status": "in_progress"}
            )
        _drain(path)
        before = _size(path)
        started = time.monotonic()
        for n in range(updates):
            body: dict[str, Any] = {"remaining_minutes": 60 + n % 600}
            if (n // ORDERS) % 2 == 0:
                body.update(status="blocked", reason="waiting_parts")
            else:
                body.update(status="in_progress")
            _post(
                client,
                keys["tech"],
                f"/v1/orders/GR-{n % ORDERS}/stages/assembly/updates",
                body,
                idempotency_key=uuid.uuid4().hex,
            )
        seconds = time.monotonic() - started
        _drain(path)
        after = _size(path)
    grown = after["file_bytes"] - before["file_bytes"]
    used = after["used_bytes"] - before["used_bytes"]
    shares = {
        name: (after["objects"].get(name, 0) - before["objects"].get(name, 0)) / updates
        for name in after["objects"]
    }
    return {
        "webhook": webhook,
        "file_bytes_before": before["file_bytes"],
        "file_bytes_after": after["file_bytes"],
        "bytes_per_update": grown / updates,
        "used_per_update": used / updates,
        "objects_per_update": {k: v for k, v in sorted(shares.items(), key=lambda kv: -kv[1]) if v >= 1},
        "goal_met": grown / updates <= GOAL_BYTES,
        "seconds": seconds,
    }


def _post(
    client: httpx.Client,
    key: str,
    path: str,
    body: dict[str, Any],
    expect: int = 200,
    idempotency_key: str | None = None,
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    response = client.post(path, json=body, headers=headers)
    if response.status_code != expect:
        raise RuntimeError(f"POST {path} answered {response.status_code}: {response.text[:500]}")


def _drain(path: Path) -> None:
    """Wait until the outbox holds nothing pending: deliveries are rows that change once sent."""
    deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
    with sqlite3.connect(path) as conn:
        while time.monotonic() < deadline:
            (pending,) = conn.execute(
                "SELECT count(*) FROM webhook_delivery WHERE status = 'pending'"
            ).fetchone()
            if pending == 0:
                return
            time.sleep(0.5)
    raise RuntimeError(f"the outbox still held pending deliveries after {DRAIN_TIMEOUT_SECONDS:.0f} s")


def _size(path: Path) -> dict[str, Any]:
    """The file's size once the WAL is checkpointed into it, its used pages, and each object's bytes."""
    conn = sqlite3.connect(path)
    try:
        for _ in range(100):
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                break
            time.sleep(0.1)
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        try:
            objects = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        except sqlite3.OperationalError:  # SQLite built without the dbstat table
            objects = {}
    finally:
        conn.close()
    return {
        "file_bytes": os.path.getsize(path),
        "used_bytes": (pages - free) * page_size,
        "objects": objects,
    }
