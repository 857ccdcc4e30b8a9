"""Scenario 1: stage updates/s and latency, one process on SQLite, one and two replicas on PostgreSQL.

PostgreSQL replicas are measured as a deployment runs them behind a load balancer that spreads
connections evenly: N separate service processes (one uvicorn worker each, each on its own port,
all on the same database), loaded by N wrk processes at the same time, each with connections / N
connections and its own slice of the orders. (``uvicorn --workers N`` on one socket is not that:
the kernel hands most of wrk's keep-alive connections to whichever worker accepts first.)
Updates/s is the sum of the N runs' rates, p50 the median of their p50s, p99 the highest of their
p99s. The echo baseline stays one bare app driven by one wrk with all the connections.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

import httpx

from app.models.access import Role
from bench.context import Context
from bench.databases import insert_key, postgres_database, postgres_reachable, sqlite_database
from bench.datagen import HOT_PREFIX, DataSpec, populate
from bench.paired import paired_replicas
from bench.servers import SERVICE_FACTORY, Server, serve_replicas
from bench.wrk import WrkJob

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


def _finish_histogram(server: Server) -> tuple[float, float, dict[float, float]]:
    """One server's nextdesk_writer_finish_seconds from /metrics: sum, count, cumulative buckets."""
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    total = count = 0.0
    buckets: dict[float, float] = {}
    for line in text.splitlines():
        if line.startswith("nextdesk_writer_finish_seconds_sum "):
            total = float(line.split()[-1])
        elif line.startswith("nextdesk_writer_finish_seconds_count "):
            count = float(line.split()[-1])
        elif line.startswith("nextdesk_writer_finish_seconds_bucket"):
            bound = line.split('le="')[1].split('"')[0]
            buckets[float("inf") if bound == "+Inf" else float(bound)] = float(line.split()[-1])
    return total, count, buckets


def finish_seconds(servers: Sequence[Server]) -> dict[str, Any] | None:
    """The writer's numbering-lock hold per batch (nextdesk_writer_finish_seconds), from /metrics.

    Read from every replica (each has its own): the mean is the replicas' means weighted by their
    batch counts, the p99 bucket that of their histograms added up; each replica's own figures
    are kept under "replicas".
    """
    total = count = 0.0
    merged: dict[float, float] = {}
    per_replica: list[dict[str, float]] = []
    for server in servers:
        own_total, own_count, buckets = _finish_histogram(server)
        total += own_total
        count += own_count
        for bound, seen in buckets.items():
            merged[bound] = merged.get(bound, 0.0) + seen
        if own_count:
            per_replica.append({"batches": own_count, "mean_ms": 1000 * own_total / own_count})
    if not count:
        return None
    p99 = next((bound for bound, seen in sorted(merged.items()) if seen >= 0.99 * count), float("inf"))
    return {
        "batches": count,
        "mean_ms": 1000 * total / count,
        "p99_bucket_ms": 1000 * p99,
        "replicas": per_replica,
    }


