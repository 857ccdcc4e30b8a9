"""``python -m bench`` (or ``./dev bench``): run the scenarios, write bench/RESULTS.md and
the raw figures as JSON under bench/out/. See bench/README.md."""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import bigdb, csv_import, drain, growth, machine, recovery, writes
from bench.context import Context, Options
from bench.databases import postgres_reachable, postgres_version
from bench.report import write_drain, write_growth, write_recovery, write_results
from bench.servers import BASELINE_FACTORY, ROOT, serve
from bench.wrk import WrkMissing, ensure_wrk, wrk_version

SCENARIOS = ("writes", "reads", "propagation", "webhooks", "memory", "growth", "recovery", "drain", "csv")
LARGE = {"reads", "propagation", "webhooks", "memory"}
#: Scenarios measured with wrk against the baseline; their figures make the main block of RESULTS.md.
LOADED = {"writes", *LARGE}


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


def parse(argv: list[str]) -> tuple[Options, bool]:
    parser = argparse.ArgumentParser(prog="./dev bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 3 s runs, one of each, 10k orders / 100k events"
    )
    parser.add_argument("--seconds", type=float, help="length of each wrk run (default 10, quick 3)")
    parser.add_argument(
        "--repeats", type=int, help="runs per figure, the median is kept (default 3, quick 1)"
    )
    parser.add_argument(
        "--orders", type=int, help="orders in the large database (default 1,000,000, quick 10,000)"
    )
    parser.add_argument(
        "--events", type=int, help="events in the large database (default 10,000,000, quick 100,000)"
    )
    parser.add_argument("--write-orders", type=int, default=20_000, help="orders the stage updates go round")
    parser.add_argument(
        "--growth-updates",
        type=int,
        help="keyed stage updates of the growth scenario (default 5,000, quick 1,000)",
    )
    parser.add_argument(
        "--recovery-outage",
        type=float,
        help="seconds the recovery scenario's webhook receiver is down (default 120, quick 30)",
    )
    parser.add_argument(
        "--drain-events",
        type=int,
        help="events in the drain scenario's backlog, each to 10 endpoints (default 5,000, quick 2,000)",
    )
    parser.add_argument(
        "--connections", type=_ints, default=(16, 64), help="wrk connections for stage updates"
    )
    parser.add_argument("--read-connections", type=int, default=4, help="wrk connections for the reads")
    parser.add_argument(
        "--pg-workers",
        type=_ints,
        default=(1, 2),
        help="PostgreSQL replica counts: in writes, replicas (separate processes, connections spread "
        "evenly); in drain, uvicorn workers sharing the outbox",
    )
    parser.add_argument("--subscribers", type=_ints, default=(1, 100, 1000), help="SSE subscriber counts")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of: {', '.join(SCENARIOS)}"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("NEXTDESK_BENCH_POSTGRES_URL") or os.environ.get("NEXTDESK_TEST_POSTGRES_URL"),
        help="a PostgreSQL server where the harness may create and drop databases "
        "(default: NEXTDESK_BENCH_POSTGRES_URL, else NEXTDESK_TEST_POSTGRES_URL)",
    )
    parser.add_argument(
        "--statements",
        default="prepared",
        help="how the repositories run their statements in the writes scenario, comma-separated: "
        "prepared (the default: on the driver's cursor), plain (through session.execute); "
        "both measure what the prepared way buys, in one run",
    )
    parser.add_argument("--no-report", action="store_true", help="do not rewrite bench/RESULTS.md")
    parser.add_argument("--keep-data", action="store_true", help="keep the SQLite files in bench/out/")
    args = parser.parse_args(argv)
    scenarios = tuple(s.strip() for s in args.scenarios.split(",") if s.strip())
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    statements = tuple(s.strip() for s in args.statements.split(",") if s.strip())
    if not statements or set(statements) - {"prepared", "plain"}:
        parser.error("--statements takes prepared, plain or both, comma-separated")
    quick = args.quick
    options = Options(
        seconds=args.seconds or (3.0 if quick else 10.0),
        repeats=args.repeats or (1 if quick else 3),
        orders=args.orders or (10_000 if quick else 1_000_000),
        events=args.events or (100_000 if quick else 10_000_000),
        write_orders=args.write_orders,
        growth_updates=args.growth_updates or (1_000 if quick else 5_000),
        recovery_outage=args.recovery_outage or (30.0 if quick else 120.0),
        drain_events=args.drain_events or (2_000 if quick else 5_000),
        write_connections=args.connections,
        read_connections=args.read_connections,
        pg_workers=args.pg_workers,
        subscribers=args.subscribers,
        scenarios=scenarios,
        postgres_url=args.postgres_url,
        workdir=ROOT / "bench" / "out",
        keep_data=args.keep_data,
        statements=statements,
    )
    return options, not args.no_report


def _raise_file_limit() -> None:
    # A thousand subscribers are a thousand sockets in the server and in the client process.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _commit() -> str:
    """The code measured: the worktree's commit, marked when it had uncommitted changes."""

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return result.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (with uncommitted changes)" if git("status", "--porcelain", "--", "app") else "")


def run(options: Options, argv: list[str], quick: bool) -> dict[str, Any]:
    loaded = bool(LOADED & set(options.scenarios))
    ctx = Context(options=options, wrk=ensure_wrk() if loaded else "")
    options.workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["./dev bench", *argv]),
        "mode": "quick" if quick else "full",
        "options": {
            k: (str(v) if isinstance(v, Path) else v)
            for k, v in asdict(options).items()
            if k != "postgres_url"
        },
        "machine": machine.describe(),
        "wrk": wrk_version(ctx.wrk) if loaded else "wrk not used",
        "commit": _commit(),
        "postgres_version": None,
    }
    if options.postgres_url and postgres_reachable(options.postgres_url) is None:
        results["postgres_version"] = postgres_version(options.postgres_url)
    if loaded:
        log = options.workdir / "baseline.log"
        with serve(BASELINE_FACTORY, env={}, log=log) as baseline:
            if "writes" in options.scenarios:
                results["writes"] = writes.run(ctx, baseline)
            if LARGE & set(options.scenarios):
                results["large"] = bigdb.run(ctx, baseline)
    if "growth" in options.scenarios:
        results["growth"] = growth.run(ctx)
    if "recovery" in options.scenarios:
        results["recovery"] = recovery.run(ctx)
    if "drain" in options.scenarios:
        results["drain"] = drain.run(ctx)
    if "csv" in options.scenarios:
        results["csv"] = csv_import.run(ctx)
    results["elapsed_seconds"] = time.monotonic() - ctx.started
    return results


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    options, report = parse(argv)
    _raise_file_limit()
    # Stopped from outside: unwind, so servers stop and temporary databases are dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        results = run(options, argv, quick="--quick" in argv)
    except WrkMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    raw = options.workdir / f"results-{stamp}.json"
    raw.write_text(json.dumps(results, indent=2, default=str))
    print(f"raw figures: {raw.relative_to(ROOT)}")
    if report:
        target = ROOT / "bench" / "RESULTS.md"
        if LOADED & set(options.scenarios):
            write_results(target, results)
        if "growth" in results:
            write_growth(target, results)
        if "recovery" in results:
            write_recovery(target, results)
        if "drain" in results:
            write_drain(target, results)
        if "csv" in results:
            csv_import.write(target, results)
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
