"""Requests from the desk: opened by an agent, answered by each department concerned.

Each department concerned gets its own event, so a webhook or a stream filtered to one department
hears of every request that needs it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.db import Session
from app.domain.access import Principal
from app.domain.errors import Forbidden, NotFound
from app.domain.order_news import iso
from app.domain.requests import (
    Concerned,
    StageRef,
    all_answered,
    check_answer_by,
    check_outcome,
    concerned_stages,
    stages_to_answer,
)
from app.events.append import NewEvent, append_events
from app.models.requests import (
    DeskRequest,
    DeskRequestStage,
    Outcome,
    RequestAnswerIn,
    RequestIn,
    RequestKind,
    RequestPublic,
    RequestStagePublic,
    RequestState,
)
from app.repositories import requests as desk_requests
from app.repositories.orders import OrderRecord, order_id_of, reference_of
from app.services.order_changes import load_order, order_event

SWEEP_BATCH = 100
LIST_LIMIT = 200


def _public(
    request: DeskRequest, stages: Sequence[DeskRequestStage], reference: str, customer: str, now: datetime
) -> RequestPublic:
    assert request.id is not None
    open_ = request.state == RequestState.OPEN.value
    return RequestPublic(
        id=request.id,
        order=reference,
        customer=customer,
        kind=RequestKind(request.kind),
        text=request.text,
        state=RequestState(request.state),
        answer_by=request.answer_by,
        overdue=open_ and request.answer_by is not None and request.answer_by <= now,
        actor=request.actor,
        actor_name=request.actor_name,
        at=request.at,
        answered_at=request.answered_at,
        stages=[
            RequestStagePublic(
                stage=s.stage_key,
                name=s.stage_name,
                department=s.department,
                answered=s.answered_at is not None,
                answer=s.answer,
                outcome=Outcome(s.outcome) if s.outcome else None,
                answered_by=s.answered_by,
                answered_by_name=s.answered_by_name,
                answered_at=s.answered_at,
            )
            for s in stages
        ],
    )


def _by_department(stages: Iterable[DeskRequestStage]) -> dict[str, list[DeskRequestStage]]:
    grouped: dict[str, list[DeskRequestStage]] = defaultdict(list)
    for stage in stages:
        grouped[stage.department].append(stage)
    return grouped


def _event(
    kind: str, order: OrderRecord, request: DeskRequest, department: str, data: dict[str, Any]
) -> NewEvent:
    return order_event(
        order,
        kind,
        {
            "order_version": order.version,
            "request": request.id,
            "kind": request.kind,
            "text": request.text,
            "answer_by": iso(request.answer_by),
            "department": department,
            "state": order.state,
            "at_risk": order.at_risk,
            **data,
        },
        department,
    )


def open_request(
    session: Session, reference: str, body: RequestIn, principal: Principal, now: datetime
) -> RequestPublic:
    check_answer_by(body.answer_by, now)
    order, stages = load_order(session, reference, lock=True)
    assert order.id is not None
    refs = [StageRef(s.key, s.name, s.department, s.status) for s in stages]
    concerned = concerned_stages(refs, body.stage, reference)
    request = DeskRequest(
        order_id=order.id,
        kind=body.kind.value,
        text=body.text,
        answer_by=body.answer_by,
        state=RequestState.OPEN.value,
        actor=principal.actor,
        actor_name=principal.name,
        at=now,
        event_id=0,
    )
    session.add(request)
    session.flush()
    assert request.id is not None
    rows = [
        DeskRequestStage(request_id=request.id, stage_key=s.key, stage_name=s.name, department=s.department)
        for s in concerned
    ]
    session.add_all(rows)
    departments = _by_department(rows)
    events = append_events(
        session,
        [
            _event(
                "request.opened",
                order,
                request,
                department,
                {
                    **principal.describe(),
                    "stages": [s.stage_key for s in mine],
                    "departments": sorted(departments),
                },
            )
            for department, mine in departments.items()
        ],
        now,
    )
    request.event_id = events[0].id
    session.flush()
    return _public(request, rows, order.reference, order.customer_name, now)


def _load(session: Session, reference: str, request_id: int) -> tuple[DeskRequest, list[DeskRequestStage]]:
    order_id = order_id_of(session, reference)
    request = session.get(DeskRequest, request_id)
    if order_id is None or request is None or request.order_id != order_id:
        raise NotFound(f"order '{reference}' has no request {request_id}")
    return request, desk_requests.stages_of_request(session, request_id)


def answer_request(
    session: Session,
    reference: str,
    request_id: int,
    body: RequestAnswerIn,
    principal: Principal,
    now: datetime,
) -> RequestPublic:
    # The order's lock serialises answers to one request: two departments answering at once
    # cannot both leave it open.
    order, _ = load_order(session, reference, lock=True)
    request, stages = _load(session, reference, request_id)
    concerned = [Concerned(s.stage_key, s.department, s.answered_at is not None) for s in stages]
    chosen = stages_to_answer(
        principal, concerned, body.stage, request_id, closed=request.state != RequestState.OPEN.value
    )
    check_outcome(request.kind, body.outcome.value if body.outcome else None)
    keys = {c.key for c in chosen}
    answered = [s for s in stages if s.stage_key in keys]
    for stage in answered:
        stage.answer = body.text
        stage.outcome = body.outcome.value if body.outcome else None
        stage.answered_by = principal.actor
        stage.answered_by_name = principal.name
        stage.answered_at = now
    if all_answered([Concerned(s.stage_key, s.department, s.answered_at is not None) for s in stages]):
        request.state = RequestState.ANSWERED.value
        request.answered_at = now
    append_events(
        session,
        [
            _event(
                "request.answered",
                order,
                request,
                department,
                {
                    **principal.describe(),
                    "stages": [s.stage_key for s in mine],
                    "answer": body.text,
                    "outcome": body.outcome.value if body.outcome else None,
                    "request_state": request.state,
                    "waiting_on": sorted({s.department for s in stages if s.answered_at is None}),
                },
            )
            for department, mine in _by_department(answered).items()
        ],
        now,
    )
    session.flush()
    return _public(request, stages, order.reference, order.customer_name, now)


def _stages_of(session: Session, request_ids: Sequence[int]) -> dict[int, list[DeskRequestStage]]:
    grouped: dict[int, list[DeskRequestStage]] = defaultdict(list)
    if request_ids:
        for row in desk_requests.stages_of(session, request_ids):
            grouped[row.request_id].append(row)
    return grouped


def list_requests(
    session: Session,
    principal: Principal,
    now: datetime,
    *,
    department: str | None = None,
    state: RequestState | None = None,
    order: str | None = None,
    limit: int = LIST_LIMIT,
) -> list[RequestPublic]:
    """Newest first. Technicians and integrations see only their departments' requests."""
    departments: set[str] | None = None
    if principal.role in ("technician", "integration"):
        if department is not None and department not in principal.departments:
            raise Forbidden(
                f"your key '{principal.name}' sees the requests of: "
                f"{', '.join(sorted(principal.departments)) or 'none'}; not of '{department}'",
                required_department=department,
            )
        departments = {department} if department else set(principal.departments)
    elif department is not None:
        departments = {department}
    rows = desk_requests.listed(
        session,
        departments=departments,
        state=state.value if state is not None else None,
        order=order,
        limit=limit,
    )
    stages = _stages_of(session, [r[0].id for r in rows if r[0].id is not None])
    return [_public(r, stages[r.id or 0], reference, customer, now) for r, reference, customer in rows]


