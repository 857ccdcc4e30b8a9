from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from app.deps import ContextDep, StageWriterDep
from app.models.order import OrderPublic, StageUpdateIn, StageUpdateReceipt
from app.routers.common import IdempotencyKeyHeader, prefers, problems, write_idempotently
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
    ctx: ContextDep,
    principal: StageWriterDep,
    idempotency: IdempotencyKeyHeader = None,
    prefer: PreferHeader = None,
) -> JSONResponse:
    """A status change and/or a revised finish, cost or note. Answers with the new status view,
    or with `Prefer: return=minimal` a receipt: the version and the ids of the events appended.

    An invalid transition is a 409 naming the current status and the allowed ones.
    """
    now = ctx.clock.now()
    minimal = prefer is not None and prefers(request, "return", "minimal")
    return await write_idempotently(
        request,
        ctx,
        principal,
        idempotency,
        200,
        now,
        lambda session: apply_stage_update(
            session, reference, stage, body, principal, now, ctx.view, lean=minimal
        ),
        applied="return=minimal" if minimal else None,
    )
