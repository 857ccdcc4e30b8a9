"""`nextdesk serve` as a person starts it: its own process, a SQLite file in a folder of its own,
a free port on 127.0.0.1; what it printed is kept for the test to read."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
#: The `nextdesk` command of the environment the tests run in.
NEXTDESK = Path(sys.executable).parent / "nextdesk"


@dataclass(frozen=True)
class Served:
    url: str
    port: int
    folder: Path
    env: dict[str, str]
    log: Path

    @property
    def output(self) -> str:
        return self.log.read_text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def command_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a person's shell in ``folder``: the database is the folder's own file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXTDESK_")}
    env.update(
        NEXTDESK_DATABASE_URL=f"sqlite:///{folder / 'nextdesk.db'}",
        NEXTDESK_COOKIE_SECURE="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@contextmanager
def nextdesk_serve(folder: Path, *args: str, timeout: float = 60.0, **extra_env: str) -> Iterator[Served]:
    port = free_port()
    env = command_env(folder, **extra_env)
    log = folder / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(NEXTDESK), "serve", "--port", str(port), *args],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nextdesk serve stopped at start:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"nextdesk serve did not answer in {timeout} s:\n{log.read_text()}")
            time.sleep(0.1)
        yield Served(url=url, port=port, folder=folder, env=env, log=log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
