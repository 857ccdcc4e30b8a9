"""Scenario: one idle process drains a webhook backlog to 10 local endpoints, against a bare sender.

The backlog is made first, through the driver (never through the API): a fresh SQLite file, 10
endpoints subscribed to every event made by the service's own use case, then ``--drain-events``
events in the log, each with a pending delivery for every endpoint (stage events of the size the
write scenario makes). Then the service starts as a user starts it (uvicorn, the app factory, its
default delivery settings) with no write load, and sends everything. Receivers (another process)
note each arrival on ``time.monotonic()``; the rate is deliveries / (last arrival - first arrival).

The baseline in the same run: the bare app (``bench/baseline.py``, ``POST /blast``) POSTing the same
number of bodies of the same size to its own receivers, the same number in flight per endpoint
as the service's ``NEXTDESK_WEBHOOK_ENDPOINT_IN_FLIGHT``, with a plain httpx client, no database,
no signing: the floor for a sender in this stack.

With a PostgreSQL server (``--postgres-url``), the same backlog is drained again from a fresh
PostgreSQL database by ``--pg-workers`` uvicorn workers (replicas sharing one outbox: each worker
runs its own dispatcher, and claims go by ``FOR UPDATE SKIP LOCKED``), so the figures say whether
sending grows with replicas. The service's CPU is summed over its workers; PostgreSQL's own is not
in it.
"""

from __future__ import annotations

import os
import time
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import insert, update

from app.config import Settings
from app.db import Database
from app.models.event import Event, EventCounter
from app.models.webhook import WebhookCreate, WebhookDelivery
from app.services.webhooks import create_endpoint
from app.writer import run_use_case
from bench.context import Context
from bench.databases import postgres_database, postgres_reachable, sqlite_database
from bench.helpers import helper
from bench.servers import BASELINE_FACTORY, SERVICE_FACTORY, serve

GOAL_PER_SECOND = 1000.0
ENDPOINTS = 10
#: How long to wait for the whole backlog before calling it not drained.
WAIT_LIMIT_SECONDS = 600.0


def run(ctx: Context) -> dict[str, Any]:
    opts = ctx.options
    total = opts.drain_events * ENDPOINTS
    ctx.say(f"drain: {opts.drain_events:,} events x {ENDPOINTS} endpoints = {total:,} deliveries, no writes")
    service = _service(ctx, sqlite_database(opts.workdir, "drain", keep=opts.keep_data), "drain")
    ctx.say(f"  service: {service['per_second']:.0f} deliveries/s")
    baseline = _baseline(ctx, total, service["endpoint_in_flight"])
    ctx.say(f"  bare sender: {baseline['per_second']:.0f} deliveries/s")
    postgres: list[dict[str, Any]] = []
    why_not = postgres_reachable(opts.postgres_url) if opts.postgres_url else "no PostgreSQL URL given"
    if opts.postgres_url and why_not is None:
        for workers in opts.pg_workers:
            ctx.say(f"  PostgreSQL, {workers} worker(s) ...")
            figures = _service(
                ctx, postgres_database(opts.postgres_url, "drain"), f"drain-pg{workers}", workers=workers
            )
            postgres.append({"workers": workers, **figures, "load_average": os.getloadavg()[0]})
            ctx.say(f"  PostgreSQL, {workers} worker(s): {figures['per_second']:.0f} deliveries/s")
    return {
        "events": opts.drain_events,
        "endpoints": ENDPOINTS,
        "deliveries": total,
        "service": service,
        "baseline": baseline,
        "ratio": service["per_second"] / baseline["per_second"] if baseline["per_second"] else None,
        "goal_per_second": GOAL_PER_SECOND,
        "goal_met": service["per_second"] >= GOAL_PER_SECOND and service["missing"] == 0,
        "load_average": os.getloadavg()[0],
        "cores": os.cpu_count(),
        "postgres": postgres,
        "postgres_not_measured": why_not if not postgres else None,
    }


def _rate(raw: dict[str, Any], expected: int) -> dict[str, Any]:
    arrivals = sorted(float(t) for _, _, t in raw["deliveries"])
    distinct = {(int(e), str(w)) for e, w, _ in raw["deliveries"]}
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    return {
        "arrived": len(arrivals),
        "distinct": len(distinct),
        "missing": max(0, expected - len(distinct)),
        "seconds": span,
        "per_second": len(arrivals) / span if span else 0.0,
        "first_arrival": arrivals[0] if arrivals else None,
    }


def _wait_for(receivers: Any, expected: int) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    last, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = receivers.count()
        if count >= expected:
            return
        if count != last:
            last, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since > 10:
            return  # nothing for 10 s: what is missing is reported as such
        time.sleep(0.2)


