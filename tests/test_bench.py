"""The benchmark harness's own parts: the bulk data the API must serve, the load clients and
the report. Small sizes and real servers; nothing here times anything."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.main import create_app
from bench import baseline
from bench.context import Context, Options
from bench.datagen import DataSpec, populate
from bench.helpers import helper
from bench.propagation import baseline_publisher, sse_once, webhooks_once
from bench.report import (
    BEGIN,
    DRAIN_BEGIN,
    DRAIN_END,
    END,
    RECOVERY_BEGIN,
    RECOVERY_END,
    write_drain,
    write_recovery,
    write_results,
)
from bench.servers import free_port
from bench.sse_load import SseSubscriber
from bench.writes import update_jobs
from bench.wrk import WrkRun, merge_runs, parse_result
from tests.live import LiveServer, serve
from tests.support import Keys, bearer, make_keys


def test_bulk_data_is_served_by_the_api_and_the_log_continues_after_it(
    settings: Settings, clock: ManualClock
) -> None:
    spec = DataSpec(orders=60, events=300, hot=10, now=clock.now())
    populate(settings.database_url, spec)
    with TestClient(create_app(settings, clock=clock)) as client:
        keys = make_keys(client.app.state.ctx)  # type: ignore[attr-defined]
        viewer = bearer(keys.viewer)

        hot = client.get("/v1/orders/W-0", headers=viewer).json()
        assert hot["state"] == "open"
        assert [s["status"] for s in hot["stages"]] == ["in_progress", "pending", "pending"]
        assert client.get("/v1/orders/BO-3", headers=viewer).json()["state"] == "at_risk"
        assert client.get("/v1/orders/BO-19", headers=viewer).json()["state"] == "done"
        assert client.get("/v1/orders/BO-7", headers=viewer).json()["state"] == "cancelled"

        at_risk = client.get("/v1/orders", params={"state": "at_risk", "limit": 200}, headers=viewer).json()
        assert at_risk["items"]
        assert {o["state"] for o in at_risk["items"]} == {"at_risk"}
        assert len(client.get("/v1/orders/BO-3/timeline", headers=viewer).json()["items"]) == 5

        # The update the write benchmark sends, and its events numbered after the bulk ones.
        update = client.post(
            "/v1/orders/W-0/stages/assembly/updates",
            json={"status": "blocked", "reason": "waiting_parts", "remaining_minutes": 90},
            headers=bearer(keys.assembly),
        )
        assert update.status_code == 200, update.text
        again = client.post(
            "/v1/orders/W-0/stages/assembly/updates",
            json={"status": "blocked", "reason": "waiting_parts", "remaining_minutes": 120},
            headers=bearer(keys.assembly),
        )
        assert again.status_code == 200, again.text
        new = client.get("/v1/events", params={"after": spec.events}, headers=viewer).json()["items"]
        assert new
        assert int(new[0]["id"]) == spec.events + 1
        assert {e["subject"] for e in new} == {"W-0"}
        assert "stage.blocked" in {e["type"] for e in new}


def test_sse_subscriber_reads_ids_across_split_chunks() -> None:
    async def feed() -> dict[int, list[float]]:
        arrivals: dict[int, list[float]] = defaultdict(list)
        subscriber = SseSubscriber(b"", arrivals)
        pieces = [
            b": ping\n\nid: 1",
            b'1\nevent: x\ndata: {"id": "99"}\n\n',
            b"id:12\ndata: y\n\ni",
            b"d: 13\n",
        ]
        for n, piece in enumerate(pieces):
            subscriber.feed(piece, float(n))
        return arrivals

    assert asyncio.run(feed()) == {11: [1.0], 12: [2.0], 13: [3.0]}


def _context(tmp_path: Path) -> Context:
    options = Options(seconds=0.3, publish_rate=10.0, webhook_endpoints=3, workdir=tmp_path)
    return Context(options=options, wrk="wrk")


def test_sse_load_process_measures_every_event_at_every_subscriber(tmp_path: Path) -> None:
    with serve(baseline.create_app()) as server, httpx.Client(base_url=server.url) as client:
        row = sse_once(
            _context(tmp_path),
            server.url + "/stream",
            None,
            3,
            baseline_publisher(client),
            lambda _arrivals: lambda event_id: str(event_id),
            "test",
        )
    assert row["connected"] == 3
    assert row["events"] == 3
    assert row["samples"] == 9
    assert row["missing"] == 0
    assert row["p99_ms"] is not None


def test_sse_load_process_reads_every_event_id_from_the_service_stream(
    live: LiveServer, live_keys: Keys, tmp_path: Path
) -> None:
    out = tmp_path / "sse.json"
    args = [f"{live.url}/v1/stream", "--subscribers", "2", "--key", live_keys.viewer]
    with helper("bench.sse_load", args, out) as subscribers, httpx.Client(base_url=live.url) as client:
        assert subscribers.ready() == ["2", "0"]
        order = {
            "reference": "SO-1",
            "customer": {"name": "Toko Maju"},
            "promised_at": "2030-01-01T00:00:00Z",
            "quoted_cost": {"amount": "100.00", "currency": "IDR"},
        }
        assert client.post("/v1/orders", json=order, headers=bearer(live_keys.agent)).status_code == 201
        update = {"status": "in_progress", "remaining_minutes": 60}
        response = client.post(
            "/v1/orders/SO-1/stages/assembly/updates", json=update, headers=bearer(live_keys.assembly)
        )
        assert response.status_code == 200
        logged = [
            int(e["id"]) for e in client.get("/v1/events", headers=bearer(live_keys.viewer)).json()["items"]
        ]
        deadline = time.monotonic() + 15
        while subscribers.count() < 2 * len(logged) and time.monotonic() < deadline:
            time.sleep(0.05)
        raw = subscribers.finish()
    assert raw["connected"] == 2
    assert sorted(int(k) for k in raw["arrivals"]) == logged
    assert all(len(times) == 2 for times in raw["arrivals"].values())


def test_webhook_receivers_count_first_attempts_and_sustained_deliveries(tmp_path: Path) -> None:
    with serve(baseline.create_app()) as server, httpx.Client(base_url=server.url) as client:

        def register(ports: list[int]) -> None:
            for port in ports:
                client.post("/webhooks", json={"url": f"http://127.0.0.1:{port}/hook"}).raise_for_status()

        def load() -> dict[str, int]:
            for _ in range(5):
                client.post("/publish").raise_for_status()
            time.sleep(0.2)
            return {"published": 5}

        result = webhooks_once(
            _context(tmp_path),
            register=register,
            publish=baseline_publisher(client),
            subject_of=lambda _arrivals: lambda event_id: str(event_id),
            load=load,
            tag="test",
        )
    assert result["events"] == 3
    assert result["p50_ms"] is not None
    # Five events to three endpoints, during the load or just after it.
    assert result["deliveries_in_load"] + result["deliveries_after_load"] == 15
    assert result["missing_at_late_endpoints"] == 0
    assert result["drain_goal_met"] is True


def test_wrk_result_line_is_parsed() -> None:
    output = (
        "Running 3s test @ http://127.0.0.1:1/\n"
        'BENCH_RESULT {"requests": 3000, "duration_us": 3000000, "bytes": 1, "errors": {"connect": 0, '
        '"read": 0, "write": 0, "status": 2, "timeout": 0}, "latency_us": {"mean": 900.0, "p50": 800, '
        '"p90": 1500, "p99": 4200, "max": 9000}}\n'
    )
    run = parse_result(output)
    assert run.rps == 1000
    assert run.p99_ms == 4.2
    assert run.failed == 2


def _run(requests: int, p50: float, p99: float, status: int = 0) -> WrkRun:
    errors = {"connect": 0, "read": 0, "write": 0, "status": status, "timeout": 0}
    return WrkRun(requests, 3.0, requests / 3.0, p50, 2 * p50, p99, 2 * p99, errors)


def test_concurrent_wrk_runs_merge_as_one_load() -> None:
    runs = [_run(3000, 2.0, 9.0), _run(1500, 4.0, 6.0, status=2), _run(2400, 3.0, 7.5, status=1)]
    merged = merge_runs(runs)
    assert merged.requests == 6900
    assert merged.rps == 2300
    assert merged.p50_ms == 3.0
    assert merged.p99_ms == 9.0
    assert merged.failed == 3
    assert [part["requests"] for part in merged.as_dict()["parts"]] == [3000, 1500, 2400]
    assert merge_runs(runs[:1]) == runs[0]
    assert "parts" not in runs[0].as_dict()


def test_replicas_share_the_connections_and_never_the_same_orders() -> None:
    urls = [f"http://127.0.0.1:{port}" for port in (1, 2, 3, 4)]
    jobs = update_jobs(urls, "key", 20_000, 16, offset="1", prefer="minimal")
    assert [job.connections for job in jobs] == [4, 4, 4, 4]
    assert [job.url for job in jobs] == [url + "/" for url in urls]
    # prefix count key offset prefer base: slices 0-4,999, 5,000-9,999, ...
    assert [job.args for job in jobs] == [
        ("W-", "5000", "key", "1", "minimal", str(base)) for base in (0, 5000, 10000, 15000)
    ]
    assert [job.connections for job in update_jobs(urls[:3], "key", 300, 16, offset="0", prefer="full")] == [
        6,
        5,
        5,
    ]
    with pytest.raises(ValueError, match="cannot load 4 replicas"):
        update_jobs(urls, "key", 20_000, 2, offset="0", prefer="full")


def test_results_file_keeps_other_sections(tmp_path: Path) -> None:
    target = tmp_path / "RESULTS.md"
    target.write_text("# nextdesk benchmark results\n\n## Estimate accuracy\n\nMAE 12 min.\n")
    results = {
        "date": "2026-11-24 03:00 UTC",
        "command": "./dev bench --quick",
        "mode": "quick",
        "elapsed_seconds": 60.0,
        "options": {"seconds": 3.0, "repeats": 1, "read_connections": 4, "publish_rate": 10.0},
        "machine": {
            "cpu": "x",
            "cores": 2,
            "ram_gib": 4.0,
            "os": "Linux",
            "python": "3.11",
            "sqlite": "3.40",
            "packages": dict.fromkeys(
                (
                    "fastapi",
                    "starlette",
                    "pydantic",
                    "uvicorn",
                    "uvloop",
                    "httptools",
                    "sqlalchemy",
                    "sqlmodel",
                    "psycopg",
                ),
                "1",
            ),
        },
        "wrk": "wrk 4.1.0",
        "writes": {"orders": 10, "events": 50, "skipped": ["PostgreSQL: no URL given"], "rows": []},
    }
    write_results(target, results)
    write_results(target, results)
    text = target.read_text()
    assert text.count(BEGIN) == 1
    assert text.count(END) == 1
    assert "## Estimate accuracy\n\nMAE 12 min." in text
    assert "not measured: PostgreSQL: no URL given" in text


def test_a_receiver_comes_back_on_the_port_it_was_registered_on(tmp_path: Path) -> None:
    port = free_port()
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"http://127.0.0.1:{port}/hooks", content=b"{}")
    args = ["--endpoints", "1", "--port", str(port)]
    with helper("bench.webhook_receiver", args, tmp_path / "back.json") as receiver:
        assert receiver.ready() == [str(port)]
        sent = time.monotonic()
        answer = httpx.post(f"http://127.0.0.1:{port}/hooks", content=b"{}", headers={"webhook-id": "42"})
        assert answer.status_code == 204
        found = receiver.finish()
    ((endpoint, webhook_id, arrived),) = found["deliveries"]
    assert (endpoint, webhook_id) == (0, "42")
    assert found["listening_since"] <= sent <= arrived


def test_recovery_figures_are_written_beside_the_other_sections(tmp_path: Path) -> None:
    target = tmp_path / "RESULTS.md"
    target.write_text("# nextdesk benchmark results\n\n## Estimate accuracy\n\nMAE 12 min.\n")
    row = {
        "outage_seconds": 60.0,
        "measured_outage_seconds": 60.5,
        "write_rate": 5.0,
        "events_pending": 600,
        "first_delivery_seconds": 0.2,
        "recovery_seconds": 9.5,
        "drain_per_second": 63.2,
        "missing": 0,
        "goal_seconds": 15.0,
        "goal_met": True,
        "service_cpu_seconds": 6.0,
        "service_cpu_share": 0.63,
        "load_average": 1.5,
        "cores": 2,
    }
    results = {"date": "2026-12-02 02:00 UTC", "command": "./dev bench --scenarios recovery", "recovery": row}
    write_recovery(target, results)
    write_recovery(target, results)
    text = target.read_text()
    assert text.count(RECOVERY_BEGIN) == 1
    assert text.count(RECOVERY_END) == 1
    assert "## Estimate accuracy\n\nMAE 12 min." in text
    assert "| 60 s | 600 | 0.2 s | 9.5 s | 63 | 0 | yes |" in text


def test_drain_figures_on_postgresql_are_written_per_worker_count(tmp_path: Path) -> None:
    target = tmp_path / "RESULTS.md"
    target.write_text("# nextdesk benchmark results\n\n## Notes\n\nkept\n")
    side = {"per_second": 1500.0, "seconds": 33.3, "missing": 0, "service_cpu_seconds": 20.0}
    side["cpu_ms_per_delivery"] = 0.4
    side["endpoint_in_flight"] = 8
    side["receivers_cpu_seconds"] = 7.5
    pg = [
        {**side, "workers": 1, "per_second": 800.0, "seconds": 62.5, "load_average": 2.0},
        {**side, "workers": 2, "per_second": 1200.0, "seconds": 41.7, "load_average": 3.0},
    ]
    drain = {
        "events": 5000,
        "endpoints": 10,
        "deliveries": 50000,
        "service": side,
        "baseline": {**side, "per_second": 350.0},
        "ratio": 4.3,
        "goal_per_second": 1000.0,
        "goal_met": True,
        "load_average": 1.0,
        "cores": 2,
        "postgres": pg,
    }
    results = {"date": "2026-12-02 13:00 UTC", "command": "./dev bench --scenarios drain", "drain": drain}
    write_drain(target, results)
    write_drain(target, results)
    text = target.read_text()
    assert text.count(DRAIN_BEGIN) == 1
    assert text.count(DRAIN_END) == 1
    assert "## Notes\n\nkept" in text
    assert "0.40 ms a delivery (the receivers, in their own process, 7.5 s)" in text
    assert "| 1 | 800 | 1.00 | 62.5 s | 0 | 0.40 ms | 2.0 |" in text
    assert "| 2 | 1,200 | 1.50 | 41.7 s | 0 | 0.40 ms | 3.0 |" in text

    write_drain(target, {**results, "drain": {**drain, "postgres": [], "postgres_not_measured": "no URL"}})
    assert "PostgreSQL: not measured (no URL)." in target.read_text()
