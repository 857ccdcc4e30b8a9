from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from app.deps import ContextDep, SessionDep
from app.models.integration import InboundResult
from app.routers.common import problems
from app.services.inbound import read_update, receive_update
from app.services.integrations import InboundSource, inbound_source

router = APIRouter(prefix="/v1/inbound", tags=["inbound"])


def get_source(integration: str, session: SessionDep, ctx: ContextDep) -> InboundSource:
    return inbound_source(session, integration, ctx.clock.now())


SIGNED_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "Signed per Standard Webhooks over these exact bytes. Our own shape unless the "
        "integration declares a mapping.",
        "content": {
            "application/json": {
                "schema": {"type": "object"},
                "example": {
                    "order": "SO-1042",
                    "stage": "shipping",
                    "status": "in_progress",
                    "customer_note": "Picked up by the courier.",
                },
            }
        },
    }
}


RESPONSES = problems(403, 404, 409, 422)
RESPONSES[401] = {
    **RESPONSES[401],
    "description": "Signature missing, wrong, or timestamp more than 5 minutes off",
}
RESPONSES[403] = {
    **RESPONSES[403],
    "description": "The integration is disabled, or the stage is outside its scope",
}


@router.post("/{integration}", responses=RESPONSES, openapi_extra=SIGNED_BODY)
async def receive(
    request: Request,
    ctx: ContextDep,
    source: Annotated[InboundSource, Depends(get_source)],
    webhook_id: Annotated[str | None, Header(alias="webhook-id")] = None,
    webhook_timestamp: Annotated[
        str | None, Header(alias="webhook-timestamp", description="Unix seconds")
    ] = None,
    webhook_signature: Annotated[
        str | None, Header(alias="webhook-signature", description="v1,<base64>")
    ] = None,
) -> InboundResult:
    """Another system's update to one stage, signed with the integration's `whsec_` secret.

    No API key: the signature is the credential (401 when missing, wrong, or more than 5 minutes
    off). A `webhook-id` already taken answers 200 with outcome `duplicate` and changes nothing.
    The update goes through the same rules as a technician's (409 for a refused transition).
    """
    now = ctx.clock.now()
    message = read_update(
        source,
        await request.body(),
        msg_id=webhook_id,
        timestamp=webhook_timestamp,
        signature=webhook_signature,
        now=now,
    )
    return await ctx.writer.run(lambda session: receive_update(session, source, message, now, ctx.view))
