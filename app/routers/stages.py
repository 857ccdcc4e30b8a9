from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.deps import IdempotentWriteDep, StageWriterDep
from app.models.order import OrderPublic, StageUpdateIn
from app.routers.common import problems
from app.services.stage_updates import apply_stage_update

router = APIRouter(prefix="/v1/orders", tags=["stages"])


@router.post(
    "/{reference}/stages/{stage}/updates",
    response_model=OrderPublic,
    responses=problems(403, 404, 409, 412, 422),
)
async def post_stage_update(
    reference: str,
    stage: str,
    body: StageUpdateIn,
    principal: StageWriterDep,
    write: IdempotentWriteDep,
) -> JSONResponse:
    """A status change and/or a revised finish, cost or note. Answers with the new status view.

    An invalid transition is a 409 naming the current status and the allowed ones.
    """
    view = write.ctx.view
    return await write(
        principal,
        200,
        lambda session: apply_stage_update(session, reference, stage, body, principal, write.now, view),
    )
