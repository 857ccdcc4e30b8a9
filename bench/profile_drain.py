"""Where the service's CPU goes while it drains a webhook backlog (the drain scenario's setup).

``python -m bench.profile_drain [--events N] [--seconds S]``: makes the drain scenario's backlog,
starts the service, and samples it with py-spy (``py-spy`` on PATH, or ``--py-spy PATH``) while
it sends; prints the share of samples by layer (the innermost frame of ours or of a library) and
the busiest functions. Not part of ``./dev bench``: a tool for reading a figure, not a figure.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from collections import Counter
from pathlib import Path

from bench.databases import sqlite_database
from bench.drain import ENDPOINTS, _make_backlog
from bench.helpers import helper
from bench.servers import ROOT, SERVICE_FACTORY, serve

LAYERS = (
    ("app/repositories/statements.py", "app: prepared statements"),
    ("app/repositories/", "app: repositories"),
    ("app/events/", "app: events (dispatcher, claims, records)"),
    ("app/writer.py", "app: writer"),
    ("app/pipeline.py", "app: pipeline"),
    ("app/domain/", "app: domain"),
    ("app/", "app: other"),
    ("httpcore/", "httpcore"),
    ("h11/", "h11"),
    ("sqlalchemy/", "sqlalchemy"),
    ("standardwebhooks/", "standardwebhooks (signing)"),
    ("orjson", "orjson"),
    ("asyncio/", "asyncio"),
    ("uvloop/", "uvloop"),
    ("sqlite3/", "sqlite3"),
)


#: The steps of a delivery, by the function that does each.
STEPS = {
    "claim_due": "claiming",
    "record_attempts": "recording attempts",
    "Writer._run_batch": "the writer's transactions (claims and records, with COMMIT)",
    "EndpointConnections.send": "the HTTP exchange",
    "signature_headers": "signing",
    "Dispatcher._refresh_stats": "the outbox gauges",
}


def layer_of(frame: str) -> str | None:
    for marker, name in LAYERS:
        if marker in frame:
            return name
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--py-spy", default="py-spy")
    args = parser.parse_args()
    workdir = ROOT / "bench" / "out"
    workdir.mkdir(parents=True, exist_ok=True)
    raw = workdir / "drain-profile.txt"
    with (
        sqlite_database(workdir, "drain-profile") as url,
        helper(
            "bench.webhook_receiver", ["--endpoints", str(ENDPOINTS)], workdir / "drain-profile.json"
        ) as rx,
    ):
        ports = [int(p) for p in rx.ready()]
        _make_backlog(url, ports, args.events)
        env = {"NEXTDESK_DATABASE_URL": url, "NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS": "true"}
        with serve(SERVICE_FACTORY, env=env, log=workdir / "service-drain-profile.log") as server:
            time.sleep(0.5)
            subprocess.run(
                [args.py_spy, "record", "-p", str(server.process.pid), "-d", str(int(args.seconds)),
                 "-r", "250", "-f", "raw", "-o", str(raw), "--nonblocking"],
                check=True, capture_output=True,
            )  # fmt: skip
            sent = rx.count()
        rx.finish()
    inclusive: Counter[str] = Counter()
    by_layer: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    total = 0
    for line in Path(raw).read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = stack.split(";")
        total += count
        leaf = frames[-1]
        by_function[leaf] += count
        layer = next((name for f in reversed(frames) if (name := layer_of(f))), "other")
        by_layer[layer] += count
        for name in {f.split(" (")[0] for f in frames} & set(STEPS):
            inclusive[name] += count
    print(f"{sent:,} deliveries arrived while sampling; {total:,} samples")
    for name, count in by_layer.most_common():
        print(f"{count / total:6.1%}  {name}")
    print()
    for name in STEPS:
        print(f"{inclusive[name] / total:6.1%}  {STEPS[name]} ({name}, with what it calls)")
    print()
    for name, count in by_function.most_common(25):
        print(f"{count / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
