"""The accuracy figures, from what the service said during a run and what really happened."""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.simulate.runner import RunRecord

HEADING = "## Estimate accuracy"


@dataclass(frozen=True)
class Figures:
    orders: int
    warmup_orders: int
    stage_starts: int
    broken_promises: int
    #: (1) broken promises the service had flagged at risk before the promised time, and still
    #: flagged then (a flag withdrawn before the promise does not count).
    flagged_before_promise: float
    median_lead_hours: float | None
    #: Orders that kept their promise but were flagged at risk on the way (the price of (1)).
    false_alarms: float
    #: (2) share of stage starts whose order finished by the latest_at said at that start.
    latest_coverage: float
    #: (3) median absolute error of likely_at, at each stage start.
    likely_median_abs_error_hours: float
    likely_error_by_flow_hours: dict[str, float]
    coverage_by_flow: dict[str, float]
    overdue_events: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _last_flag_before(events: list[tuple[datetime, str]], moment: datetime) -> datetime | None:
    """When the order's current at-risk stretch began, if it was at risk just before ``moment``."""
    before = [e for e in events if e[0] < moment]
    if not before or before[-1][1] != "order.at_risk":
        return None
    return before[-1][0]


def figures(record: RunRecord, warmup_orders: int = 0) -> Figures:
    """Figures over the orders after the first ``warmup_orders``: while the first stages are
    still finishing, what has finished is the quick part of the history, which says too little."""
    measured = list(record.outcomes.values())[warmup_orders:]
    outcomes = measured
    finished = {o.plan.reference: o.finished_at for o in outcomes if o.finished_at is not None}
    broken = [o for o in outcomes if o.finished_at is not None and o.finished_at > o.plan.promised_at]
    leads: list[float] = []
    for outcome in broken:
        flagged_at = _last_flag_before(
            record.risk_events.get(outcome.plan.reference, []), outcome.plan.promised_at
        )
        if flagged_at is not None:
            leads.append((outcome.plan.promised_at - flagged_at).total_seconds())
    kept = [o for o in outcomes if o.finished_at is not None and o.finished_at <= o.plan.promised_at]
    alarmed = [o for o in kept if record.risk_events.get(o.plan.reference)]

    covered: dict[str, list[bool]] = {}
    errors: dict[str, list[float]] = {}
    for start in record.starts:
        end = finished.get(start.reference)
        if end is None:
            continue
        covered.setdefault(start.flow, []).append(end <= start.latest_at)
        errors.setdefault(start.flow, []).append(abs((end - start.likely_at).total_seconds()))
    all_covered = [c for cs in covered.values() for c in cs]
    all_errors = [e for es in errors.values() for e in es]
    return Figures(
        orders=len(measured),
        warmup_orders=warmup_orders,
        stage_starts=len(all_covered),
        broken_promises=len(broken),
        flagged_before_promise=round(len(leads) / len(broken), 4) if broken else 1.0,
        median_lead_hours=_hours(statistics.median(leads)) if leads else None,
        false_alarms=round(len(alarmed) / len(kept), 4) if kept else 0.0,
        latest_coverage=round(sum(all_covered) / len(all_covered), 4) if all_covered else 0.0,
        likely_median_abs_error_hours=_hours(statistics.median(all_errors)) if all_errors else 0.0,
        likely_error_by_flow_hours={f: _hours(statistics.median(e)) for f, e in sorted(errors.items())},
        coverage_by_flow={f: round(sum(c) / len(c), 4) for f, c in sorted(covered.items())},
        overdue_events=record.event_counts.get("stage.overdue", 0),
    )


def markdown(result: Figures, *, command: str, workload: list[str], seconds: float, when: str) -> str:
    def pct(value: float) -> str:
        return f"{value * 100:.1f}%"

    flagged_ok = "met" if result.flagged_before_promise >= 0.95 else "NOT met"
    coverage_ok = "met" if 0.87 <= result.latest_coverage <= 0.93 else "NOT met"
    lead = f"{result.median_lead_hours} h" if result.median_lead_hours is not None else "n/a"
    by_flow = "; ".join(
        f"`{flow}`: coverage {pct(result.coverage_by_flow[flow])}, likely error {hours} h"
        for flow, hours in result.likely_error_by_flow_hours.items()
    )
    lines = [
        HEADING,
        "",
        f"Measured {when} with (seed fixed, same figures on every run):",
        "",
        "```sh",
        command,
        "```",
        "",
        "A synthetic workload replayed through the API itself (in-process app, manual clock, a SQLite",
        "file); each figure is what the service said at the time against what then happened.",
        "",
        "| figure | result | goal |",
        "|---|---|---|",
        f"| broken promises flagged at risk before the promised time (and still flagged then) | "
        f"{pct(result.flagged_before_promise)} of {result.broken_promises} | >= 95% ({flagged_ok}) |",
        f"| median lead of that flag before the promise | {lead} | |",
        "| coverage of `latest_at` (order finished by it, measured at each of "
        f"{result.stage_starts} stage starts) | {pct(result.latest_coverage)} | 87-93% ({coverage_ok}) |",
        "| median absolute error of `likely_at` at each stage start | "
        f"{result.likely_median_abs_error_hours} h | |",
        f"| kept promises flagged at risk on the way (false alarms) | {pct(result.false_alarms)} | |",
        f"| `stage.overdue` events raised | {result.overdue_events} | |",
        "",
        f"By flow: {by_flow}. Measured over {result.orders} orders after the first {result.warmup_orders}, "
        "whose stages finish while the history is still young: the first finishes of a stage are its "
        f"quick ones, so estimates learned from them run short for a while. The run took {seconds:.0f} s.",
        "",
        "Workload:",
        "",
        *workload,
        "",
        "Calibration (see docs/estimates.md): the plan is read as a lognormal with the plan as median",
        "and a 90th percentile of 2x the plan (`PLAN_LATEST_FACTOR`); learned durations are the",
        "window's median and 90th percentile (20 finishes needed); spreads (latest minus likely) of",
        "consecutive stages add as `(a^p + b^p)^(1/p)` with p = 1.2 (`SPREAD_POWER`; 2, quadrature,",
        "covered only about 86% of the repair flow), parallel branches join by Clark's approximation;",
        "a technician's revised finish gets a spread of a quarter of its horizon, at least 15 min",
        "(`REVISION_SPREAD`); a stage that outlasts its estimate steps to its conditional median and",
        "90th percentile.",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace (or add) this section of the results file, leaving every other section alone."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n")
