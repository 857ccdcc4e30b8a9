"""The synthetic workload `nextdesk simulate` replays: two flows, stated distributions, and each
order's fate drawn up front from one seeded generator.

Every duration below is in minutes. A stage waits in its department's queue (exponential), then
takes its work time (lognormal, given by median and sigma of its logarithm); some stages block
for a reason (lognormal by reason), some technicians revise their finish with a noisy guess,
and some stages go silent: a technician says when the next word will come and then says nothing
while the work drags on.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


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
    #: The desk promises the plan's critical path times a factor drawn uniformly from this range.
    promise_factor: tuple[float, float] = (1.0, 1.7)
    #: How often the sweeper runs, in simulated minutes.
    sweep_every_minutes: float = 10.0

    def describe(self) -> list[str]:
        lines = []
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
            f"- promise = the plan's critical path x uniform{self.promise_factor}",
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
    plans: list[OrderPlan] = []
    moment = start
    weights = [f.share for f in workload.flows]
    for n in range(count):
        moment += timedelta(minutes=rng.expovariate(1.0 / workload.interarrival_minutes))
        flow = rng.choices(workload.flows, weights)[0]
        low, high = workload.promise_factor
        promise = timedelta(minutes=flow.planned_path_minutes() * rng.uniform(low, high))
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
            fates[spec.key] = StageFate(queue, work, silent, block, revision)
        plans.append(OrderPlan(f"SIM-{n + 1:05d}", flow, moment, moment + promise, fates))
    return plans