def shares(connections: int, replicas: int) -> list[int]:
    """``connections`` spread evenly over ``replicas``, as an even load balancer spreads them."""
    if connections < replicas:
        raise ValueError(f"{connections} connections cannot load {replicas} replicas")
    return [connections // replicas + (1 if i < connections % replicas else 0) for i in range(replicas)]


def update_jobs(
    urls: Sequence[str], key: str, orders: int, connections: int, *, offset: str, prefer: str
) -> list[WrkJob]:
    """One wrk per replica, with its share of the connections and its own slice of the orders
    (``lua/stage_updates.lua``'s ``base``), so no two replicas ever update the same order."""
    size = orders // len(urls)
    return [
        WrkJob(
            url=url + "/",
            script="stage_updates",
            args=(HOT_PREFIX, str(size), key, offset, prefer, str(i * size)),
            connections=share,
        )
        for i, (url, share) in enumerate(zip(urls, shares(connections, len(urls)), strict=True))
    ]


def measure_service(
    ctx: Context, url: str, baseline: Server, label: str, replicas: int
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for statements in ctx.options.statements:
        rows += measure_statements(ctx, url, baseline, label, replicas, statements)
    return rows


def _paired_updates(
    ctx: Context, servers: Sequence[Server], baseline: Server, jobs: list[WrkJob], connections: int
) -> dict[str, Any]:
    """The paired runs, with the CPU each replica used meanwhile (an even spread shows here)."""
    before = [server.cpu_seconds() for server in servers]
    result = paired_replicas(ctx, service=jobs, baseline_url=baseline.url, connections=connections)
    result["replica_cpu_seconds"] = [
        server.cpu_seconds() - start for server, start in zip(servers, before, strict=True)
    ]
    return result


def _said(result: dict[str, Any]) -> str:
    cpu = ", ".join(f"{seconds:.1f}" for seconds in result["replica_cpu_seconds"])
    return (
        f"  {result['service']['rps']:.0f}/s vs echo {result['baseline']['rps']:.0f}/s "
        f"(ratio {result['ratio_rps']:.2f}), p99 {result['service']['p99_ms']:.1f} ms, "
        f"errors {result['service']['errors']}; CPU s per replica: {cpu}"
    )


def measure_statements(
    ctx: Context, url: str, baseline: Server, label: str, replicas: int, statements: str
) -> list[dict[str, Any]]:
    opts = ctx.options
    key = insert_key(url, Role.TECHNICIAN, "assembly")
    env = {"NEXTDESK_DATABASE_URL": url}
    if statements == "plain":
        # The repositories' statements through session.execute (app/repositories/statements.py).
        env["NEXTDESK_PREPARED_STATEMENTS"] = "false"
        label = f"{label}, plain statements"
    log = opts.workdir / f"service-{label.replace(', ', '-').replace(' ', '_')}-{replicas}r.log"
    rows: list[dict[str, Any]] = []
    with serve_replicas(SERVICE_FACTORY, env=env, replicas=replicas, log=log) as servers:
        for server in servers:
            check_update(server, key)
        urls = [server.url for server in servers]
        for connections in opts.write_connections:
            ctx.say(f"stage updates: {label}, {replicas} replica(s), {connections} connections")
            jobs = update_jobs(urls, key, opts.write_orders, connections, offset="0", prefer="full")
            result = _paired_updates(ctx, servers, baseline, jobs, connections)
            result.update(database=label, replicas=replicas)
            ratio_ok = (result["ratio_rps"] or 0) >= GOAL_RATIO
            p99_ok = result["service"]["p99_ms"] < GOAL_P99_MS if connections == 16 else None
            result["goal_met"] = ratio_ok and p99_ok is not False
            rows.append(result)
            ctx.say(_said(result))
            if connections != 16:
                continue
            # The lean answer (Prefer: return=minimal) at the same load, for the same goal.
            ctx.say(f"stage updates: {label}, {replicas} replica(s), {connections} connections, minimal")
            jobs = update_jobs(urls, key, opts.write_orders, connections, offset="1", prefer="minimal")
            lean = _paired_updates(ctx, servers, baseline, jobs, connections)
            lean.update(database=f"{label}, Prefer: return=minimal", replicas=replicas)
            lean_p99_ok = lean["service"]["p99_ms"] < GOAL_P99_MS
            lean["goal_met"] = (lean["ratio_rps"] or 0) >= GOAL_RATIO and lean_p99_ok
            rows.append(lean)
            ctx.say(_said(lean))
        hold = finish_seconds(servers)
        if hold is not None:
            for row in rows:
                row["numbering_lock"] = hold
            ctx.say(
                f"  numbering lock per batch: mean {hold['mean_ms']:.2f} ms, "
                f"p99 <= {hold['p99_bucket_ms']:.2f} ms over {hold['batches']:.0f} batches"
                + (f" ({len(hold['replicas'])} replicas)" if replicas > 1 else "")
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
    for replicas in opts.pg_workers:
        # A fresh database per replica count, so neither run inherits the other's bloat.
        with ExitStack() as stack:
            url = stack.enter_context(postgres_database(opts.postgres_url, "writes"))
            load = populate(url, spec)
            ctx.say(f"write database (PostgreSQL): {spec.orders} orders in {load.seconds:.1f} s")
            out["rows"] += measure_service(ctx, url, baseline, "PostgreSQL", replicas)
    return out