def requests_of_order(session: Session, order: OrderRecord, now: datetime) -> list[RequestPublic]:
    rows = desk_requests.of_order(session, order.id)
    stages = _stages_of(session, [r.id for r in rows if r.id is not None])
    return [_public(r, stages[r.id or 0], order.reference, order.customer_name, now) for r in rows]


@dataclass
class Waiting:
    requests: set[int] = field(default_factory=set)
    departments: set[str] = field(default_factory=set)
    answer_by: datetime | None = None


def orders_waiting(session: Session) -> dict[int, Waiting]:
    """Orders with an open request: how many, who has not answered, and the soonest answer_by."""
    rows = desk_requests.unanswered(session)
    waiting: dict[int, Waiting] = defaultdict(Waiting)
    for order_id, request_id, answer_by, department in rows:
        entry = waiting[order_id]
        entry.requests.add(request_id or 0)
        entry.departments.add(department)
        if answer_by is not None and (entry.answer_by is None or answer_by < entry.answer_by):
            entry.answer_by = answer_by
    return dict(waiting)


def any_request_lapsed(session: Session, now: datetime) -> bool:
    return desk_requests.any_lapsed(session, now)


def sweep_requests(session: Session, now: datetime, sweeper: Principal, limit: int = SWEEP_BATCH) -> int:
    """Raise request.overdue once for each open request whose answer_by has passed."""
    raised = 0
    for request in desk_requests.lapsed(session, now, limit):
        # Claimed with a conditional update: a replica sweeping at the same time raises nothing.
        if not desk_requests.claim_lapse(session, request.id):
            continue
        session.refresh(request)
        order, _ = load_order_by_id(session, request.order_id)
        stages = _stages_of(session, [request.id or 0])[request.id or 0]
        waiting = [s for s in stages if s.answered_at is None]
        assert request.answer_by is not None
        append_events(
            session,
            [
                _event(
                    "request.overdue",
                    order,
                    request,
                    department,
                    {
                        **sweeper.describe(),
                        "stages": [s.stage_key for s in mine],
                        "minutes_overdue": int((now - request.answer_by).total_seconds() // 60),
                        "waiting_on": sorted({s.department for s in waiting}),
                    },
                )
                for department, mine in _by_department(waiting).items()
            ],
            now,
        )
        raised += 1
    return raised


def load_order_by_id(session: Session, order_id: int) -> tuple[OrderRecord, Any]:
    return load_order(session, reference_of(session, order_id))
