"""Replays a planned workload through the API itself, on a manual clock, and keeps what the
service said at each moment that matters.

The app runs in-process (the real routers, writer, sweeper and a SQLite file), called through
httpx's ASGI transport from one event loop. Simulated time moves only between calls, and calls
are made one at a time, so one seed always gives the same run.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from app.bootstrap import migrate
from app.clock import ManualClock
from app.config import Settings
from app.db import Database
from app.main import create_app
from app.models.access import ApiKeyCreate, Role
from app.services.keys import create_key
from app.simulate.workload import OrderPlan, StageFate, StageSpec, Workload, plan_orders
from app.sweeper import Sweeper
from app.writer import run_use_case

START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
#: What every simulated order is quoted.
QUOTE = Decimal("1000000")
#: An estimate as published: (when, likely_at, latest_at).
Estimate = tuple[datetime, datetime, datetime]


@dataclass(frozen=True)
class StageStart:
    reference: str
    flow: str
    stage: str
    at: datetime
    likely_at: datetime
    latest_at: datetime
    basis: str


@dataclass
class Outcome:
    plan: OrderPlan
    finished_at: datetime | None = None
    done: set[str] = field(default_factory=set)


@dataclass
class RunRecord:
    """Everything the figures are made from."""

    outcomes: dict[str, Outcome]
    starts: list[StageStart]
    #: Per order: (time, type) of its order.at_risk / order.back_on_track events, in order.
    risk_events: dict[str, list[tuple[datetime, str]]]
    event_counts: dict[str, int]
    #: Per order: (time, likely_at, latest_at) of every estimate the service published, in order.
    estimates: dict[str, list[tuple[datetime, datetime, datetime]]] = field(default_factory=dict)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _parse(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


class _Api:
    def __init__(self, client: httpx.AsyncClient, keys: dict[str, str]) -> None:
        self.client = client
        self.keys = keys

    async def call(self, method: str, path: str, role: str, body: Any = None, **params: Any) -> Any:
        response = await self.client.request(
            method,
            path,
            json=body,
            params=params or None,
            headers={"Authorization": f"Bearer {self.keys[role]}"},
        )
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text}")
        return response.json()


Action = Callable[[], Awaitable[object]]


class Simulation:
    def __init__(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        clock: ManualClock,
        keys: dict[str, str],
        workload: Workload,
    ):
        self.app = app
        self.clock = clock
        self.api = _Api(client, keys)
        self.workload = workload
        sweeper: Sweeper = app.state.sweeper
        self.sweeper = sweeper
        self._queue: list[tuple[datetime, int, Action]] = []
        self._seq = itertools.count()
        self.outcomes: dict[str, Outcome] = {}
        self.starts: list[StageStart] = []
        self.first_estimates: dict[str, tuple[datetime, datetime, datetime]] = {}
        #: Work happens in this calendar's working time: queues, work, blocks are its minutes.
        self.office = workload.calendar()

    # -- the event queue ---------------------------------------------------------------------

    def at(self, when: datetime, action: Action) -> None:
        heapq.heappush(self._queue, (when, next(self._seq), action))

    async def run(self, plans: list[OrderPlan]) -> RunRecord:
        flows = {p.flow.key: p.flow for p in plans}.values()
        if self.workload.office_hours:
            departments = sorted({s.department for f in flows for s in f.stages})
            await self.api.call(
                "PATCH", f"/v1/calendars/{self.office.key}", "admin", {"departments": departments}
            )
        for flow in flows:
            await self.api.call("POST", "/v1/flows", "admin", flow.definition())
        for plan in plans:
            self.outcomes[plan.reference] = Outcome(plan)
            self.at(plan.arrives_at, partial(self._arrive, plan))
        if plans:
            self.at(plans[0].arrives_at, self._sweep)
        while self._queue:
            when, _, action = heapq.heappop(self._queue)
            self.clock.set(when)
            await action()
        risk, counts, estimates = await self._read_events()
        for reference, first in self.first_estimates.items():
            estimates.setdefault(reference, []).insert(0, first)
        return RunRecord(self.outcomes, self.starts, risk, counts, estimates)

    async def _sweep(self) -> None:
        await self.sweeper.sweep_once(self.clock.now())
        if any(o.finished_at is None for o in self.outcomes.values()):
            self.at(self.clock.now() + timedelta(minutes=self.workload.sweep_every_minutes), self._sweep)

    # -- one order ---------------------------------------------------------------------------

    async def _arrive(self, plan: OrderPlan) -> None:
        view = await self.api.call(
            "POST",
            "/v1/orders",
            "agent",
            {
                "reference": plan.reference,
                "flow": plan.flow.key,
                "customer": {"name": f"Customer {plan.reference}"},
                "promised_at": _iso(plan.promised_at),
                "quoted_cost": {"amount": f"{QUOTE:.2f}", "currency": "IDR"},
            },
        )
        eta = view["eta"]
        if eta["likely_at"] and eta["latest_at"]:
            self.first_estimates[plan.reference] = (
                self.clock.now(),
                _parse(eta["likely_at"]),
                _parse(eta["latest_at"]),
            )
        for spec in plan.flow.stages:
            if not spec.depends_on:
                self._ready(plan, spec)

    def _ready(self, plan: OrderPlan, spec: StageSpec) -> None:
        fate = plan.fates[spec.key]
        if fate.instant:
            # A machine closes it the moment it is ready, office hours or not.
            self.at(self.clock.now(), lambda: self._instant(plan, spec))
            return
        self.at(self.office.add(self.clock.now(), fate.queue), lambda: self._start(plan, spec, fate))

    async def _instant(self, plan: OrderPlan, spec: StageSpec) -> None:
        await self._update(plan, spec, {"status": "in_progress"})
        await self._finish(plan, spec)

    async def _update(self, plan: OrderPlan, spec: StageSpec, body: dict[str, Any]) -> dict[str, Any]:
        path = f"/v1/orders/{plan.reference}/stages/{spec.key}/updates"
        view: dict[str, Any] = await self.api.call("POST", path, "technician", body)
        return view

    async def _start(self, plan: OrderPlan, spec: StageSpec, fate: StageFate) -> None:
        start = self.clock.now()
        body: dict[str, Any] = {"status": "in_progress"}
        if fate.silent:
            body["next_update_by"] = _iso(start + timedelta(minutes=self.workload.silent_next_update_minutes))
        view = await self._update(plan, spec, body)
        eta = view["eta"]
        self.starts.append(
            StageStart(
                plan.reference,
                plan.flow.key,
                spec.key,
                start,
                _parse(eta["likely_at"]),
                _parse(eta["latest_at"]),
                eta["basis"],
            )
        )
        office = self.office
        finish = office.add(start, fate.work)
        if fate.block is not None:
            block = fate.block
            blocked_at = office.add(start, fate.work * block.at_fraction)
            resumed_at = office.add(blocked_at, block.minutes)
            finish = office.add(resumed_at, fate.work * (1 - block.at_fraction))
            self.at(blocked_at, lambda: self._block(plan, spec, fate, finish))
            self.at(resumed_at, lambda: self._update(plan, spec, {"status": "in_progress"}))
        if fate.revision is not None:
            revision = fate.revision
            revised_at = office.add(start, office.between(start, finish) * revision.at_fraction)
            self.at(revised_at, lambda: self._revise(plan, spec, finish, revision.noise))
        for step, fraction in enumerate(fate.cost_steps, start=1):
            rise_at = office.add(start, office.between(start, finish) * fraction)
            self.at(rise_at, partial(self._cost_rise, plan, spec, step))
        self.at(finish, lambda: self._finish(plan, spec))

    async def _block(self, plan: OrderPlan, spec: StageSpec, fate: StageFate, finish: datetime) -> None:
        assert fate.block is not None
        body: dict[str, Any] = {"status": "blocked", "reason": fate.block.reason}
        if fate.block.revision_noise is not None:
            now = self.clock.now()
            guess = self.office.between(now, finish) * fate.block.revision_noise
            body["expected_finish_at"] = _iso(self.office.add(now, max(guess, 5.0)))
        await self._update(plan, spec, body)

    async def _revise(self, plan: OrderPlan, spec: StageSpec, finish: datetime, noise: float) -> None:
        remaining = self.office.between(self.clock.now(), finish) * noise
        await self._update(plan, spec, {"remaining_minutes": max(5, round(remaining))})

    async def _cost_rise(self, plan: OrderPlan, spec: StageSpec, step: int) -> None:
        """Another small rise of this stage's cost estimate: step x the set share of the quote."""
        if spec.key in self.outcomes[plan.reference].done:
            return
        amount = QUOTE * Decimal(str(self.workload.cost_creep_percent)) / 100 * step
        await self._update(plan, spec, {"cost_estimate": {"amount": f"{amount:.2f}", "currency": "IDR"}})

    async def _finish(self, plan: OrderPlan, spec: StageSpec) -> None:
        await self._update(plan, spec, {"status": "done"})
        outcome = self.outcomes[plan.reference]
        outcome.done.add(spec.key)
        for other in plan.flow.stages:
            if spec.key in other.depends_on and all(d in outcome.done for d in other.depends_on):
                self._ready(plan, other)
        if len(outcome.done) == len(plan.flow.stages):
            outcome.finished_at = self.clock.now()

    # -- what the service said ---------------------------------------------------------------

    async def _read_events(
        self,
    ) -> tuple[
        dict[str, list[tuple[datetime, str]]],
        dict[str, int],
        dict[str, list[tuple[datetime, datetime, datetime]]],
    ]:
        risk: dict[str, list[tuple[datetime, str]]] = {}
        counts: dict[str, int] = {}
        estimates: dict[str, list[Estimate]] = {}
        after = 0
        while True:
            page = await self.api.call("GET", "/v1/events", "admin", after=after, limit=1000)
            for event in page["items"]:
                counts[event["type"]] = counts.get(event["type"], 0) + 1
                if event["type"] in ("order.at_risk", "order.back_on_track"):
                    risk.setdefault(event["subject"], []).append((_parse(event["time"]), event["type"]))
                data = event["data"]
                if data.get("likely_at") and data.get("latest_at"):
                    estimates.setdefault(event["subject"], []).append(
                        (_parse(event["time"]), _parse(data["likely_at"]), _parse(data["latest_at"]))
                    )
            if not page["items"]:
                return risk, counts, estimates
            after = page["next_after"]


