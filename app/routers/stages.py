from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from app.deps import IdempotentWriteDep, StageWriterDep
from app.models.order import OrderPublic, StageUpdateIn, StageUpdateReceipt
from app.routers.common import prefers, problems
from app.services.stage_updates import apply_stage_update

router = APIRouter(prefix="/v1/orders", tags=["stages"])

PreferHeader = Annotated[
    str | None,
    Header(
        alias="Prefer",
        description=(
            "`return=minimal` (RFC 7240) answers with a receipt (the order's version and the ids of "
            "the events appended) instead of the status view, and says so in `Preference-Applied`"
        ),
        examples=["return=minimal"],
    ),
]


@router.post(
    "/{reference}/stages/{stage}/updates",
    response_model=OrderPublic | StageUpdateReceipt,
    responses={
        200: {
            "description": "The status view; with `Prefer: return=minimal`, the receipt",
            "headers": {
                "ETag": {"description": "The order's version after the update", "schema": {"type": "string"}},
                "Preference-Applied": {
                    "description": "`return=minimal` when the answer is the receipt",
                    "schema": {"type": "string"},
                },
            },
        },
        **problems(403, 404, 409, 412, 422),
    },
)
async def post_stage_update(
    reference: str,
    stage: str,
    body: StageUpdateIn,
    request: Request,
    principal: StageWriterDep,
    write: IdempotentWriteDep,
    prefer: PreferHeader = None,
) -> JSONResponse:
    """A status change and/or a revised finish, cost or note. Answers with the new status view,
    or with `Prefer: return=minimal` a receipt: the version and the ids of the events appended.

    An invalid transition is a 409 naming the current status and the allowed ones.
    """
    view = write.ctx.view
    minimal = prefer is not None and prefers(request, "return", "minimal")
    return await write(
        principal,
        200,
        lambda session: apply_stage_update(
            session, reference, stage, body, principal, write.now, view, lean=minimal
        ),
        applied="return=minimal" if minimal else None,
    )
