"""`nextdesk serve --workers 2`: /metrics adds up what every worker served, whichever answers."""

from __future__ import annotations

from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.server_process import running_server

REQUESTS = 40


def served(metrics_text: str, route: str) -> float:
    """How many requests to ``route`` the exposition counts, over every method and status."""
    total = 0.0
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == "nextdesk_request_seconds_count" and sample.labels.get("route") == route:
                total += sample.value
    return total


def test_two_workers_report_the_requests_of_both(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    database_url = f"sqlite:///{tmp_path / 'desk.db'}"
    # TMPDIR shows where serve keeps the workers' metric files, and that it removes them at exit.
    env = {"TMPDIR": str(scratch)}
    with running_server(database_url, tmp_path / "serve.log", env, args=["--workers", "2"]) as server:
        # One connection per request, so the kernel hands them to both workers.
        for _ in range(REQUESTS):
            assert httpx.get(f"{server.url}/readyz", timeout=10).status_code == 200

        folders = list(scratch.glob("nextdesk-metrics-*"))
        assert len(folders) == 1
        workers_that_served = {path.stem.rsplit("_", 1)[1] for path in folders[0].glob("histogram_*.db")}
        assert len(workers_that_served) == 2, server.log_tail()

        # Each answer, from either worker, has the same total: the figures of both.
        for _ in range(6):
            answer = httpx.get(f"{server.url}/metrics", timeout=10)
            assert answer.status_code == 200
            assert served(answer.text, "/readyz") == REQUESTS

        server.stop()
        assert server.process.returncode is not None
    assert not list(scratch.glob("nextdesk-metrics-*"))


def test_one_worker_keeps_its_metrics_in_memory(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    database_url = f"sqlite:///{tmp_path / 'desk.db'}"
    with running_server(database_url, tmp_path / "serve.log", {"TMPDIR": str(scratch)}) as server:
        for _ in range(5):
            assert httpx.get(f"{server.url}/readyz", timeout=10).status_code == 200
        answer = httpx.get(f"{server.url}/metrics", timeout=10)
        assert served(answer.text, "/readyz") == 5
        # The single-process registry also reports the process itself, as before.
        assert "process_cpu_seconds_total" in answer.text
        assert not list(scratch.glob("nextdesk-metrics-*"))
