from __future__ import annotations

from fastapi import APIRouter, status

from app.deps import AdminDep, AnyRole, ContextDep, SessionDep
from app.models.flow import FlowCreate, FlowPublic
from app.routers.common import problems, write_at_now
from app.services import flows

router = APIRouter(prefix="/v1/flows", tags=["flows"])


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(403, 409, 422))
async def create_flow(body: FlowCreate, ctx: ContextDep, _: AdminDep) -> FlowPublic:
    """Define a process template. Its stages must form a DAG; flows cannot be redefined."""
    return await write_at_now(ctx, lambda session, now: flows.create_flow(session, body, now))


@router.get("", responses=problems())
def list_flows(session: SessionDep, _: AnyRole) -> list[FlowPublic]:
    return flows.list_flows(session)


@router.get("/{key}", responses=problems(404))
def get_flow(key: str, session: SessionDep, _: AnyRole) -> FlowPublic:
    return flows.get_flow(session, key)
