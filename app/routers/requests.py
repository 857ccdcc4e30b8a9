"""Requests from the desk to the back office, and the departments' answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse

from app.deps import AgentDep, AnyRole, ContextDep, IdempotentWriteDep, SessionDep, TechnicianDep
from app.models.flow import KEY_PATTERN
from app.models.order import REFERENCE_PATTERN
from app.models.requests import RequestAnswerIn, RequestIn, RequestList, RequestPublic, RequestState
from app.routers.common import problems
from app.services.requests import LIST_LIMIT, answer_request, list_requests, open_request

router = APIRouter(tags=["requests"])


@router.post(
    "/v1/orders/{reference}/requests",
    status_code=status.HTTP_201_CREATED,
    response_model=RequestPublic,
    responses=problems(403, 404, 409, 422),
)
async def post_request(
    reference: str,
    body: RequestIn,
    principal: AgentDep,
    write: IdempotentWriteDep,
) -> JSONResponse:
    """Ask the back office: a customer's question, or a change the customer wants.

    Sent to the named stage's department, or to every department with a stage not yet done. It
    stays open until every stage it concerns has answered; `request.opened` goes out once per
    department concerned.
    """
    now = write.now
    return await write(principal, 201, lambda session: open_request(session, reference, body, principal, now))


@router.post(
    "/v1/orders/{reference}/requests/{request_id}/answer",
    response_model=RequestPublic,
    responses=problems(403, 404, 409, 422),
)
async def post_answer(
    reference: str,
    request_id: int,
    body: RequestAnswerIn,
    principal: TechnicianDep,
    write: IdempotentWriteDep,
) -> JSONResponse:
    """A department's answer: text, and for a change `accepted` or `refused`.

    Answers for the named stage, or for every unanswered stage of the caller's departments. An
    answer to a request every department has answered is a 409.
    """
    now = write.now
    return await write(
        principal, 200, lambda session: answer_request(session, reference, request_id, body, principal, now)
    )


@router.get("/v1/requests", responses=problems(403, 422))
def get_requests(
    session: SessionDep,
    ctx: ContextDep,
    principal: AnyRole,
    department: Annotated[str | None, Query(pattern=KEY_PATTERN)] = None,
    state: RequestState | None = None,
    order: Annotated[str | None, Query(pattern=REFERENCE_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=LIST_LIMIT)] = 50,
) -> RequestList:
    """Requests from the desk, newest first. A technician sees its own departments' only."""
    items = list_requests(
        session, principal, ctx.clock.now(), department=department, state=state, order=order, limit=limit
    )
    return RequestList(items=items)
