"""Driving Debian's wrk: one load generator thread, a Lua script per scenario, JSON figures back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

LUA = Path(__file__).with_name("lua")
RESULT_MARK = "BENCH_RESULT "


class WrkMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class WrkRun:
    """One wrk run's figures; latencies in milliseconds."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ensure_wrk() -> str:
    """Find wrk; as root on Debian, install it; otherwise say how."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing Debian's wrk ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env)
        found = shutil.which("wrk")
        if found:
            return found
    raise WrkMissing("wrk is not installed: run `sudo apt-get install -y wrk` (Debian/Ubuntu), then retry")


def wrk_version(binary: str) -> str:
    # wrk has no --version; its usage text starts with the version line.
    result = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    text = (result.stdout or result.stderr).strip().splitlines()
    return text[0].split(" [")[0] if text else "unknown"


def parse_result(output: str) -> WrkRun:
    for line in output.splitlines():
        if line.startswith(RESULT_MARK):
            raw = json.loads(line[len(RESULT_MARK) :])
            seconds = raw["duration_us"] / 1e6
            lat = raw["latency_us"]
            return WrkRun(
                requests=raw["requests"],
                seconds=seconds,
                rps=raw["requests"] / seconds if seconds else 0.0,
                p50_ms=lat["p50"] / 1000,
                p90_ms=lat["p90"] / 1000,
                p99_ms=lat["p99"] / 1000,
                max_ms=lat["max"] / 1000,
                errors={k: int(v) for k, v in raw["errors"].items()},
            )
    raise RuntimeError(f"wrk printed no result line; its output was:\n{output[-2000:]}")


def run_wrk(
    binary: str,
    url: str,
    script: str,
    args: list[str],
    *,
    connections: int,
    seconds: float,
    threads: int = 1,
) -> WrkRun:
    """Run wrk against ``url`` (127.0.0.1 only) with ``lua/<script>.lua`` and the shared report."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the harness loads servers on 127.0.0.1 only")
    source = (LUA / f"{script}.lua").read_text() + "\n" + (LUA / "report.lua").read_text()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(source)
        path = handle.name
    try:
        command = [
            binary,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            path,
            url,
        ]
        if args:
            command += ["--", *args]
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
    finally:
        os.unlink(path)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout}")
    return parse_result(result.stdout)
