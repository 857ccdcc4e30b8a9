"""The accuracy figures, from what the service said during a run and what really happened."""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.domain.calendar import ALWAYS, WorkingCalendar
from app.domain.order_state import RISK_RULE, RiskRule
from app.simulate.runner import RunRecord
from app.simulate.workload import office_hours

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


#: At-risk thresholds the table compares: near its promise the service flags an order when the
#: chance of missing it, read from its estimate's spread, is above this (0.5: likely_at past the
#: promise); further ahead, when it is above the larger of this and the early level.
RISK_LEVELS: tuple[float, ...] = (0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8)


@dataclass(frozen=True)
class RiskRow:
    level: float
    flagged_before_promise: float
    median_lead_working_hours: float | None
    false_alarms: float
    #: Which rule was replayed, in words (the comparison of rules names them).
    rule: str = ""


def replay(
    record: RunRecord,
    rule: RiskRule,
    calendar: WorkingCalendar,
    warmup_orders: int = 0,
    *,
    office: WorkingCalendar | None = None,
    label: str = "",
) -> RiskRow:
    """One rule replayed over every estimate the service published during the run. An order is
    judged at each estimate, when its promise comes within the rule's horizon, and just before it
    finished or its promise came; between those moments its estimate stood still. ``calendar`` is
    the one the rule reads risk in; leads are in working hours of ``office``."""
    office = office or calendar
    outcomes = [o for o in list(record.outcomes.values())[warmup_orders:] if o.finished_at is not None]
    by_reference: dict[str, list[tuple[datetime, datetime, datetime]]] = {}
    for reference, points in record.estimates.items():
        by_reference.setdefault(reference, []).extend(points)
    for start in record.starts:
        by_reference.setdefault(start.reference, []).append((start.at, start.likely_at, start.latest_at))
    broken = flagged = alarmed = kept = 0
    leads: list[float] = []
    for outcome in outcomes:
        promised = outcome.plan.promised_at
        assert outcome.finished_at is not None
        end = min(promised, outcome.finished_at)
        points = sorted(p for p in by_reference.get(outcome.plan.reference, []) if p[0] < end)
        moments = {p[0] for p in points}
        if points:
            extra = (rule.horizon_starts(promised, calendar), end - timedelta(seconds=1))
            moments |= {m for m in extra if points[0][0] <= m < end}
        judged: list[tuple[datetime, bool]] = []
        index = 0
        for moment in sorted(moments):
            while index + 1 < len(points) and points[index + 1][0] <= moment:
                index += 1
            _, likely, latest = points[index]
            judged.append((moment, rule.at_risk(likely, latest, promised, moment, calendar)))
        if outcome.finished_at > promised:
            broken += 1
            if judged and judged[-1][1]:
                flagged += 1
                stretch = len(judged) - 1
                while stretch > 0 and judged[stretch - 1][1]:
                    stretch -= 1
                leads.append(office.between(judged[stretch][0], promised) / 60)
        else:
            kept += 1
            alarmed += any(flag for _, flag in judged)
    return RiskRow(
        level=rule.level,
        flagged_before_promise=round(flagged / broken, 4) if broken else 1.0,
        median_lead_working_hours=round(statistics.median(leads), 1) if leads else None,
        false_alarms=round(alarmed / kept, 4) if kept else 0.0,
        rule=label,
    )


def risk_table(
    record: RunRecord,
    warmup_orders: int = 0,
    levels: tuple[float, ...] = RISK_LEVELS,
    calendar: WorkingCalendar | None = None,
) -> list[RiskRow]:
    """The service's rule replayed at each threshold (its early level and horizon as they are)."""
    calendar = calendar or office_hours()
    return [replay(record, replace(RISK_RULE, level=level), calendar, warmup_orders) for level in levels]


def rule_comparison(
    record: RunRecord, warmup_orders: int = 0, calendar: WorkingCalendar | None = None
) -> list[RiskRow]:
    """Why the rule is what it is: each of its parts added in turn, at the same threshold."""
    calendar = calendar or office_hours()
    level = RISK_RULE.level
    single = RiskRule(level=level, early_level=level, horizon_minutes=0)
    return [
        replay(
            record, single, ALWAYS, warmup_orders, office=calendar, label="chance in wall time, one level"
        ),
        replay(record, single, calendar, warmup_orders, label="chance in working time, one level"),
        replay(
            record, RISK_RULE, calendar, warmup_orders, label="... and the early level far from the promise"
        ),
    ]


