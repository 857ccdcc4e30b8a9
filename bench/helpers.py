"""Load clients in their own processes (SSE subscribers, webhook receivers), so their CPU is
not the server's: started, waited for until READY, stopped with a line on stdin."""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.servers import ROOT


class Helper:
    def __init__(self, module: str, args: list[str], out: Path) -> None:
        self.module = module
        self.out = out
        out.unlink(missing_ok=True)
        self.process: subprocess.Popen[str] = subprocess.Popen(
            [sys.executable, "-m", module, *args, "--out", str(out)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ready(self, timeout: float = 120.0) -> list[str]:
        """Wait for the READY line and return the words after it."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if readable:
                line = self.process.stdout.readline()
                if line.startswith("READY"):
                    return line.split()[1:]
                if not line and self.process.poll() is not None:
                    break
        stderr = ""
        if self.process.poll() is not None and self.process.stderr is not None:
            stderr = self.process.stderr.read()
        raise RuntimeError(f"{self.module}: never ready. {stderr[-1000:]}")

    def count(self) -> int:
        """Ask a helper how many arrivals (events, attempts) it has counted so far."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline().split()[1])

    def finish(self) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write("stop\n")
        self.process.stdin.flush()
        self.process.wait(timeout=60)
        result: dict[str, Any] = json.loads(self.out.read_text())
        return result

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextmanager
def helper(module: str, args: list[str], out: Path) -> Iterator[Helper]:
    running = Helper(module, args, out)
    try:
        yield running
    finally:
        running.kill()
