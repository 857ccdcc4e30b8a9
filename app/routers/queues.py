from __future__ import annotations

from fastapi import APIRouter

from app.deps import AnyRole, ContextDep, SessionDep
from app.models.queues import Queues
from app.routers.common import PageSizeQuery, problems
from app.services import queues

router = APIRouter(prefix="/v1/queues", tags=["queues"])


@router.get("", responses=problems(422))
def get_queues(session: SessionDep, ctx: ContextDep, _: AnyRole, limit: PageSizeQuery = 50) -> Queues:
    """The desk's queues: orders at risk, stages overdue, significant changes still to tell the
    customer, and the orders updated most recently."""
    return queues.queues(session, ctx.clock.now(), limit, ctx.view.learned_min_samples, ctx.view.significance)