def _service(
    ctx: Context, database: AbstractContextManager[str], tag: str, *, workers: int = 1
) -> dict[str, Any]:
    opts = ctx.options
    total = opts.drain_events * ENDPOINTS
    out = opts.workdir / f"{tag}-service.json"
    with (
        database as url,
        helper("bench.webhook_receiver", ["--endpoints", str(ENDPOINTS)], out) as receivers,
    ):
        ports = [int(p) for p in receivers.ready()]
        made = time.monotonic()
        _make_backlog(url, ports, opts.drain_events)
        made_seconds = time.monotonic() - made
        env = {"NEXTDESK_DATABASE_URL": url, "NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS": "true"}
        started = time.monotonic()
        log = opts.workdir / f"service-{tag}.log"
        with serve(SERVICE_FACTORY, env=env, workers=workers, log=log) as server:
            pids = server.pids()
            cpu_before = sum(_cpu_seconds(pid) for pid in pids)
            receivers_before = _cpu_seconds(receivers.process.pid)
            _wait_for(receivers, total)
            cpu = sum(_cpu_seconds(pid) for pid in pids) - cpu_before
            receivers_cpu = _cpu_seconds(receivers.process.pid) - receivers_before
        raw = receivers.finish()
    figures = _rate(raw, total)
    return {
        **figures,
        "backlog_made_seconds": made_seconds,
        "start_to_first_seconds": (figures["first_arrival"] - started) if figures["first_arrival"] else None,
        "service_cpu_seconds": cpu,
        "cpu_ms_per_delivery": cpu * 1000 / figures["arrived"] if figures["arrived"] else None,
        "workers": workers,
        # The receivers share the machine's cores with the service: what they cost, beside it.
        "receivers_cpu_seconds": receivers_cpu,
        "endpoint_in_flight": Settings(database_url=url).webhook_endpoint_in_flight,
    }


def _baseline(ctx: Context, total: int, per_endpoint: int) -> dict[str, Any]:
    opts = ctx.options
    out = opts.workdir / "drain-baseline.json"
    with (
        helper("bench.webhook_receiver", ["--endpoints", str(ENDPOINTS)], out) as receivers,
        serve(BASELINE_FACTORY, env={}, log=opts.workdir / "baseline-drain.log") as baseline,
        httpx.Client(base_url=baseline.url, timeout=WAIT_LIMIT_SECONDS) as client,
    ):
        ports = [int(p) for p in receivers.ready()]
        for port in ports:
            client.post("/webhooks", json={"url": f"http://127.0.0.1:{port}/hook"}).raise_for_status()
        answer = client.post("/blast", json={"count": total, "per_hook": per_endpoint})
        answer.raise_for_status()
        _wait_for(receivers, total)
        raw = receivers.finish()
    return {**_rate(raw, total), "sender_seconds": answer.json()["seconds"]}


def _make_backlog(url: str, ports: list[int], events: int) -> None:
    """10 endpoints by the service's own use case; events and deliveries in bulk through the driver."""
    db = Database(Settings(database_url=url))
    try:
        now = datetime.now(UTC)
        endpoint_ids = []
        for port in ports:
            body = WebhookCreate(url=f"http://127.0.0.1:{port}/hook", event_types=["*"])
            created, _ = run_use_case(db, lambda session, body=body: create_endpoint(session, body, now))  # type: ignore[misc]
            endpoint_ids.append(created.id)
        start = now - timedelta(seconds=events / 1000)
        event_rows = []
        delivery_rows = []
        for n in range(1, events + 1):
            at = start + timedelta(milliseconds=n)
            ref = f"DR-{n % 5000}"
            event_rows.append(
                {
                    "id": n,
                    "type": "stage.blocked",
                    "subject": ref,
                    "order_id": None,
                    "department": "assembly",
                    "at_risk": False,
                    "time": at,
                    "data": {
                        "order": ref,
                        "stage": "assembly",
                        "status": "blocked",
                        "reason": "waiting_parts",
                        "remaining_minutes": 300,
                        "actor": "key:key_bench",
                        "actor_name": "bench technician",
                        "actor_role": "technician",
                        "eta": {"likely_at": at.isoformat(), "latest_at": at.isoformat(), "basis": "plan"},
                    },
                }
            )
            for endpoint_id in endpoint_ids:
                delivery_rows.append(
                    {
                        "endpoint_id": endpoint_id,
                        "event_id": n,
                        "event_type": "stage.blocked",
                        "status": "pending",
                        "attempts": 0,
                        "unscheduled_attempts": 0,
                        "next_attempt_at": at,
                        "created_at": at,
                    }
                )
        with db.write_session() as session, session.begin():
            session.execute(insert(Event.__table__), event_rows)  # type: ignore[attr-defined]
            session.execute(insert(WebhookDelivery.__table__), delivery_rows)  # type: ignore[attr-defined]
            session.execute(update(EventCounter.__table__).values(last_id=events))  # type: ignore[attr-defined]
    finally:
        db.dispose()


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
