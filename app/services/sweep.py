"""The sweep: what time alone changed since an order was last written.

Every write stores the order's ``recheck_at``, the next moment at which time alone can change
what the order says: a stage's estimate steps, a revised finish or a ``next_update_by`` passes
unmet, the promise passes. The sweep looks only at orders whose moment has come, so its cost
follows what happens, not how many orders are open. For each it raises ``stage.overdue`` once per
lapse, and, through the same `commit_change` as every other use case, the risk change and the
estimate revision that the passing of time brought, so the ledger and the events agree.

Several replicas may sweep at once. Each order is claimed with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL (SQLite's single write lock serialises sweeps there), and a lapse is marked with a
conditional UPDATE that succeeds only if no sweep has reported that deadline yet: each lapse
raises exactly one event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.db import Session
from app.domain.access import Principal
from app.domain.derivation import Derived, derive, silence_of, store_derived, stored_derived
from app.domain.durations import StageDurations
from app.domain.order_news import MIN_ETA_MOVE_SECONDS, iso
from app.domain.order_state import OrderState
from app.domain.silence import Lapse, lapse
from app.domain.stage_machine import CURRENT, StageStatus
from app.repositories.orders import OrderRecord, StageRecord, claim_order, recheck, save
from app.services.durations import durations_for
from app.services.flows import load_flow
from app.services.order_changes import OrderChange, commit_change
from app.settings_view import ViewSettings

SWEEPER = Principal(key_id="system:sweeper", name="nextdesk sweeper", role="system")
OPEN_STATES = (OrderState.OPEN.value, OrderState.AT_RISK.value)
#: Orders per transaction: a sweep shares the writer with requests and must not hold it long.
BATCH = 50
#: Should an order still be due after its sweep (it cannot, but a loop must never spin on it).
RETRY_AFTER = timedelta(minutes=1)


@dataclass
class SweepReport:
    orders: int = 0
    overdue: int = 0
    changed: int = 0
    #: Requests from the desk whose answer_by passed unanswered (request.overdue raised).
    requests: int = 0
    #: The batch was full: more orders may be due.
    more: bool = False

    def add(self, other: SweepReport) -> None:
        self.orders += other.orders
        self.overdue += other.overdue
        self.changed += other.changed


def anything_due(session: Session, now: datetime) -> bool:
    """A read, so that a quiet tick costs the writer nothing."""
    return recheck.anything_due(session, now)


def sweep(session: Session, now: datetime, view: ViewSettings, *, limit: int = BATCH) -> SweepReport:
    due = recheck.due_orders(session, now, limit)
    report = SweepReport()
    for order_id in due:
        claimed = _claim(session, order_id, now)
        if claimed is not None:
            report.orders += 1
            _sweep_order(session, claimed[0], claimed[1], now, view, report)
    # Only a full batch that made progress may ask for another: skipped orders must not spin.
    report.more = len(due) == limit and report.orders > 0
    return report


def _claim(session: Session, order_id: int, now: datetime) -> tuple[OrderRecord, list[StageRecord]] | None:
    # An order another replica is sweeping, or a technician is updating, is left to them: their
    # commit sets its next recheck.
    claimed = claim_order(session, order_id)
    if claimed is None:
        return None
    order = claimed[0]
    if order.state not in OPEN_STATES or order.recheck_at is None or order.recheck_at > now:
        return None
    return claimed


def _cause(
    stages: list[StageRecord], lapses: list[tuple[StageRecord, Lapse]], after: Derived
) -> StageRecord | None:
    if lapses:
        return lapses[0][0]
    by_key = {s.key: s for s in stages}
    for key in after.eta.critical_path:
        stage = by_key.get(key)
        if stage is not None and StageStatus(stage.status) in CURRENT:
            return stage
    return None


def _is_news(before: Derived, after: Derived, lapses: list[tuple[StageRecord, Lapse]]) -> bool:
    if lapses or before.at_risk != after.at_risk:
        return True
    old, new = before.eta.likely_at, after.eta.likely_at
    if old is None or new is None:
        return old != new
    return abs((new - old).total_seconds()) >= MIN_ETA_MOVE_SECONDS


def _overdue_data(change: OrderChange, stage: StageRecord, found: Lapse, now: datetime) -> dict[str, object]:
    return {
        **change.common(),
        "stage": stage.key,
        "department": stage.department,
        "status": stage.status,
        "missed": found.missed,
        "deadline": iso(found.deadline),
        "minutes_overdue": int((now - found.deadline).total_seconds() // 60),
        "last_update_at": iso(stage.last_update_at),
        "next_update_by": iso(stage.next_update_by),
        "expected_finish_at": iso(stage.expected_finish_at),
        "assignee": stage.assignee,
        "reason": stage.reason,
        "significant": False,
    }


def _sweep_order(
    session: Session,
    order: OrderRecord,
    stages: list[StageRecord],
    now: datetime,
    view: ViewSettings,
    report: SweepReport,
) -> None:
    flow = load_flow(session, order.flow_key)
    durations: dict[str, StageDurations] = durations_for(session, flow, view.learned_min_samples)
    lapses: list[tuple[StageRecord, Lapse]] = []
    for stage in stages:
        found = lapse(silence_of(stage, durations.get(stage.key)), now)
        if found is not None and recheck.mark_overdue(session, stage, found.deadline):
            lapses.append((stage, found))

    before = stored_derived(order)
    after = derive(order, stages, durations, now)
    if not _is_news(before, after, lapses):
        # Nothing to tell: keep the stored figures current and wait for the next moment.
        store_derived(order, after)
    else:
        change = OrderChange(order, stages, durations, SWEEPER, now, view.significance, before=before)
        change.cause_stage = _cause(stages, lapses, after)
        change.cause_reason = change.cause_stage.reason if change.cause_stage else None
        for stage, found in lapses:
            change.add("stage.overdue", _overdue_data(change, stage, found, now), department=stage.department)
        commit_change(session, change)
        report.changed += 1
        report.overdue += len(lapses)
    if order.recheck_at is not None and order.recheck_at <= now:
        order.recheck_at = now + RETRY_AFTER
    save(session, order, stages)
