"""Scenario: how soon a webhook receiver that was down gets its backlog once it is back.

The service runs as a user runs it (uvicorn, the app factory, its default delivery settings) on
a fresh SQLite file. One endpoint is registered on a port of 127.0.0.1 where nothing listens:
the receiver is down, every attempt is refused. Stage updates keep coming (``WRITE_RATE`` a
second, each with its own ``Idempotency-Key``) for the whole outage (``--recovery-outage``)
and after it. Then the receiver starts listening on that port. Measured, on
``time.monotonic()`` (shared by the processes): from the moment it listens until it has every
event that was pending when it came back, i.e. every event up to the newest one in the log just
after it listened; and from then until its first delivery. The writes go on meanwhile.
"""

from __future__ import annotations

import os
import sqlite3
import threading
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
from bench.servers import SERVICE_FACTORY, free_port, serve

GOAL_SECONDS = 15.0
ORDERS = 20
#: Stage updates a second while the receiver is down and after: a desk's steady trickle.
WRITE_RATE = 5.0
#: How long to wait for the backlog beyond the outage before calling it not recovered.
WAIT_LIMIT_SECONDS = 900.0


def run(ctx: Context) -> dict[str, Any]:
    outage = ctx.options.recovery_outage
    ctx.say(f"recovery: a webhook receiver down for {outage:.0f} s while stage updates go on")
    row = _measure(ctx, outage)
    shown = "not recovered" if row["recovery_seconds"] is None else f"{row['recovery_seconds']:.1f} s"
    ctx.say(f"  {row['pending_at_return']:,} events pending at its return; all of them {shown} after it")
    return row


