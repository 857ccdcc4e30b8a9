"""A scenario and its baseline, measured turn about in the same run, summarised as medians."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bench.context import Context
from bench.stats import median, ratio
from bench.wrk import WrkJob, WrkRun, run_wrk, run_wrk_together


def summarise(runs: list[WrkRun]) -> dict[str, Any]:
    return {
        "rps": median([r.rps for r in runs]),
        "p50_ms": median([r.p50_ms for r in runs]),
        "p99_ms": median([r.p99_ms for r in runs]),
        "requests": sum(r.requests for r in runs),
        "errors": sum(r.failed for r in runs),
        "runs": [r.as_dict() for r in runs],
    }


def paired(
    ctx: Context,
    *,
    service_url: str,
    script: str,
    args: list[str],
    baseline_url: str,
    connections: int,
) -> dict[str, Any]:
    """Alternate baseline and service runs, so a noisy neighbour hits both alike."""
    return _alternate(
        ctx,
        baseline_url=baseline_url,
        connections=connections,
        service=lambda seconds: run_wrk(
            ctx.wrk, service_url, script, args, connections=connections, seconds=seconds
        ),
    )


def paired_replicas(
    ctx: Context, *, service: Sequence[WrkJob], baseline_url: str, connections: int
) -> dict[str, Any]:
    """``paired`` for replicas behind an even load balancer: each service run is the ``service``
    jobs' wrk processes at the same time, merged (``bench.wrk.merge_runs``: rates summed, p50 the
    median of theirs, p99 the highest). The baseline stays one bare app driven by one wrk with all
    ``connections``."""
    return _alternate(
        ctx,
        baseline_url=baseline_url,
        connections=connections,
        service=lambda seconds: run_wrk_together(ctx.wrk, service, seconds=seconds),
    )


def _alternate(
    ctx: Context, *, baseline_url: str, connections: int, service: Callable[[float], WrkRun]
) -> dict[str, Any]:
    seconds = ctx.options.seconds
    # A short warm-up of each: connection pools, caches and the first-request costs.
    run_wrk(ctx.wrk, baseline_url + "/echo", "echo", [], connections=connections, seconds=1)
    service(1)
    service_runs: list[WrkRun] = []
    baseline: list[WrkRun] = []
    for _ in range(ctx.options.repeats):
        baseline.append(
            run_wrk(ctx.wrk, baseline_url + "/echo", "echo", [], connections=connections, seconds=seconds)
        )
        service_runs.append(service(seconds))
    svc, base = summarise(service_runs), summarise(baseline)
    return {
        "connections": connections,
        "service": svc,
        "baseline": base,
        "ratio_rps": ratio(svc["rps"], base["rps"]),
        "ratio_p99": ratio(svc["p99_ms"], base["p99_ms"]),
    }