def _row(label: str, row: RiskRow, coverage: float) -> str:
    lead = "n/a" if row.median_lead_working_hours is None else f"{row.median_lead_working_hours}"
    return (
        f"| {label} | {row.flagged_before_promise * 100:.1f}% | {lead} | "
        f"{row.false_alarms * 100:.1f}% | {coverage * 100:.1f}% |"
    )


def _meets(row: RiskRow) -> bool:
    return row.flagged_before_promise >= 0.95 and row.false_alarms <= 0.10


def risk_markdown(rows: list[RiskRow], coverage: float, comparison: list[RiskRow] | None = None) -> list[str]:
    rule = RISK_RULE
    header = (
        "broken promises flagged before it (>= 95%) | median warning lead, working hours "
        "| kept promises ever flagged (<= 10%) | `latest_at` coverage (87-93%) |"
    )
    lines = [
        f"| at-risk threshold near the promise (last {rule.horizon_minutes / 60:g} working hours; "
        f"further ahead the larger of it and {rule.early_level:g}) | {header}",
        "|---|---|---|---|---|",
        *(_row(f"{row.level:g}", row, coverage) for row in rows),
    ]
    both = [r.level for r in rows if _meets(r)]
    lines.append("")
    if both:
        lines.append(f"Thresholds meeting both goals: {', '.join(f'{b:g}' for b in both)}.")
    else:
        lines.append(
            "No threshold meets both goals in this world: catching 95% of broken promises costs "
            "more than 10% false alarms."
        )
    if comparison:
        lines += [
            "",
            f"The rule's parts, each added in turn, at threshold {rule.level:g}:",
            "",
            f"| rule | {header}",
            "|---|---|---|---|---|",
            *(_row(row.rule, row, coverage) for row in comparison),
        ]
    lines += [
        "",
        f"The service's rule (`RiskRule`): at risk when the chance of missing the promise, read in "
        f"working time of the calendar the order ends on, is above {rule.level:g} (`AT_RISK_LEVEL`) "
        f"within {rule.horizon_minutes / 60:g} working hours of the promise (`RISK_HORIZON_MINUTES`), "
        f"and above {rule.early_level:g} (`EARLY_RISK_LEVEL`) before that. Below {rule.level:g} near "
        "the promise, the broken promises whose likely finish passes it only in the last hours go "
        "unflagged: a promise the customer hears of breaking first is the failure nextdesk exists to "
        "prevent, so the warning goal comes first. Far from the promise a likely finish just past it is "
        "usually made up again: those early flags were most of the false alarms, and the early level "
        "drops them at the cost of lead (a flag raised early still needs the early level's certainty).",
    ]
    return lines


def markdown(
    result: Figures,
    *,
    command: str,
    workload: list[str],
    seconds: float,
    when: str,
    risk: list[RiskRow] | None = None,
    comparison: list[RiskRow] | None = None,
) -> str:
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
        *(
            [
                "At risk over its threshold, each replayed over every estimate published in the run "
                "(an order is judged at each estimate, when its promise comes near, and just before it "
                "finishes or its promise comes; leads in working hours of `default`):",
                "",
                *risk_markdown(risk, result.latest_coverage, comparison),
                "",
            ]
            if risk
            else []
        ),
        *(
            [
                "`latest_at` covers less than the goal over these orders: their estimates were "
                "learned while the history was still young (see below), or the spreads "
                "(`SPREAD_POWER`, `PLAN_LATEST_FACTOR`) are too narrow for this world.",
                "",
            ]
            if result.latest_coverage < 0.87
            else []
        ),
        f"By flow: {by_flow}. Measured over {result.orders} orders after the first {result.warmup_orders}. "
        "A stage's learned window starts with its quick finishes (the slow ones that began with them "
        "are still running), so estimates learned from a young history run short; how long that lasts "
        "is wall-clock time, not a number of orders, and in office hours the same working minutes take "
        "3.4 times the wall time they took round the clock: the longest stages (parts, shipping) "
        "reach their true median and 90th percentile about 18 days in. Orders arriving before then "
        f"are left out. The run took {seconds:.0f} s.",
        "",
        "Workload:",
        "",
        *workload,
        "",
        "Calibration (see docs/estimates.md): durations are working minutes of the stage's calendar;",
        "the plan is read as a lognormal with the plan as median",
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
    # The section ends at the next heading, or at a marker another writer keeps before its own.
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |^<!-- |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n")