class _Writes:
    """Keyed stage updates at a steady rate, in a thread, until stopped."""

    def __init__(self, url: str, key: str) -> None:
        self.url = url
        self.key = key
        self.sent = 0
        self.failed: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recovery-writes", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        started = time.monotonic()
        with httpx.Client(base_url=self.url, timeout=30) as client:
            n = 0
            while not self._stop.is_set():
                body: dict[str, Any] = {"remaining_minutes": 60 + n % 600}
                if (n // ORDERS) % 2 == 0:
                    body.update(status="blocked", reason="waiting_parts")
                else:
                    body.update(status="in_progress")
                response = client.post(
                    f"/v1/orders/RC-{n % ORDERS}/stages/assembly/updates",
                    json=body,
                    headers={"Authorization": f"Bearer {self.key}", "Idempotency-Key": uuid.uuid4().hex},
                )
                if response.status_code != 200:
                    self.failed.append(f"{response.status_code} {response.text[:200]}")
                n += 1
                self.sent = n
                self._stop.wait(max(0.0, started + n / WRITE_RATE - time.monotonic()))


def _measure(ctx: Context, outage: float) -> dict[str, Any]:
    opts = ctx.options
    with sqlite_database(opts.workdir, "recovery", keep=opts.keep_data) as url, ExitStack() as stack:
        path = Path(url.removeprefix("sqlite:///"))
        admin = insert_key(url, Role.ADMIN)
        agent = insert_key(url, Role.AGENT)
        tech = insert_key(url, Role.TECHNICIAN, "assembly")
        env = {"NEXTDESK_DATABASE_URL": url, "NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS": "true"}
        server = stack.enter_context(
            serve(SERVICE_FACTORY, env=env, log=opts.workdir / "service-recovery.log")
        )
        client = stack.enter_context(httpx.Client(base_url=server.url, timeout=30))
        for i in range(ORDERS):
            order = {
                "reference": f"RC-{i}",
                "flow": "standard",
                "customer": {"name": "Toko Maju", "contact": "+62 21 555 0100"},
                "promised_at": "2030-01-01T12:00:00+07:00",
                "quoted_cost": {"amount": "1250000.00", "currency": "IDR"},
            }
            _post(client, agent, "/v1/orders", order, 201)
            _post(client, tech, f"/v1/orders/RC-{i}/stages/assembly/updates", {"status": "in_progress"}, 200)
        # Nothing listens on this port until the outage ends: every attempt is refused.
        port = free_port()
        endpoint = _post(client, admin, "/v1/webhooks", {"url": f"http://127.0.0.1:{port}/hooks"}, 201)
        writes = _Writes(server.url, tech)
        writes.start()
        went_down = time.monotonic()
        try:
            time.sleep(outage)
            receiver = stack.enter_context(
                helper(
                    "bench.webhook_receiver",
                    ["--endpoints", "1", "--port", str(port)],
                    opts.workdir / "recovery-receiver.json",
                )
            )
            receiver.ready()
            pending_upto, pending = _pending(path, endpoint["id"])
            attempts_while_down = _attempts(path, endpoint["id"])
            # The service's share of a core while it drains: on a shared machine, the cause of a slow drain.
            cpu_before, wall_before = _cpu_seconds(server.process.pid), time.monotonic()
            deadline = time.monotonic() + WAIT_LIMIT_SECONDS
            while _still_pending(path, endpoint["id"], pending_upto) and time.monotonic() < deadline:
                time.sleep(0.2)
            cpu_used = _cpu_seconds(server.process.pid) - cpu_before
            cpu_share = cpu_used / (time.monotonic() - wall_before)
            load = os.getloadavg()[0]
            received = receiver.finish()
        finally:
            writes.stop()
        delivered = _delivered_events(path, endpoint["id"], pending_upto)
    row = _figures(outage, received, delivered, pending, writes, went_down)
    return {
        **row,
        "attempts_while_down": attempts_while_down,
        "service_cpu_seconds": cpu_used,
        "service_cpu_share": cpu_share,
        "load_average": load,
        "cores": os.cpu_count(),
    }


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (``/proc/<pid>/stat``), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _figures(
    outage: float,
    received: dict[str, Any],
    events: list[int],
    pending: int,
    writes: _Writes,
    went_down: float,
) -> dict[str, Any]:
    back = float(received["listening_since"])
    first_arrival: dict[int, float] = {}
    for _, webhook_id, arrived in received["deliveries"]:
        if str(webhook_id).isdigit():
            event_id = int(webhook_id)
            first_arrival[event_id] = min(arrived, first_arrival.get(event_id, arrived))
    missing = [e for e in events if e not in first_arrival]
    arrivals = [first_arrival[e] for e in events if e in first_arrival]
    recovered = None if missing or not arrivals else max(arrivals) - back
    return {
        "outage_seconds": outage,
        "measured_outage_seconds": back - went_down,
        "write_rate": WRITE_RATE,
        "updates_sent": writes.sent,
        "updates_failed": len(writes.failed),
        "pending_at_return": pending,
        "events_pending": len(events),
        "missing": len(missing),
        "first_delivery_seconds": min(arrivals) - back if arrivals else None,
        "recovery_seconds": recovered,
        "drain_per_second": len(arrivals) / recovered if recovered else None,
        "goal_seconds": GOAL_SECONDS,
        "goal_met": recovered is not None and recovered <= GOAL_SECONDS,
    }


def _pending(path: Path, endpoint_id: str) -> tuple[int, int]:
    """The newest event in the log now, and the endpoint's deliveries still pending."""
    with sqlite3.connect(path) as conn:
        (newest,) = conn.execute("SELECT coalesce(max(id), 0) FROM event").fetchone()
        (pending,) = conn.execute(
            "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND status = 'pending'",
            (endpoint_id,),
        ).fetchone()
    return int(newest), int(pending)


def _attempts(path: Path, endpoint_id: str) -> int:
    """Attempts made to the endpoint so far (all of them refused while it was down)."""
    with sqlite3.connect(path) as conn:
        (made,) = conn.execute(
            "SELECT count(*) FROM webhook_attempt JOIN webhook_delivery ON webhook_delivery.id = "
            "webhook_attempt.delivery_id WHERE webhook_delivery.endpoint_id = ?",
            (endpoint_id,),
        ).fetchone()
    return int(made)


def _still_pending(path: Path, endpoint_id: str, upto: int) -> bool:
    with sqlite3.connect(path) as conn:
        (left,) = conn.execute(
            "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND status = 'pending' "
            "AND (event_id IS NULL OR event_id <= ?)",
            (endpoint_id, upto),
        ).fetchone()
    return bool(left)


def _delivered_events(path: Path, endpoint_id: str, upto: int) -> list[int]:
    """The events the endpoint was owed up to the newest one at its return."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT event_id FROM webhook_delivery WHERE endpoint_id = ? AND event_id <= ? ORDER BY event_id",
            (endpoint_id, upto),
        ).fetchall()
    return [int(r[0]) for r in rows]


def _post(client: httpx.Client, key: str, path: str, body: dict[str, Any], expect: int) -> dict[str, Any]:
    response = client.post(path, json=body, headers={"Authorization": f"Bearer {key}"})
    if response.status_code != expect:
        raise RuntimeError(f"POST {path} answered {response.status_code}: {response.text[:500]}")
    answer: dict[str, Any] = response.json()
    return answer
