"""What a change to an order tells: which events it appends and which promise-ledger rows it writes.

A use case says what it did (its own events, the stage it touched, a revision it made); the
difference between what the order said before and after the change decides the rest: a revised
estimate or cost, a move into or out of risk, a completion. The answer is plain data: the
service appends the events and writes the rows in its transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.domain.derivation import Derived, minutes_between
from app.domain.order_state import OrderState, risk_event
from app.domain.significance import (
    Significance,
    cost_change_to_tell,
    crossing,
    eta_change_to_tell,
)

#: ETA moves smaller than this (clock drift of an overrunning stage) are not revisions.
MIN_ETA_MOVE_SECONDS = 60

#: The event that announced each kind of ledger entry.
LEDGER_EVENT = {
    "initial": "order.created",
    "eta": "estimate.revised",
    "cost": "cost.revised",
    "promise": "order.updated",
}


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Announcement:
    """One event to append: its type, its data, and the department it concerns, if one."""

    type: str
    data: dict[str, Any]
    department: str | None = None


@dataclass(frozen=True)
class ChangeFacts:
    """One change to one order, as far as deciding its news needs to know."""

    order_id: int
    promised_at: datetime
    currency: str
    #: The order's version once the change is written.
    version: int
    #: Who changed which order: the first fields of every event.
    common: Mapping[str, Any]
    actor: str
    now: datetime
    significance: Significance
    before: Derived | None
    after: Derived
    cause_stage: str | None = None
    cause_department: str | None = None
    cause_reason: str | None = None
    #: A technician's revision of one stage's finish: (before, after). It is news even when it
    #: does not move the order's ETA (a branch off the critical path).
    stage_revision: tuple[datetime | None, datetime | None] | None = None
    #: A new order: its first estimate opens the promise ledger.
    initial: bool = False
    #: The promise moved (previous, new): the ledger keeps what was promised when.
    promise_change: tuple[datetime, datetime] | None = None
    #: What the customer was last told (the first ETA and the quote until told): every change
    #: is measured against it, so small steps add up.
    told_likely_at: datetime | None = None
    told_amount: Decimal | None = None


@dataclass(frozen=True)
class News:
    events: list[Announcement] = field(default_factory=list)
    #: Ledger rows as the values of an INSERT; ``event_id`` is filled in once the events
    #: announcing them (``LEDGER_EVENT``) have their ids.
    ledger: list[dict[str, Any]] = field(default_factory=list)


def _entry(facts: ChangeFacts, kind: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "order_id": facts.order_id,
        "event_id": None,
        "at": facts.now,
        "kind": kind,
        "stage_key": facts.cause_stage,
        "reason": facts.cause_reason,
        "actor": facts.actor,
        "promised_at": facts.promised_at,
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


def _opening_entries(facts: ChangeFacts) -> list[dict[str, Any]]:
    """The first estimate, and any move of the promise itself."""
    entries: list[dict[str, Any]] = []
    after = facts.after
    likely = after.eta.likely_at
    if facts.initial:
        beyond = likely is not None and likely > facts.promised_at
        entries.append(
            _entry(
                facts,
                "initial",
                new_at=likely,
                new_amount=after.costs.estimated,
                crossed_promise="behind" if beyond else None,
                significant=beyond,
            )
        )
    if facts.promise_change is not None and likely is not None:
        previous, new = facts.promise_change
        was_behind, now_behind = likely > previous, likely > new
        crossed = None if was_behind == now_behind else ("behind" if now_behind else "back")
        entries.append(
            _entry(
                facts,
                "promise",
                previous_at=previous,
                new_at=new,
                delta_minutes=minutes_between(previous, new),
                crossed_promise=crossed,
                significant=crossed is not None,
            )
        )
    return entries


def _revisions(facts: ChangeFacts, events: list[Announcement], ledger: list[dict[str, Any]]) -> None:
    """A revised estimate or cost: its event, and its ledger row when the figure really moved."""
    before, after, rule = facts.before, facts.after, facts.significance
    cause, dept = facts.cause_stage, facts.cause_department
    prev_at = before.eta.likely_at if before else None
    new_at = after.eta.likely_at
    moved = (
        before is not None
        and prev_at is not None
        and new_at is not None
        and abs((new_at - prev_at).total_seconds()) >= MIN_ETA_MOVE_SECONDS
        and after.state not in (OrderState.DONE, OrderState.CANCELLED)
    )
    if (moved or facts.stage_revision is not None) and prev_at is not None and new_at is not None:
        delta = minutes_between(prev_at, new_at)
        stage_prev, stage_new = facts.stage_revision or (None, None)
        crossed = crossing(prev_at, new_at, facts.promised_at)
        significant = eta_change_to_tell(facts.told_likely_at or prev_at, new_at, facts.promised_at, rule)
        data = {
            **facts.common,
            "stage": cause,
            "reason": facts.cause_reason,
            "previous_likely_at": iso(prev_at),
            "likely_at": iso(new_at),
            "latest_at": iso(after.eta.latest_at),
            "basis": after.eta.basis.value,
            "delta_minutes": delta,
            "stage_previous_finish_at": iso(stage_prev),
            "stage_expected_finish_at": iso(stage_new),
            "promised_at": iso(facts.promised_at),
            "crossed_promise": crossed,
            "significant": significant,
        }
        events.append(Announcement("estimate.revised", data, dept))
        if moved:
            ledger.append(
                _entry(
                    facts,
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
            facts.told_amount, new_cost, after.costs.quoted, rule
        )
        data = {
            **facts.common,
            "stage": cause,
            "reason": facts.cause_reason,
            "currency": facts.currency,
            "previous_estimated": str(prev_cost),
            "estimated": str(new_cost),
            "delta": str(new_cost - prev_cost),
            "quoted": str(after.costs.quoted),
            "actual": str(after.costs.actual),
            "significant": significant,
        }
        events.append(Announcement("cost.revised", data, dept))
        if new_cost != prev_cost:
            ledger.append(
                _entry(
                    facts,
                    "cost",
                    previous_amount=prev_cost,
                    new_amount=new_cost,
                    delta_amount=new_cost - prev_cost,
                    significant=significant,
                )
            )


def order_news(
    facts: ChangeFacts, announced: Sequence[Announcement], fallback: Announcement | None = None
) -> News:
    """Every event the change appends, in order, and the ledger rows it writes.

    ``announced`` are the use case's own events; ``fallback`` is appended only if nothing else
    is (a change of notes or assignee is still a change).
    """
    before, after = facts.before, facts.after
    events = list(announced)
    ledger = _opening_entries(facts)
    _revisions(facts, events, ledger)
    risk = risk_event(before.at_risk if before else False, after.at_risk, after.state)
    if risk is not None:
        data = {
            **facts.common,
            "stage": facts.cause_stage,
            "reason": facts.cause_reason,
            "promised_at": iso(facts.promised_at),
            "likely_at": iso(after.eta.likely_at),
            "latest_at": iso(after.eta.latest_at),
            "late": after.state is OrderState.LATE,
            "significant": True,
        }
        events.append(Announcement(risk, data, facts.cause_department))
    was_done = before is not None and before.state is OrderState.DONE
    if after.state is OrderState.DONE and not was_done:
        data = {
            **facts.common,
            "completed_at": iso(facts.now),
            "promised_at": iso(facts.promised_at),
            "on_time": facts.now <= facts.promised_at,
        }
        events.append(Announcement("order.completed", data, facts.cause_department))
    if not events and fallback is not None:
        events.append(fallback)
    # Every event says where the order stands once it is written, unless it says so itself.
    stamp = {"order_version": facts.version, "state": after.state.value, "at_risk": after.at_risk}
    stamped = [
        Announcement(e.type, {**e.data, **{k: v for k, v in stamp.items() if k not in e.data}}, e.department)
        for e in events
    ]
    return News(events=stamped, ledger=ledger)
