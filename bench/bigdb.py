"""Scenarios 2, 3 and 4 on one large database: reads, propagation, then the service's memory."""

from __future__ import annotations

from typing import Any

from app.models.access import Role
from bench import propagation, reads
from bench.context import Context
from bench.databases import insert_key, sqlite_database
from bench.datagen import DataSpec, populate
from bench.servers import SERVICE_FACTORY, Server, serve

MEMORY_GOAL_MB = 300.0


def run(ctx: Context, baseline: Server) -> dict[str, Any]:
    opts = ctx.options
    wanted = set(opts.scenarios)
    spec = DataSpec(orders=opts.orders + opts.write_orders, events=opts.events, hot=opts.write_orders)
    out: dict[str, Any] = {"orders": opts.orders, "events": opts.events, "database": "SQLite"}
    with sqlite_database(opts.workdir, "large", keep=opts.keep_data) as url:
        ctx.say(f"making the large database: {opts.orders:,} orders, {opts.events:,} events ...")
        load = populate(url, spec)
        out["load_seconds"] = load.seconds
        ctx.say(f"  made in {load.seconds:.0f} s")
        viewer = insert_key(url, Role.VIEWER)
        technician = insert_key(url, Role.TECHNICIAN, "assembly")
        admin = insert_key(url, Role.ADMIN)
        env = {"NEXTDESK_DATABASE_URL": url, "NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS": "true"}
        with serve(SERVICE_FACTORY, env=env, log=opts.workdir / "service-large.log") as service:
            out["rss_at_start_mb"] = service.rss_mb()
            if "reads" in wanted:
                out["reads"] = reads.run(ctx, service, baseline, viewer, opts.orders)
            if "propagation" in wanted:
                out["sse"] = propagation.sse(ctx, service, baseline, technician)
            # Peak so far: the large database, the reads and the most subscribers measured.
            out["memory"] = memory(service, baseline, out.get("sse", []))
            if "webhooks" in wanted:
                out["webhooks"] = propagation.webhooks(ctx, service, baseline, technician, admin)
    return out


def memory(service: Server, baseline: Server, sse_rows: list[dict[str, Any]]) -> dict[str, Any]:
    measured = [r for r in sse_rows if "service" in r]
    subscribers = max((r["subscribers"] for r in measured), default=0)
    peak = service.peak_rss_mb()
    base = baseline.peak_rss_mb()
    return {
        "service_peak_rss_mb": peak,
        "baseline_peak_rss_mb": base,
        "ratio": peak / base if base else None,
        "with_subscribers": subscribers,
        "goal_mb": MEMORY_GOAL_MB,
        "goal_met": peak < MEMORY_GOAL_MB,
    }
