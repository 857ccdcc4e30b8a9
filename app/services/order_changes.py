"""The part every order-changing use case shares: load under lock, compare before and after,
append the events and the ledger entries that the difference calls for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session

from app.domain.access import Principal
from app.domain.errors import VersionMismatch
from app.domain.order_state import OrderState, risk_event
from app.domain.significance import (
    Significance,
    cost_change_to_tell,
    crossing,
    eta_change_to_tell,
)
from app.events.append import LoggedEvent, NewEvent, append_events
from app.models.ledger import EstimateRevision
from app.prepared import driver_of, prepared
from app.repositories.orders import OrderRecord, StageRecord, fetch_order, save
from app.services.durations import StageDurations
from app.services.order_view import Derived, derive, minutes_between, store_derived, stored_derived

LEDGER: Table = EstimateRevision.__table__  # type: ignore[attr-defined]
_INSERT_LEDGER = insert(LEDGER)

#: ETA moves smaller than this (clock drift of an overrunning stage) are not revisions.
MIN_ETA_MOVE_SECONDS = 60


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def load_order(
    session: Session, reference: str, *, lock: bool = False
) -> tuple[OrderRecord, list[StageRecord]]:
    """The order and its stages; with ``lock`` the row is locked and the records can be saved."""
    return fetch_order(session, reference, lock=lock)


def check_version(order: OrderRecord, expected: int | None) -> None:
    if expected is not None and expected != order.version:
        raise VersionMismatch(
            f"order '{order.reference}' is at version {order.version}, not {expected}; "
            "read it again and retry if your change still applies",
            current_version=order.version,
        )


@dataclass
class OrderChange:
    """One use case's change to one order, collected and then written as events."""

    order: OrderRecord
    stages: list[StageRecord]
    durations: dict[str, StageDurations]
    principal: Principal
    now: datetime
    significance: Significance
    before: Derived | None = None
    cause_stage: StageRecord | None = None
    cause_reason: str | None = None
    events: list[NewEvent] = field(default_factory=list)
    #: A technician's revision of one stage's finish: (before, after). It is news even when it
    #: does not move the order's ETA (a branch off the critical path).
    stage_revision: tuple[datetime | None, datetime | None] | None = None
    #: Written only if nothing else was: a change of notes or assignee is still a change.
    fallback: tuple[str, dict[str, Any]] | None = None
    #: What the order looks like once the change is written (set by commit_change).
    after: Derived | None = None
    #: A new order: its first estimate opens the promise ledger.
    initial: bool = False
    #: The promise moved (previous, new): the ledger keeps what was promised when.
    promise_change: tuple[datetime, datetime] | None = None

    def snapshot(self) -> None:
        # "Before" is what the order said at its last write (every write publishes it, and the
        # sweeper keeps it current as time passes), not a fresh derivation: revisions then
        # chain, each previous_likely_at being the likely_at the desk last heard, and a
        # change costs one derivation instead of two.
        self.before = stored_derived(self.order)

    def common(self) -> dict[str, Any]:
        return {"order": self.order.reference, **self.principal.describe()}

    def add(self, type_: str, data: dict[str, Any], *, department: str | None = None) -> None:
        self.events.append(
            NewEvent(
                type=type_,
                subject=self.order.reference,
                data=data,
                order_id=self.order.id,
                department=department,
            )
        )

    def stage_department(self) -> str | None:
        return self.cause_stage.department if self.cause_stage else None


def _entry(change: OrderChange, kind: str, **fields: Any) -> dict[str, Any]:
    """One ledger row, as the values of an INSERT (the write path uses Core, not the ORM)."""
    order = change.order
    assert order.id is not None, "the order is inserted before its change is written"
    row: dict[str, Any] = {
        "order_id": order.id,
        "event_id": None,
        "at": change.now,
        "kind": kind,
        "stage_key": change.cause_stage.key if change.cause_stage else None,
        "reason": change.cause_reason,
        "actor": change.principal.actor,
        "promised_at": order.promised_at,
        "previous_at": None,
        "new_at": None,
        "previous_amount": None,
        "new_amount": None,
        "delta_minutes": None,
        "delta_amount": None,
        "crossed_promise": None,
        "significant": False,
    }
    row.update(fields)
    return row


def _opening_entries(change: OrderChange, after: Derived) -> list[dict[str, Any]]:
    """The first estimate, and any move of the promise itself."""
    entries: list[dict[str, Any]] = []
    likely = after.eta.likely_at
    if change.initial:
        beyond = likely is not None and likely > change.order.promised_at
        entries.append(
            _entry(
                change,
                "initial",
                new_at=likely,
                new_amount=after.costs.estimated,
                crossed_promise="behind" if beyond else None,
                significant=beyond,
            )
        )
    if change.promise_change is not None and likely is not None:
        previous, new = change.promise_change
        was_behind, now_behind = likely > previous, likely > new
        crossed = None if was_behind == now_behind else ("behind" if now_behind else "back")
        entries.append(
            _entry(
                change,
                "promise",
                previous_at=previous,
                new_at=new,
                delta_minutes=minutes_between(previous, new),
                crossed_promise=crossed,
                significant=crossed is not None,
            )
        )
    return entries


