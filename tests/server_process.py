"""`nextdesk serve` in a process of its own, as an operator runs it, for tests that kill it.

The server listens on a free port of 127.0.0.1 and reads only the settings given here (none from
the caller's environment, no ``.env``: it runs in the log's folder). It is ready once /healthz
answers. ``kill()`` sends SIGKILL: no shutdown handler runs, as after a crash or an OOM kill.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL, then wait until the process is gone and its port closed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, as an orderly shutdown; SIGKILL if it has not ended within 15 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start_server(
    database_url: str,
    log: Path,
    env: dict[str, str] | None = None,
    *,
    timeout: float = 30.0,
    args: Sequence[str] = (),
) -> ServerProcess:
    """Start `nextdesk serve` on ``database_url`` (migrating it first, as serve does) and wait
    until it answers; its stdout and stderr are appended to ``log``. ``args`` go to serve."""
    port = free_port()
    full_env = {name: value for name, value in os.environ.items() if not name.startswith("NEXTDESK_")}
    full_env |= {
        "NEXTDESK_DATABASE_URL": database_url,
        "NEXTDESK_GC_TUNING": "false",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    command = [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port), *args]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command, cwd=log.parent, env=full_env, stdout=output, stderr=subprocess.STDOUT
        )
    server = ServerProcess(url=f"http://127.0.0.1:{port}", process=process, log=log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"nextdesk serve exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1.0).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"nextdesk serve did not answer within {timeout:.0f} s:\n{server.log_tail()}")
        time.sleep(0.05)


@contextmanager
def running_server(
    database_url: str,
    log: Path,
    env: dict[str, str] | None = None,
    *,
    timeout: float = 30.0,
    args: Sequence[str] = (),
) -> Iterator[ServerProcess]:
    """A started server, killed on the way out if the test has not ended it already."""
    server = start_server(database_url, log, env, timeout=timeout, args=args)
    try:
        yield server
    finally:
        server.kill()
