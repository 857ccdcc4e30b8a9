"""The ETA of an order, computed over its stage DAG.

A stage's expected finish is the latest of its dependencies' expected finishes (or its real
start) plus its remaining duration; a technician's revision overrides the plan. Two figures
run side by side: "likely" (median durations) and "latest" (90th percentile).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.stage_machine import SATISFIED, StageStatus


class Basis(StrEnum):
    PLAN = "plan"
    LEARNED = "learned"
    REVISED = "revised"
    ACTUAL = "actual"


@dataclass(frozen=True)
class StageTiming:
    key: str
    depends_on: tuple[str, ...]
    status: StageStatus
    likely_minutes: float
    latest_minutes: float
    duration_basis: Basis = Basis.PLAN
    started_at: datetime | None = None
    finished_at: datetime | None = None
    revised_finish_at: datetime | None = None


@dataclass(frozen=True)
class StageEstimate:
    key: str
    likely_at: datetime
    latest_at: datetime
    basis: Basis
    #: The dependency whose finish held this stage back, if any.
    waits_for: str | None


@dataclass(frozen=True)
class Eta:
    likely_at: datetime | None
    latest_at: datetime | None
    basis: Basis
    critical_path: list[str] = field(default_factory=list)
    stages: dict[str, StageEstimate] = field(default_factory=dict)


def _estimate_stage(stage: StageTiming, deps: list[StageEstimate], now: datetime) -> StageEstimate:
    if stage.status in SATISFIED or stage.status is StageStatus.CANCELLED:
        finished = stage.finished_at or now
        return StageEstimate(stage.key, finished, finished, Basis.ACTUAL, None)

    likely_driver = max(deps, key=lambda d: d.likely_at, default=None)
    dep_likely = likely_driver.likely_at if likely_driver else None
    dep_latest = max((d.latest_at for d in deps), default=None)

    if stage.status in (StageStatus.IN_PROGRESS, StageStatus.BLOCKED) and stage.started_at is not None:
        start_likely = start_latest = stage.started_at
        waits_for = None
    else:
        start_likely = max(dep_likely, now) if dep_likely else now
        start_latest = max(dep_latest, now) if dep_latest else now
        waits_for = likely_driver.key if likely_driver and dep_likely and dep_likely > now else None

    if stage.revised_finish_at is not None:
        # The technician's word wins, but nothing finishes before it can start or in the past.
        likely = max(stage.revised_finish_at, start_likely, now)
        latest = max(stage.revised_finish_at, start_latest, now, likely)
        return StageEstimate(stage.key, likely, latest, Basis.REVISED, waits_for)

    likely = max(start_likely + timedelta(minutes=stage.likely_minutes), now)
    latest = max(start_latest + timedelta(minutes=stage.latest_minutes), now, likely)
    return StageEstimate(stage.key, likely, latest, stage.duration_basis, waits_for)


def compute_eta(stages: Sequence[StageTiming], order: Sequence[str], now: datetime) -> Eta:
    """Estimate every stage in topological ``order`` and the order as a whole."""
    by_key = {s.key: s for s in stages}
    estimates: dict[str, StageEstimate] = {}
    for key in order:
        stage = by_key[key]
        deps = [estimates[d] for d in stage.depends_on]
        estimates[key] = _estimate_stage(stage, deps, now)
    if not estimates:
        return Eta(None, None, Basis.PLAN)

    last = max(estimates.values(), key=lambda e: (e.likely_at, e.latest_at))
    latest_at = max(e.latest_at for e in estimates.values())
    path: list[str] = []
    cursor: StageEstimate | None = last
    while cursor is not None:
        path.append(cursor.key)
        cursor = estimates[cursor.waits_for] if cursor.waits_for else None
    path.reverse()

    open_on_path = [estimates[k].basis for k in path if estimates[k].basis is not Basis.ACTUAL]
    if Basis.REVISED in open_on_path:
        basis = Basis.REVISED
    elif Basis.LEARNED in open_on_path:
        basis = Basis.LEARNED
    elif open_on_path:
        basis = Basis.PLAN
    else:
        basis = Basis.ACTUAL
    return Eta(last.likely_at, latest_at, basis, path, estimates)
