"""The ETA of an order, computed over its stage DAG.

A stage's expected finish is the latest of its dependencies' expected finishes (or the moment
it became ready) plus its duration; a technician's revision overrides the model until the
revised moment passes unmet. Two figures run side by side: "likely" (the median) and "latest"
(the 90th percentile).

The latest finish of a chain is not the sum of each stage's 90th percentile, which would be
far more than a 90th percentile of the total. A stage's spread (latest minus likely) is
combined with the spread of its start in quadrature, as for independent errors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import NormalDist

from app.domain.calendar import ALWAYS, WorkingCalendar
from app.domain.durations import Z90, Basis, DurationModel
from app.domain.stage_machine import SATISFIED, StageStatus

__all__ = ["Basis", "Eta", "StageEstimate", "StageTiming", "compute_eta", "revision_spread"]

#: A technician's revised finish is a good word, not a certainty: its latest allows this share of
#: the time between the revision and the revised finish on top (see `nextdesk simulate`).
REVISION_SPREAD = 0.25
#: ... and never less than this, so a revision "in ten minutes" still has room.
REVISION_MIN_SPREAD = timedelta(minutes=15)

_NORMAL = NormalDist()
#: How the spreads (latest minus likely) of consecutive stages add up: 1 would add them (far too
#: wide), 2 in quadrature (right for symmetric, independent errors; too narrow for durations,
#: whose long right tails add up faster: it covered about 86% of a five-stage flow). Calibrated
#: with `nextdesk simulate`.
SPREAD_POWER = 1.2

#: Statuses in which a stage has a queue position or work under way, counted from ready.
_STARTED_CLOCK = frozenset({StageStatus.READY, StageStatus.IN_PROGRESS, StageStatus.BLOCKED})


@dataclass(frozen=True)
class StageTiming:
    key: str
    depends_on: tuple[str, ...]
    status: StageStatus
    duration: DurationModel
    ready_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    revised_finish_at: datetime | None = None
    #: When the technician gave the revision: its spread grows with how far ahead it looked.
    revised_at: datetime | None = None
    #: Durations are working minutes of this calendar; finishes fall inside its working time.
    calendar: WorkingCalendar = ALWAYS


@dataclass(frozen=True)
class StageEstimate:
    key: str
    likely_at: datetime
    latest_at: datetime
    basis: Basis
    #: The dependency whose finish held this stage back, if any.
    waits_for: str | None
    #: When this estimate changes by time alone (the next step of the model, or a revision
    #: lapsing); None when only an update can change it.
    changes_at: datetime | None = None


@dataclass(frozen=True)
class Eta:
    likely_at: datetime | None
    latest_at: datetime | None
    basis: Basis
    critical_path: list[str] = field(default_factory=list)
    stages: dict[str, StageEstimate] = field(default_factory=dict)

    @property
    def changes_at(self) -> datetime | None:
        moments = [s.changes_at for s in self.stages.values() if s.changes_at is not None]
        return min(moments, default=None)


def revision_spread(revised_finish: datetime, revised_at: datetime | None) -> timedelta:
    horizon = revised_finish - revised_at if revised_at is not None else timedelta(0)
    return max(horizon * REVISION_SPREAD, REVISION_MIN_SPREAD)


def _spread(start_spread: float, own_spread: float) -> float:
    """Working minutes between likely and latest, from the start's spread and the stage's own."""
    a, b = max(start_spread, 0.0), max(own_spread, 0.0)
    return float((a**SPREAD_POWER + b**SPREAD_POWER) ** (1 / SPREAD_POWER))


def _latest_of_all(deps: list[StageEstimate], start_likely: datetime) -> datetime:
    """The 90th percentile of the moment every dependency is done.

    The later of two uncertain moments is later than either's own percentile suggests: each
    dependency is read as a normal variable (median likely, 90th percentile latest) and their
    maximum approximated by Clark's moments, which is what the latest start should cover.
    """
    if not deps:
        return start_likely
    mean = (deps[0].likely_at - start_likely).total_seconds()
    var = ((deps[0].latest_at - deps[0].likely_at).total_seconds() / Z90) ** 2
    for dep in deps[1:]:
        m2 = (dep.likely_at - start_likely).total_seconds()
        v2 = ((dep.latest_at - dep.likely_at).total_seconds() / Z90) ** 2
        a = math.sqrt(var + v2)
        if a == 0:
            mean, var = max(mean, m2), 0.0
            continue
        alpha = (mean - m2) / a
        cdf, pdf = _NORMAL.cdf(alpha), _NORMAL.pdf(alpha)
        first = mean * cdf + m2 * (1 - cdf) + a * pdf
        second = (mean**2 + var) * cdf + (m2**2 + v2) * (1 - cdf) + (mean + m2) * a * pdf
        mean, var = first, max(second - first**2, 0.0)
    clark = start_likely + timedelta(seconds=mean + Z90 * math.sqrt(var))
    return max([clark, *(d.latest_at for d in deps)])


def _to_minute(moment: datetime) -> datetime:
    """Up to the next whole minute: an estimate is not precise to the second, and must not
    pretend to be; rounding up never puts it before the moment it stands for."""
    if moment.second == 0 and moment.microsecond == 0:
        return moment
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


def _estimate_stage(stage: StageTiming, deps: list[StageEstimate], now: datetime) -> StageEstimate:
    if stage.status in SATISFIED or stage.status is StageStatus.CANCELLED:
        finished = stage.finished_at or now
        return StageEstimate(stage.key, finished, finished, Basis.ACTUAL, None)

    driver = max(deps, key=lambda d: d.likely_at, default=None)
    if stage.status in _STARTED_CLOCK:
        # Its clock runs from when it became ready; what it waited on is done.
        anchor = stage.ready_at or stage.started_at or now
        start_likely = start_latest = anchor
        waits_for = None
    else:
        start_likely = max(driver.likely_at, now) if driver else now
        start_latest = max(_latest_of_all(deps, start_likely), start_likely)
        anchor = start_likely
        waits_for = driver.key if driver and driver.likely_at > now else None
    cal = stage.calendar
    start_spread = cal.between(start_likely, start_latest)

    revised = stage.revised_finish_at
    if revised is not None and revised > now:
        # The technician's word wins while it still stands; nothing finishes before it can start,
        # and nothing finishes while the stage's calendar is closed: a finish "by 20:00" of work
        # done in office hours is, for the customer, the next opening.
        likely = max(revised, start_likely)
        if not cal.is_working(likely):
            likely = cal.next_opening(likely)
        horizon = cal.between(stage.revised_at, revised) if stage.revised_at is not None else 0.0
        own = max(horizon * REVISION_SPREAD, REVISION_MIN_SPREAD.total_seconds() / 60)
        latest = _to_minute(cal.add(likely, _spread(start_spread, own)))
        return StageEstimate(stage.key, likely, latest, Basis.REVISED, waits_for, revised)

    # No revision, or one whose moment passed unmet: back to what history (or the plan) says.
    elapsed = cal.between(anchor, now) if stage.status in _STARTED_CLOCK else 0.0
    step = stage.duration.estimate(elapsed)
    likely = _to_minute(cal.add(anchor, step.likely_minutes))
    latest = _to_minute(cal.add(likely, _spread(start_spread, step.latest_minutes - step.likely_minutes)))
    changes_at = cal.add(anchor, step.changes_after_minutes) if stage.status in _STARTED_CLOCK else None
    return StageEstimate(stage.key, likely, latest, stage.duration.basis, waits_for, changes_at)


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
