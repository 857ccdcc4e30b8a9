"""The workbench's list, read in one session: the stages of the caller's departments that need a
hand, with the order's promise and what the desk asked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from app.db import Session
from app.domain.access import Principal
from app.domain.quick_picks import quick_picks
from app.domain.stage_machine import StageStatus
from app.models.order import OrderPublic, StagePublic
from app.repositories.orders.queues import stages_needing_hand
from app.repositories.requests import open_asks
from app.services.calendars import office_hours
from app.services.flows import FlowDefinition, load_flow
from app.services.orders import get_status_view
from app.settings_view import ViewSettings

#: Cards on one page: a department's day, not its history.
LIMIT = 100
#: Overdue first, then blocked, in progress, ready; stages not ready yet only carry the desk's asks.
RANK = {"overdue": 0, StageStatus.BLOCKED: 1, StageStatus.IN_PROGRESS: 2, StageStatus.READY: 3}


@dataclass
class Ask:
    """A request from the desk that this stage has not answered yet."""

    id: int
    kind: str
    text: str
    answer_by: datetime | None
    overdue: bool
    actor_name: str
    at: datetime


@dataclass
class Card:
    order: OrderPublic
    stage: StagePublic
    asks: list[Ask]
    reasons: list[tuple[str, str]]
    mine: bool

    @property
    def rank(self) -> int:
        if self.stage.overdue:
            return RANK["overdue"]
        return RANK.get(self.stage.status, 4)


@dataclass
class BenchPage:
    cards: list[Card]
    mine_only: bool
    picks: dict[str, datetime]
    departments: list[str]
    counts: dict[str, int] = field(default_factory=dict)


def _departments(principal: Principal) -> set[str] | None:
    """None: every department (an admin)."""
    return None if principal.role == "admin" else set(principal.departments)


def _open_asks(
    session: Session, departments: set[str] | None, now: datetime
) -> dict[tuple[int, str], list[Ask]]:
    asks: dict[tuple[int, str], list[Ask]] = defaultdict(list)
    for request, stage_key in open_asks(session, departments):
        assert request.id is not None
        asks[(request.order_id, stage_key)].append(
            Ask(
                id=request.id,
                kind=request.kind,
                text=request.text,
                answer_by=request.answer_by,
                overdue=request.answer_by is not None and request.answer_by <= now,
                actor_name=request.actor_name,
                at=request.at,
            )
        )
    return asks


def bench_page(
    session: Session,
    principal: Principal,
    now: datetime,
    view: ViewSettings,
    language: str,
    *,
    mine_only: bool,
) -> BenchPage:
    departments = _departments(principal)
    asks = _open_asks(session, departments, now)
    asked_orders = {order_id for order_id, _ in asks}
    # A stage that needs a hand, or one the desk has asked something of before it starts.
    rows = stages_needing_hand(
        session,
        asked_orders=asked_orders,
        departments=departments,
        assignee=principal.name if mine_only else None,
        limit=LIMIT * 3,
    )
    views: dict[str, OrderPublic] = {}
    flows: dict[str, FlowDefinition] = {}
    cards: list[Card] = []
    for order_id, reference, stage_key in rows:
        stage_asks = asks.get((order_id, stage_key), [])
        if reference not in views:
            views[reference] = get_status_view(session, reference, now, view)
        order = views[reference]
        stage = next(s for s in order.stages if s.key == stage_key)
        if stage.status is StageStatus.PENDING and not stage_asks:
            continue
        if order.flow not in flows:
            flows[order.flow] = load_flow(session, order.flow)
        reasons = [(code, r.label[language]) for code, r in flows[order.flow].reasons.items()]
        cards.append(Card(order, stage, stage_asks, reasons, mine=stage.assignee == principal.name))
    cards.sort(key=lambda c: c.rank)
    counts = {
        "overdue": sum(1 for c in cards if c.stage.overdue),
        "asks": sum(len(c.asks) for c in cards),
    }
    week = office_hours(session)
    return BenchPage(
        cards=cards[:LIMIT],
        mine_only=mine_only,
        picks=quick_picks(now, week),
        departments=sorted(departments) if departments is not None else [],
        counts=counts,
    )
