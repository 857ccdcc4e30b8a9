"""How long each stage of a flow is expected to take: the plan, until history says otherwise.

A stage's duration runs from ready to finished (see app/domain/durations.py for why). Every
stage that finishes adds its duration, in the same transaction as its completion, to a small
window of recent durations per flow and stage, and per reason code for stages that were blocked
for it. Once ``learned_min_samples`` stages have finished, the window's median and 90th
percentile replace the plan. Reads never touch the history itself: one row per stage (and
reason), and the status view keeps a parsed copy for a few seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import datetime

from app.db import Session
from app.domain.calendar import ALWAYS, WorkingCalendar
from app.domain.durations import PLAN_LATEST_FACTOR, DurationModel, StageDurations
from app.events.queries import order_events_data
from app.models.stats import ALL_REASONS, StageStat
from app.repositories import stage_stats as learned
from app.repositories.orders import StageRecord
from app.services.calendars import calendar_book, generation
from app.services.flows import FlowDefinition, load_flow

#: Recent finishes kept per stage: enough for a stable 90th percentile, few enough to follow change.
RECENT_SAMPLES = 200
DEFAULT_MIN_SAMPLES = 20
#: How long the status view may reuse parsed statistics written by another process.
CACHE_SECONDS = 5.0


def planned_durations(flow: FlowDefinition) -> dict[str, StageDurations]:
    return {
        key: StageDurations(DurationModel.planned(s.planned_minutes, PLAN_LATEST_FACTOR))
        for key, s in flow.stages.items()
    }


def _learned(flow: FlowDefinition, rows: list[StageStat], min_samples: int) -> dict[str, StageDurations]:
    general: dict[str, DurationModel] = {}
    by_reason: dict[str, dict[str, DurationModel]] = {}
    for row in rows:
        if row.stage_key not in flow.stages or row.samples < min_samples or not row.recent:
            continue
        model = DurationModel.learned(row.recent)
        if row.reason == ALL_REASONS:
            general[row.stage_key] = model
        else:
            by_reason.setdefault(row.stage_key, {})[row.reason] = model
    planned = planned_durations(flow)
    return {
        key: StageDurations(general.get(key, plan.general), by_reason.get(key, {}))
        for key, plan in planned.items()
    }


class _Cache:
    """Parsed statistics per database and flow. A finish recorded in this process drops its
    flow's entry at once; another process's finishes show within CACHE_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str, int, int], tuple[float, dict[str, StageDurations]]] = {}
        self._generations: dict[tuple[str, str], int] = {}

    def get(self, key: tuple[str, str, int, int]) -> tuple[dict[str, StageDurations] | None, int]:
        with self._lock:
            generation = self._generations.get(key[:2], 0)
            entry = self._entries.get(key)
            if entry is not None and time.monotonic() - entry[0] < CACHE_SECONDS:
                return entry[1], generation
            return None, generation

    def put(self, key: tuple[str, str, int, int], value: dict[str, StageDurations], generation: int) -> None:
        with self._lock:
            # A finish recorded while we were reading would otherwise be hidden until expiry.
            if self._generations.get(key[:2], 0) == generation:
                self._entries[key] = (time.monotonic(), value)

    def invalidate(self, database: str, flow_key: str) -> None:
        with self._lock:
            self._generations[(database, flow_key)] = self._generations.get((database, flow_key), 0) + 1
            for key in [k for k in self._entries if k[:2] == (database, flow_key)]:
                del self._entries[key]


_cache = _Cache()


def _database_key(session: Session) -> str:
    return str(session.get_bind().engine.url)


def durations_for(
    session: Session, flow: FlowDefinition, min_samples: int = DEFAULT_MIN_SAMPLES, *, cached: bool = False
) -> dict[str, StageDurations]:
    """Durations per stage key. Writes read them fresh inside their transaction; ``cached`` is
    for reads, which may see a finish recorded by another process a few seconds late."""
    # A calendar written here may have emptied learned windows: its generation is in the key.
    key = (_database_key(session), flow.key, min_samples, generation())
    finishes = 0
    hit: dict[str, StageDurations] | None = None
    if cached:
        hit, finishes = _cache.get(key)
    if hit is None:
        rows = learned.of_flow(session, flow.key)
        hit = _learned(flow, rows, min_samples)
        if cached:
            _cache.put(key, hit, finishes)
    # Calendars change apart from finishes: they are looked up (from their own cache) each time.
    book = calendar_book(session)
    return {
        k: replace(v, calendar=book.for_stage(flow.stages[k].calendar, flow.stages[k].department))
        for k, v in hit.items()
    }


def stage_duration_minutes(stage: StageRecord, calendar: WorkingCalendar = ALWAYS) -> float | None:
    """Working minutes of the stage's calendar from ready to finished."""
    start = stage.ready_at or stage.started_at
    if start is None or stage.finished_at is None:
        return None
    return calendar.between(start, stage.finished_at)


def _block_reasons(session: Session, stage: StageRecord) -> set[str]:
    rows = order_events_data(session, stage.order_id, "stage.blocked")
    return {str(d["reason"]) for d in rows if d.get("stage") == stage.key and d.get("reason")}


def record_finished_stage(session: Session, flow_key: str, stage: StageRecord, now: datetime) -> float | None:
    """Add a finished stage's duration to its flow's statistics, in the caller's transaction.

    The row is locked while it is changed (PostgreSQL), so finishes on several replicas add up
    instead of overwriting each other; SQLite's single write lock does the same there.
    """
    spec = load_flow(session, flow_key).stages.get(stage.key)
    calendar = calendar_book(session).for_stage(spec.calendar if spec else None, stage.department)
    minutes = stage_duration_minutes(stage, calendar)
    if minutes is None:
        return None
    for reason in [ALL_REASONS, *sorted(_block_reasons(session, stage))]:
        row = learned.locked(session, flow_key, stage.key, reason, now)
        row.recent = [*list(row.recent)[-(RECENT_SAMPLES - 1) :], round(minutes, 3)]
        row.samples += 1
        row.updated_at = now
        session.add(row)
    _cache.invalidate(_database_key(session), flow_key)
    return minutes


def stage_stats(session: Session, flow_key: str) -> list[StageStat]:
    return learned.of_flow(session, flow_key, ordered=True)
