"""What every scenario shares: the options, wrk, where to write, and a log line helper."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Options:
    seconds: float = 10.0
    repeats: int = 3
    orders: int = 1_000_000
    events: int = 10_000_000
    write_orders: int = 20_000
    write_connections: tuple[int, ...] = (16, 64)
    read_connections: int = 4
    pg_workers: tuple[int, ...] = (1, 2)
    subscribers: tuple[int, ...] = (1, 100, 1000)
    publish_rate: float = 10.0
    webhook_endpoints: int = 10
    growth_updates: int = 5000
    recovery_outage: float = 120.0
    drain_events: int = 5000
    scenarios: tuple[str, ...] = (
        "writes", "reads", "propagation", "webhooks", "memory", "growth", "recovery", "drain",
    )  # fmt: skip
    postgres_url: str | None = None
    workdir: Path = Path("bench/out")
    keep_data: bool = False
    #: How the service's repositories run their statements in the writes scenario (prepared, plain).
    statements: tuple[str, ...] = ("prepared",)


@dataclass
class Context:
    options: Options
    wrk: str
    results: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def say(self, message: str) -> None:
        elapsed = time.monotonic() - self.started
        print(f"[{elapsed:6.0f}s] {message}", flush=True)
