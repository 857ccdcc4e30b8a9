"""Scenario 1: stage updates/s and latency, one worker on SQLite, one and two on PostgreSQL."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import httpx

from app.models.access import Role
from bench.context import Context
from bench.databases import insert_key, postgres_database, postgres_reachable, sqlite_database
from bench.datagen import HOT_PREFIX, DataSpec, populate
from bench.paired import paired
from bench.servers import SERVICE_FACTORY, Server, serve

GOAL_RATIO = 0.5
GOAL_P99_MS = 25.0
#: Events per order in the write database: enough that the log is not empty, no more.
EVENTS_PER_ORDER = 5


def check_update(server: Server, key: str) -> None:
    """One update by hand first: a wrk run of 409s or 401s would measure nothing."""
    response = httpx.post(
        f"{server.url}/v1/orders/{HOT_PREFIX}0/stages/assembly/updates",
        json={"status": "in_progress", "remaining_minutes": 90},
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )
    if response.status_code != 200:
        raise RuntimeError(f"a stage update answered {response.status_code}: {response.text[:500]}")


def measure_service(
    ctx: Context, url: str, baseline: Server, label: str, workers: int
) -> list[dict[str, Any]]:
    opts = ctx.options
    key = insert_key(url, Role.TECHNICIAN, "assembly")
    log = opts.workdir / f"service-{label}-{workers}w.log"
    rows: list[dict[str, Any]] = []
    with serve(SERVICE_FACTORY, env={"NEXTDESK_DATABASE_URL": url}, workers=workers, log=log) as server:
        check_update(server, key)
        for connections in opts.write_connections:
            ctx.say(f"stage updates: {label}, {workers} worker(s), {connections} connections")
            result = paired(
                ctx,
                service_url=server.url + "/",
                script="stage_updates",
                args=[HOT_PREFIX, str(opts.write_orders), key],
                baseline_url=baseline.url,
                connections=connections,
            )
            result.update(database=label, workers=workers)
            ratio_ok = (result["ratio_rps"] or 0) >= GOAL_RATIO
            p99_ok = result["service"]["p99_ms"] < GOAL_P99_MS if connections == 16 else None
            result["goal_met"] = ratio_ok and p99_ok is not False
            rows.append(result)
            ctx.say(
                f"  {result['service']['rps']:.0f}/s vs echo {result['baseline']['rps']:.0f}/s "
                f"(ratio {result['ratio_rps']:.2f}), p99 {result['service']['p99_ms']:.1f} ms"
            )
    return rows


def run(ctx: Context, baseline: Server) -> dict[str, Any]:
    opts = ctx.options
    spec = DataSpec(
        orders=opts.write_orders, events=opts.write_orders * EVENTS_PER_ORDER, hot=opts.write_orders
    )
    out: dict[str, Any] = {"orders": spec.orders, "events": spec.events, "rows": [], "skipped": []}
    with sqlite_database(opts.workdir, "writes", keep=opts.keep_data) as url:
        load = populate(url, spec)
        ctx.say(f"write database (SQLite): {spec.orders} orders in {load.seconds:.1f} s")
        out["rows"] += measure_service(ctx, url, baseline, "SQLite", 1)
    if opts.postgres_url is None:
        out["skipped"].append("PostgreSQL: no URL given (--postgres-url or NEXTDESK_BENCH_POSTGRES_URL)")
        return out
    unreachable = postgres_reachable(opts.postgres_url)
    if unreachable:
        out["skipped"].append(unreachable)
        return out
    for workers in opts.pg_workers:
        # A fresh database per worker count, so neither run inherits the other's bloat.
        with ExitStack() as stack:
            url = stack.enter_context(postgres_database(opts.postgres_url, "writes"))
            load = populate(url, spec)
            ctx.say(f"write database (PostgreSQL): {spec.orders} orders in {load.seconds:.1f} s")
            out["rows"] += measure_service(ctx, url, baseline, "PostgreSQL", workers)
    return out