def _keys(db: Database) -> dict[str, str]:
    wanted = {
        "admin": ApiKeyCreate(name="simulation admin", role=Role.ADMIN),
        "agent": ApiKeyCreate(name="simulation desk", role=Role.AGENT),
        "technician": ApiKeyCreate(
            name="simulation technicians",
            role=Role.TECHNICIAN,
            departments=["assembly", "finance", "shipping", "workshop", "purchasing"],
        ),
    }
    keys: dict[str, str] = {}
    for role, body in wanted.items():
        created, _ = run_use_case(db, lambda session, b=body: create_key(session, b, START))  # type: ignore[misc]
        keys[role] = created.secret
    return keys


@asynccontextmanager
async def simulated_service(
    folder: Path, settings: dict[str, Any]
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, ManualClock]]:
    config = Settings(
        database_url=f"sqlite:///{folder / 'simulation.db'}",
        sweeper_enabled=False,  # the simulation sweeps on its own clock
        dispatcher_enabled=False,
        log_json=False,
        _env_file=None,
        **settings,
    )
    db = Database(config)
    migrate(db)
    db.dispose()
    clock = ManualClock(START)
    app = create_app(config, clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://simulation") as client,
    ):
        yield app, client, clock


async def _simulate(plans: list[OrderPlan], workload: Workload, settings: dict[str, Any]) -> RunRecord:
    with tempfile.TemporaryDirectory(prefix="nextdesk-simulate-") as folder:
        async with simulated_service(Path(folder), settings) as (app, client, clock):
            keys = _keys(app.state.ctx.db)
            return await Simulation(app, client, clock, keys, workload).run(plans)


def simulate(
    orders: int, seed: int, workload: Workload | None = None, settings: dict[str, Any] | None = None
) -> RunRecord:
    workload = workload or Workload()
    plans = plan_orders(workload, orders, START, seed)
    return asyncio.run(_simulate(plans, workload, settings or {}))
