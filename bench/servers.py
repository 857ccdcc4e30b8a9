"""Servers under test, started as a user starts them: uvicorn with an app factory, in a child
process, on 127.0.0.1. The service and the baseline get exactly the same flags."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

SERVICE_FACTORY = "app.main:create_app"
BASELINE_FACTORY = "bench.baseline:create_app"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def uvicorn_command(factory: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", factory, "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "2",
    ]  # fmt: skip


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    workers: int

    def pids(self) -> list[int]:
        """The processes that serve requests: the worker(s), not uvicorn's supervisor."""
        if self.workers == 1:
            return [self.process.pid]
        return _children(self.process.pid)

    def peak_rss_mb(self) -> float:
        """Peak resident memory (VmHWM) of the serving process(es), summed, in MiB."""
        return sum(_status_kb(pid, "VmHWM") for pid in self.pids()) / 1024

    def rss_mb(self) -> float:
        return sum(_status_kb(pid, "VmRSS") for pid in self.pids()) / 1024

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the serving process(es) have used so far, summed."""
        return sum(_cpu_seconds(pid) for pid in self.pids())


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


@contextmanager
def serve(
    factory: str, *, env: dict[str, str], workers: int = 1, health: str = "/healthz", log: Path | None = None
) -> Iterator[Server]:
    port = free_port()
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        uvicorn_command(factory, port, workers), cwd=ROOT, env=full_env, stdout=output, stderr=output
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, workers=workers)
    try:
        _wait_ready(server, health)
        yield server
    finally:
        _stop(process)
        if log:
            output.close()  # type: ignore[union-attr]


@contextmanager
def serve_replicas(
    factory: str, *, env: dict[str, str], replicas: int, health: str = "/healthz", log: Path | None = None
) -> Iterator[list[Server]]:
    """``replicas`` separate servers of one worker each, every one on its own port, as a deployment
    runs them behind a load balancer; started one after another (so no two run their startup at
    once) and stopped together. Replica i logs to ``log`` with ``-r<i>`` before its suffix."""
    if replicas < 1:
        raise ValueError("at least one replica")
    with ExitStack() as stack:
        servers: list[Server] = []
        for i in range(replicas):
            own_log = log.with_name(f"{log.stem}-r{i}{log.suffix}") if log and replicas > 1 else log
            servers.append(stack.enter_context(serve(factory, env=env, health=health, log=own_log)))
        yield servers


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_ready(server: Server, health: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.url}: the server exited with {server.process.returncode}")
        try:
            if httpx.get(server.url + health, timeout=1.0).status_code == 200:
                if server.workers == 1 or len(server.pids()) >= server.workers:
                    return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{server.url}: not ready after {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