def _revision_events(change: OrderChange, after: Derived) -> list[dict[str, Any]]:
    order, before, rule = change.order, change.before, change.significance
    assert order.id is not None, "the order is flushed before its change is written"
    ledger: list[dict[str, Any]] = _opening_entries(change, after)
    cause = change.cause_stage.key if change.cause_stage else None
    dept = change.stage_department()
    prev_at = before.eta.likely_at if before else None
    new_at = after.eta.likely_at
    moved = (
        before is not None
        and prev_at is not None
        and new_at is not None
        and abs((new_at - prev_at).total_seconds()) >= MIN_ETA_MOVE_SECONDS
        and after.state not in (OrderState.DONE, OrderState.CANCELLED)
    )
    if (moved or change.stage_revision is not None) and prev_at is not None and new_at is not None:
        delta = minutes_between(prev_at, new_at)
        stage_prev, stage_new = change.stage_revision or (None, None)
        crossed = crossing(prev_at, new_at, order.promised_at)
        told_at = order.told_likely_at or prev_at
        significant = eta_change_to_tell(told_at, new_at, order.promised_at, rule)
        change.add(
            "estimate.revised",
            {
                **change.common(),
                "stage": cause,
                "reason": change.cause_reason,
                "previous_likely_at": iso(prev_at),
                "likely_at": iso(new_at),
                "latest_at": iso(after.eta.latest_at),
                "basis": after.eta.basis.value,
                "delta_minutes": delta,
                "stage_previous_finish_at": iso(stage_prev),
                "stage_expected_finish_at": iso(stage_new),
                "promised_at": iso(order.promised_at),
                "crossed_promise": crossed,
                "significant": significant,
            },
            department=dept,
        )
        if moved:
            ledger.append(
                _entry(
                    change,
                    "eta",
                    previous_at=prev_at,
                    new_at=new_at,
                    delta_minutes=delta,
                    crossed_promise=crossed,
                    significant=significant,
                )
            )
    prev_cost = before.costs.estimated if before else None
    new_cost = after.costs.estimated
    actual_changed = before is not None and before.costs.actual != after.costs.actual
    if prev_cost is not None and (new_cost != prev_cost or actual_changed):
        significant = new_cost > prev_cost and cost_change_to_tell(
            order.told_amount, new_cost, after.costs.quoted, rule
        )
        change.add(
            "cost.revised",
            {
                **change.common(),
                "stage": cause,
                "reason": change.cause_reason,
                "currency": order.currency,
                "previous_estimated": str(prev_cost),
                "estimated": str(new_cost),
                "delta": str(new_cost - prev_cost),
                "quoted": str(after.costs.quoted),
                "actual": str(after.costs.actual),
                "significant": significant,
            },
            department=dept,
        )
        if new_cost == prev_cost:
            return ledger
        ledger.append(
            _entry(
                change,
                "cost",
                previous_amount=prev_cost,
                new_amount=new_cost,
                delta_amount=new_cost - prev_cost,
                significant=significant,
            )
        )
    return ledger


def commit_change(session: Session, change: OrderChange, *, bump_version: bool = True) -> list[LoggedEvent]:
    """Derive the new state, stamp the order, and append every event the change calls for.

    Nothing is published here: the events are rows in this transaction, and the writer hands
    them to the fan-out only after COMMIT succeeds.
    """
    order = change.order
    after = derive(order, change.stages, change.durations, change.now)
    change.after = after
    if change.initial:
        # Never told yet: the first ETA is what the customer heard when the order was taken.
        order.told_likely_at = after.eta.likely_at
    if bump_version:
        order.version += 1
        order.updated_at = change.now
    ledger = _revision_events(change, after)

    was_at_risk = change.before.at_risk if change.before else False
    risk = risk_event(was_at_risk, after.at_risk, after.state)
    if risk is not None:
        change.add(
            risk,
            {
                **change.common(),
                "stage": change.cause_stage.key if change.cause_stage else None,
                "reason": change.cause_reason,
                "promised_at": iso(order.promised_at),
                "likely_at": iso(after.eta.likely_at),
                "latest_at": iso(after.eta.latest_at),
                "late": after.state is OrderState.LATE,
                "significant": True,
            },
            department=change.stage_department(),
        )
    was_done = change.before is not None and change.before.state is OrderState.DONE
    if after.state is OrderState.DONE and not was_done:
        change.add(
            "order.completed",
            {
                **change.common(),
                "completed_at": iso(change.now),
                "promised_at": iso(order.promised_at),
                "on_time": change.now <= order.promised_at,
            },
            department=change.stage_department(),
        )
    if not change.events and change.fallback is not None:
        change.add(change.fallback[0], change.fallback[1], department=change.stage_department())
    store_derived(order, after)
    for event in change.events:
        event.data.setdefault("order_version", order.version)
        event.data.setdefault("state", after.state.value)
        event.data.setdefault("at_risk", after.at_risk)
    save(session, order, change.stages)
    rows = append_events(session, change.events, change.now)
    by_type = {r.type: r.id for r in rows}
    for entry in ledger:
        entry["event_id"] = by_type.get(LEDGER_EVENT[entry["kind"]])
    if ledger:
        driver, dialect = driver_of(session)
        prepared(_INSERT_LEDGER, dialect, tuple(ledger[0])).run_many(driver, ledger)
    return rows


#: The event that announced each kind of ledger entry.
LEDGER_EVENT = {
    "initial": "order.created",
    "eta": "estimate.revised",
    "cost": "cost.revised",
    "promise": "order.updated",
}


def stages_by_key(stages: Sequence[StageRecord]) -> dict[str, StageRecord]:
    return {s.key: s for s in stages}
