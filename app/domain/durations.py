"""How long a stage takes, as a distribution, and what it says once the stage has been running.

A stage's duration is measured from the moment it became ready to the moment it finished
(ready -> finished): what the desk needs is when a stage that *could* start will be done, and the
wait in a department's queue is as real to the customer as the work. The plan's duration is read
the same way.

Estimates given elapsed time move in steps, not continuously. At checkpoint k the stage is
known to have outlasted the quantile ``1 - 2**-k`` of its distribution (k=0: nothing known);
its conditional median is then exactly the next checkpoint's quantile, so "likely" is always
the next checkpoint, lies in the future, and changes only when that moment passes. An order's
ETA is therefore constant between known instants, which is what lets the sweeper look only at
orders whose next instant has come instead of recomputing every open order on every tick.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import NormalDist

from app.domain.calendar import ALWAYS, WorkingCalendar

_NORMAL = NormalDist()
#: z of the 90th percentile: the "latest" estimate everywhere.
Z90 = _NORMAL.inv_cdf(0.9)
LATEST_LEVEL = 0.9
#: Beyond this checkpoint the tail of any fitted distribution says little; steps become geometric.
MAX_CHECKPOINT = 12
GEOMETRIC_STEP = 1.25
#: Empirical quantiles are used up to the level with this many samples beyond it; past it, the
#: fitted lognormal carries on from there (a window cannot say what it has not seen).
TAIL_SAMPLES = 1
#: Every figure is at least a minute: estimates are to the minute, and a stage an ERP closes the
#: moment it becomes ready (a recorded duration of 0) must still give a duration to divide by.
MIN_MINUTES = 1.0
#: ... and at most a year (the longest plan a flow may state): beyond that a figure says nothing.
MAX_MINUTES = 365 * 24 * 60.0
#: A 90th percentile more than this many times the median is read as this many: wider says no more.
MAX_SPREAD_RATIO = 1000.0


class Basis(StrEnum):
    PLAN = "plan"
    LEARNED = "learned"
    REVISED = "revised"
    ACTUAL = "actual"


@dataclass(frozen=True)
class StepEstimate:
    """A stage's total duration (from ready), given how long it has already taken."""

    likely_minutes: float
    latest_minutes: float
    #: The elapsed time at which this estimate is replaced by the next: equal to likely.
    changes_after_minutes: float


@dataclass(frozen=True)
class DurationModel:
    """A duration distribution: a lognormal (the plan), or recent history with a lognormal tail."""

    basis: Basis
    median: float
    sigma: float
    #: Sorted durations in minutes; empty for the plan.
    samples: tuple[float, ...] = field(default=(), repr=False)

    @classmethod
    def planned(cls, planned_minutes: float, latest_factor: float) -> DurationModel:
        """The plan read as a lognormal whose median is the plan and whose 90th percentile is
        ``latest_factor`` times it."""
        return cls(Basis.PLAN, _clamp(planned_minutes), _sigma(latest_factor))

    @classmethod
    def learned(cls, durations: Sequence[float], basis: Basis = Basis.LEARNED) -> DurationModel:
        ordered = tuple(sorted(_clamp(d) for d in durations if not math.isnan(d)))
        if not ordered:
            raise ValueError("a learned duration needs at least one sample")
        median = _empirical(ordered, 0.5)
        p90 = max(_empirical(ordered, LATEST_LEVEL), median)
        return cls(basis, median, _sigma(p90 / median), ordered)

    # -- the distribution --------------------------------------------------------------------

    def _lognormal(self, p: float) -> float:
        return self.median * math.exp(self.sigma * _NORMAL.inv_cdf(p))

    def _trusted_level(self) -> float:
        n = len(self.samples)
        return 1.0 - TAIL_SAMPLES / n if n > TAIL_SAMPLES else 0.0

    def quantile(self, p: float) -> float:
        return _clamp(self._quantile(min(max(p, 1e-9), 1 - 1e-12)))

    def _quantile(self, p: float) -> float:
        if not self.samples:
            return self._lognormal(p)
        trusted = self._trusted_level()
        if p <= trusted:
            return _empirical(self.samples, p)
        # Past the last few samples, continue with the fitted lognormal's shape from there.
        if trusted <= 0:
            return self._lognormal(p)
        anchor = _empirical(self.samples, trusted)
        return anchor * self._lognormal(p) / self._lognormal(trusted)

    # -- what it says given elapsed time -----------------------------------------------------

    def estimate(self, elapsed_minutes: float) -> StepEstimate:
        """Likely (conditional median) and latest (conditional 90th percentile) total durations
        for a stage that has been running ``elapsed_minutes`` without finishing."""
        known = 0.0  # the quantile level the stage is known to have outlasted
        for checkpoint in range(MAX_CHECKPOINT + 1):
            next_level = 1.0 - (1.0 - known) / 2.0
            likely = self.quantile(next_level)
            if likely > elapsed_minutes:
                latest = max(self.quantile(1.0 - (1.0 - LATEST_LEVEL) * (1.0 - known)), likely)
                return StepEstimate(likely, latest, likely)
            if checkpoint < MAX_CHECKPOINT:
                known = next_level
        # Far beyond anything seen: grow by a fixed ratio per step, still piecewise constant.
        base = max(self.quantile(known), MIN_MINUTES)
        steps = math.floor(math.log(max(elapsed_minutes, base) / base, GEOMETRIC_STEP)) + 1
        likely = base * GEOMETRIC_STEP**steps
        while likely <= elapsed_minutes:  # floating point at the step's edge
            likely *= GEOMETRIC_STEP
        return StepEstimate(likely, likely * GEOMETRIC_STEP, likely)

    @property
    def likely_minutes(self) -> float:
        return self.quantile(0.5)

    @property
    def latest_minutes(self) -> float:
        return self.quantile(LATEST_LEVEL)


def _sigma(p90_over_median: float) -> float:
    return math.log(min(max(p90_over_median, 1.0001), MAX_SPREAD_RATIO)) / Z90


def _clamp(minutes: float) -> float:
    return min(max(minutes, MIN_MINUTES), MAX_MINUTES)


def _empirical(ordered: Sequence[float], p: float) -> float:
    """Linear interpolation between order statistics (the usual "type 7" estimator)."""
    n = len(ordered)
    if n == 1:
        return ordered[0]
    position = p * (n - 1)
    low = math.floor(position)
    high = min(low + 1, n - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


#: With only a plan there is no 90th percentile; the latest estimate allows this much over plan.
#: Plans are optimistic and blocks are not in them (calibrated with `nextdesk simulate`).
PLAN_LATEST_FACTOR = 2.0


@dataclass(frozen=True)
class StageDurations:
    """What one stage's duration looks like: in general, and once blocked for a given reason."""

    general: DurationModel
    by_reason: Mapping[str, DurationModel] = field(default_factory=dict)
    #: Durations are working minutes of this calendar.
    calendar: WorkingCalendar = ALWAYS

    def model(self, blocked_for: str | None) -> DurationModel:
        if blocked_for is not None and blocked_for in self.by_reason:
            return self.by_reason[blocked_for]
        return self.general
