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


def finish_seconds(server: Server) -> dict[str, float] | None:
    """The writer's numbering-lock hold per batch (nextdesk_writer_finish_seconds), from /metrics.

    With several workers this is the one worker that answers; each holds the lock alike.
    """
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    total = count = 0.0
    buckets: list[tuple[float, float]] = []
    for line in text.splitlines():
        if line.startswith("nextdesk_writer_finish_seconds_sum "):
            total = float(line.split()[-1])
        elif line.startswith("nextdesk_writer_finish_seconds_count "):
            count = float(line.split()[-1])
        elif line.startswith("nextdesk_writer_finish_seconds_bucket"):
            bound = line.split('le="')[1].split('"')[0]
            buckets.append((float("inf") if bound == "+Inf" else float(bound), float(line.split()[-1])))
    if not count:
        return None
    p99 = next((bound for bound, seen in sorted(buckets) if seen >= 0.99 * count), float("inf"))
    return {"batches": count, "mean_ms": 1000 * total / count, "p99_bucket_ms": 1000 * p99}


def measure_service(
    ctx: Context, url: str, baseline: Server, label: str, workers: int
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for statements in ctx.options.statements:
        rows += measure_statements(ctx, url, baseline, label, workers, statements)
    return rows


def measure_statements(
    ctx: Context, url: str, baseline: Server, label: str, workers: int, statements: str
) -> list[dict[str, Any]]:
    opts = ctx.options
    key = insert_key(url, Role.TECHNICIAN, "assembly")
    env = {"NEXTDESK_DATABASE_URL": url}
    if statements == "plain":
        # The repositories' statements through session.execute (app/repositories/statements.py).
        env["NEXTDESK_PREPARED_STATEMENTS"] = "false"
        label = f"{label}, plain statements"
    log = opts.workdir / f"service-{label.replace(', ', '-').replace(' ', '_')}-{workers}w.log"
    rows: list[dict[str, Any]] = []
    with serve(SERVICE_FACTORY, env=env, workers=workers, log=log) as server:
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
            if connections != 16:
                continue
            # The lean answer (Prefer: return=minimal) at the same load, for the same goal.
            ctx.say(f"stage updates: {label}, {workers} worker(s), {connections} connections, minimal")
            lean = paired(
                ctx,
                service_url=server.url + "/",
                script="stage_updates",
                args=[HOT_PREFIX, str(opts.write_orders), key, "1", "minimal"],
                baseline_url=baseline.url,
                connections=connections,
            )
            lean.update(database=f"{label}, Prefer: return=minimal", workers=workers)
            lean_p99_ok = lean["service"]["p99_ms"] < GOAL_P99_MS
            lean["goal_met"] = (lean["ratio_rps"] or 0) >= GOAL_RATIO and lean_p99_ok
            rows.append(lean)
            ctx.say(
                f"  {lean['service']['rps']:.0f}/s vs echo {lean['baseline']['rps']:.0f}/s "
                f"(ratio {lean['ratio_rps']:.2f}), p99 {lean['service']['p99_ms']:.1f} ms"
            )
        hold = finish_seconds(server)
        if hold is not None:
            for row in rows:
                row["numbering_lock"] = hold
            ctx.say(
                f"  numbering lock per batch: mean {hold['mean_ms']:.2f} ms, "
                f"p99 <= {hold['p99_bucket_ms']:.2f} ms over {hold['batches']:.0f} batches"
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
