"""Driving Debian's wrk: one load generator thread, a Lua script per scenario, JSON figures back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.stats import median

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
    #: The concurrent runs this one merges (``merge_runs``); empty for a single wrk process.
    parts: tuple[WrkRun, ...] = ()

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    def as_dict(self) -> dict[str, Any]:
        figures = asdict(self)
        if not self.parts:
            del figures["parts"]
        return figures


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


@dataclass(frozen=True)
class WrkJob:
    """One wrk process of a concurrent run: its target, script, script arguments and connections."""

    url: str
    script: str
    args: tuple[str, ...]
    connections: int


def _script_file(script: str) -> str:
    source = (LUA / f"{script}.lua").read_text() + "\n" + (LUA / "report.lua").read_text()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(source)
        return handle.name


def _command(binary: str, job: WrkJob, script_path: str, seconds: float, threads: int) -> list[str]:
    if not job.url.startswith("http://127.0.0.1:"):
        raise ValueError("the harness loads servers on 127.0.0.1 only")
    command = [
        binary,
        f"-t{threads}",
        f"-c{job.connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        script_path,
        job.url,
    ]
    if job.args:
        command += ["--", *job.args]
    return command


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
    job = WrkJob(url=url, script=script, args=tuple(args), connections=connections)
    path = _script_file(script)
    try:
        command = _command(binary, job, path, seconds, threads)
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
    finally:
        os.unlink(path)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout}")
    return parse_result(result.stdout)


def run_wrk_together(binary: str, jobs: Sequence[WrkJob], *, seconds: float, threads: int = 1) -> WrkRun:
    """Run one wrk process per job at the same time (each its own ``threads``), merged by ``merge_runs``.

    One job is exactly ``run_wrk``. Several are how replicas behind an even load balancer are
    loaded: each replica gets its own wrk and its own share of the connections.
    """
    if not jobs:
        raise ValueError("no wrk job to run")
    if len(jobs) == 1:
        job = jobs[0]
        return run_wrk(
            binary, job.url, job.script, list(job.args),
            connections=job.connections, seconds=seconds, threads=threads,
        )  # fmt: skip
    paths = [_script_file(job.script) for job in jobs]
    processes: list[subprocess.Popen[str]] = []
    try:
        pairs = zip(jobs, paths, strict=True)
        commands = [_command(binary, job, path, seconds, threads) for job, path in pairs]
        for command in commands:
            processes.append(
                subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            )
        outputs = [process.communicate(timeout=seconds + 60) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        for path in paths:
            os.unlink(path)
    runs: list[WrkRun] = []
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        if process.returncode != 0:
            raise RuntimeError(f"wrk failed ({process.returncode}): {stderr.strip() or stdout}")
        runs.append(parse_result(stdout))
    return merge_runs(runs)


def merge_runs(runs: Sequence[WrkRun]) -> WrkRun:
    """Concurrent runs as one: requests, rates and errors summed; p50 the median of the runs' p50s;
    p90, p99 and max the highest of the runs' (conservative: no run's tail is hidden by another's).
    The runs themselves are kept in ``parts``."""
    if len(runs) == 1:
        return runs[0]
    errors: dict[str, int] = {}
    for run in runs:
        for kind, count in run.errors.items():
            errors[kind] = errors.get(kind, 0) + count
    return WrkRun(
        requests=sum(r.requests for r in runs),
        seconds=max(r.seconds for r in runs),
        rps=sum(r.rps for r in runs),
        p50_ms=median([r.p50_ms for r in runs]),
        p90_ms=max(r.p90_ms for r in runs),
        p99_ms=max(r.p99_ms for r in runs),
        max_ms=max(r.max_ms for r in runs),
        errors=errors,
        parts=tuple(runs),
    )
