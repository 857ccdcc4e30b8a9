"""The synthetic workload `nextdesk simulate` replays: two flows, stated distributions, and each
order's fate drawn up front from one seeded generator.

The world works office hours: every department works by the `default` calendar (Asia/Jakarta,
Mon-Fri 08:00-17:00, Sat 08:00-12:00, Indonesian public holidays), so every duration below is
in working minutes of it, as the flows' plans are; orders arrive at any hour, and the desk
promises in working time. A stage waits in its department's queue (exponential), then takes its
work time (lognormal, given by median and sigma of its logarithm); some stages block for a
reason (lognormal by reason), some technicians revise their finish with a noisy guess, some
stages go silent (a technician says when the next word will come and then says nothing while
the work drags on), some are finished by a machine the instant they are ready, and some see
their cost estimate creep up in small steps.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.calendar import (
    ALWAYS,
    DEFAULT_KEY,
    DEFAULT_WEEK,
    WEEKDAYS,
    Period,
    WorkingCalendar,
    parse_clock,
)


def office_hours() -> WorkingCalendar:
    """The `default` calendar a fresh database has, as the simulated world works by it."""
    week = {
        WEEKDAYS.index(day): tuple(Period(parse_clock(a) or 0, parse_clock(b) or 0) for a, b in periods)
        for day, periods in DEFAULT_WEEK.items()
    }
    return WorkingCalendar(DEFAULT_KEY, ZoneInfo("Asia/Jakarta"), week, holiday_country="ID")


@dataclass(frozen=True)
class StageSpec:
    key: str
    department: str
    planned_minutes: int
    depends_on: tuple[str, ...]
    queue_mean: float
    work_median: float
    work_sigma: float
    block_reasons: tuple[str, ...]


@dataclass(frozen=True)
class FlowSpec:
    key: str
    name: str
    share: float
    stages: tuple[StageSpec, ...]

    def definition(self) -> dict[str, Any]:
        """The flow as `POST /v1/flows` takes it."""
        return {
            "key": self.key,
            "name": self.name,
            "stages": [
                {
                    "key": s.key,
                    "name": s.key.replace("_", " ").capitalize(),
                    "department": s.department,
                    "planned_minutes": s.planned_minutes,
                    "depends_on": list(s.depends_on),
                }
                for s in self.stages
            ],
        }

    def planned_path_minutes(self) -> int:
        finish: dict[str, int] = {}
        for s in self.stages:  # declared in dependency order
            finish[s.key] = max((finish[d] for d in s.depends_on), default=0) + s.planned_minutes
        return max(finish.values())


#: A chain with the standard flow's plan (a little off the truth, as plans are).
ASSEMBLY_LINE = FlowSpec(
    key="sim-assembly",
    name="Assembly line",
    share=0.5,
    stages=(
        StageSpec("assembly", "assembly", 480, (), 60, 420, 0.45, ("waiting_parts", "rework", "capacity")),
        StageSpec(
            "finance", "finance", 120, ("assembly",), 30, 100, 0.6, ("payment_pending", "customer_request")
        ),
        StageSpec("shipping", "shipping", 1440, ("finance",), 120, 1500, 0.35, ("carrier_delay",)),
    ),
)

#: A DAG: parts and the quote run side by side after diagnosis; the repair waits for both.
REPAIR = FlowSpec(
    key="sim-repair",
    name="Repair and return",
    share=0.5,
    stages=(
        StageSpec("diagnosis", "workshop", 240, (), 45, 200, 0.5, ("capacity", "customer_request")),
        StageSpec("parts", "purchasing", 2880, ("diagnosis",), 60, 2400, 0.6, ("waiting_parts",)),
        StageSpec(
            "quote", "finance", 60, ("diagnosis",), 30, 90, 0.7, ("payment_pending", "customer_request")
        ),
        StageSpec("repair", "workshop", 480, ("parts", "quote"), 60, 540, 0.4, ("rework", "waiting_parts")),
        StageSpec("shipping", "shipping", 1440, ("repair",), 120, 1500, 0.35, ("carrier_delay",)),
    ),
)

#: Median and sigma of how long a block lasts, by reason.
BLOCK_DURATIONS: dict[str, tuple[float, float]] = {
    "waiting_parts": (1440, 0.7),
    "rework": (300, 0.6),
    "capacity": (240, 0.6),
    "payment_pending": (720, 0.7),
    "customer_request": (900, 0.8),
    "carrier_delay": (1200, 0.6),
}


@dataclass(frozen=True)
class Workload:
    flows: tuple[FlowSpec, ...] = (ASSEMBLY_LINE, REPAIR)
    #: Mean minutes between two new orders (a Poisson stream).
    interarrival_minutes: float = 20.0
    block_probability: float = 0.15
    #: Share of blocks for which the technician gives a revised finish.
    block_revision_probability: float = 0.7
    #: Share of running stages whose technician revises the finish once, part-way.
    revision_probability: float = 0.1
    #: A technician's guess of the remaining time is the truth times lognormal(0, this).
    revision_noise_sigma: float = 0.3
    #: Stages that go silent: next word promised in 3 h, none given, and the work runs this much long.
    silent_probability: float = 0.05
    silent_next_update_minutes: float = 180.0
    silent_work_factor: float = 2.5
    #: Share of stages a machine (an ERP) finishes the instant they are ready.
    instant_probability: float = 0.04
    #: Share of stages whose cost estimate creeps up, by this share of the quote per step.
    cost_creep_probability: float = 0.1
    cost_creep_percent: float = 4.0
    cost_creep_steps: tuple[int, int] = (1, 3)
    #: Work in office hours (`default`); False: round the clock, as before calendars existed.
    office_hours: bool = True
    #: The desk promises the plan's critical path times a factor drawn uniformly from this range.
    promise_factor: tuple[float, float] = (1.0, 1.7)
    #: How often the sweeper runs, in simulated minutes.
    sweep_every_minutes: float = 10.0
    #: Wall-clock days before the learned windows hold what the world does: a window starts with
    #: a stage's quick finishes (its slow ones are still running), and the longest stages (parts,
    #: shipping: a week or more of office hours each) reach their true median and 90th percentile
    #: only about 18 days in. Round the clock the same working minutes passed 3.4 times faster.
    history_settles_days: float = 18.0

    def calendar(self) -> WorkingCalendar:
        return office_hours() if self.office_hours else ALWAYS

    def describe(self) -> list[str]:
        lines = [
            "- every department works by `default` (Asia/Jakarta, Mon-Fri 08:00-17:00, Sat 08:00-12:00, "
            "Indonesian public holidays): every duration here is in its working minutes; orders arrive "
            "at any hour"
            if self.office_hours
            else "- every department works round the clock (`always`)"
        ]
        for flow in self.flows:
            lines.append(f"- flow `{flow.key}` ({flow.share:.0%} of orders):")
            for s in flow.stages:
                after = f" after {', '.join(s.depends_on)}" if s.depends_on else ""
                lines.append(
                    f"  - {s.key}{after}: plan {s.planned_minutes} min; "
                    f"queue exponential(mean {s.queue_mean:g}), "
                    f"work lognormal(median {s.work_median:g}, sigma {s.work_sigma:g}); "
                    f"blocks for {', '.join(s.block_reasons)}"
                )
        blocks = ", ".join(f"{r} ({m:g}, {sg:g})" for r, (m, sg) in BLOCK_DURATIONS.items())
        lines += [
            f"- orders arrive every {self.interarrival_minutes:g} min on average (Poisson)",
            f"- {self.block_probability:.0%} of stages block once, part-way, for a reason of their stage; "
            f"block durations lognormal (median, sigma) by reason: {blocks}; "
            f"{self.block_revision_probability:.0%} of blocks come with a revised finish",
            f"- {self.revision_probability:.0%} of stages get one revised finish part-way; every revision is "
            f"the true remaining time x lognormal(0, {self.revision_noise_sigma:g})",
            f"- {self.silent_probability:.0%} of stages go silent: next update promised in "
            f"{self.silent_next_update_minutes:g} min, none comes, "
            f"the work takes {self.silent_work_factor:g}x longer",
            f"- {self.instant_probability:.0%} of stages are finished by a machine "
            "the instant they are ready",
            f"- {self.cost_creep_probability:.0%} of stages see their cost estimate creep up "
            f"{self.cost_creep_steps[0]}-{self.cost_creep_steps[1]} times, "
            f"{self.cost_creep_percent:g}% of the quote each time, while they run",
            f"- promise = the plan's critical path x uniform{self.promise_factor}, in working time",
            f"- the sweeper runs every {self.sweep_every_minutes:g} simulated minutes",
        ]
        return lines


@dataclass(frozen=True)
class Block:
    at_fraction: float
    reason: str
    minutes: float
    revision_noise: float | None


@dataclass(frozen=True)
class Revision:
    at_fraction: float
    noise: float


@dataclass(frozen=True)
class StageFate:
    queue: float
    work: float
    silent: bool
    block: Block | None
    revision: Revision | None
    #: Finished the instant it is ready (no queue, no work).
    instant: bool = False
    #: Fractions of its work at which its cost estimate rises by another step.
    cost_steps: tuple[float, ...] = ()


@dataclass(frozen=True)
class OrderPlan:
    reference: str
    flow: FlowSpec
    arrives_at: datetime
    promised_at: datetime
    fates: dict[str, StageFate] = field(default_factory=dict)


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


def plan_orders(workload: Workload, count: int, start: datetime, seed: int) -> list[OrderPlan]:
    """Every order's fate, drawn before the run so that nothing the service says can change it."""
    rng = random.Random(seed)
    office = workload.calendar()
    plans: list[OrderPlan] = []
    moment = start
    weights = [f.share for f in workload.flows]
    for n in range(count):
        moment += timedelta(minutes=rng.expovariate(1.0 / workload.interarrival_minutes))
        flow = rng.choices(workload.flows, weights)[0]
        low, high = workload.promise_factor
        promise = flow.planned_path_minutes() * rng.uniform(low, high)
        fates: dict[str, StageFate] = {}
        for spec in flow.stages:
            queue = rng.expovariate(1.0 / spec.queue_mean)
            work = _lognormal(rng, spec.work_median, spec.work_sigma)
            silent = rng.random() < workload.silent_probability
            block = revision = None
            if silent:
                work *= workload.silent_work_factor
            elif rng.random() < workload.block_probability:
                reason = rng.choice(spec.block_reasons)
                median, sigma = BLOCK_DURATIONS[reason]
                noise = (
                    math.exp(rng.gauss(0.0, workload.revision_noise_sigma))
                    if rng.random() < workload.block_revision_probability
                    else None
                )
                block = Block(rng.uniform(0.2, 0.8), reason, _lognormal(rng, median, sigma), noise)
            if not silent and rng.random() < workload.revision_probability:
                revision = Revision(
                    rng.uniform(0.3, 0.9), math.exp(rng.gauss(0.0, workload.revision_noise_sigma))
                )
            instant = not silent and block is None and rng.random() < workload.instant_probability
            steps: tuple[float, ...] = ()
            if not instant and not silent and rng.random() < workload.cost_creep_probability:
                count = rng.randint(*workload.cost_creep_steps)
                steps = tuple(sorted(rng.uniform(0.1, 0.9) for _ in range(count)))
            fates[spec.key] = StageFate(queue, work, silent, block, revision, instant, steps)
        plans.append(OrderPlan(f"SIM-{n + 1:05d}", flow, moment, office.add(moment, promise), fates))
    return plans


def settled_warmup(workload: Workload, plans: list[OrderPlan], start: datetime) -> int:
    """How many of the first orders arrive before the history has settled; at most 85% of them,
    so that a short run still measures something (its figures then are the young history's)."""
    settles = start + timedelta(days=workload.history_settles_days)
    young = sum(1 for p in plans if p.arrives_at < settles)
    return min(young, len(plans) * 85 // 100)
