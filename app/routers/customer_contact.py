"""What the desk records about its talks with the customer: acknowledgements and inquiries."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from app.deps import AgentDep, IdempotentWriteDep
from app.models.desk import AcknowledgementIn, AcknowledgementPublic, InquiryIn, InquiryPublic
from app.routers.common import problems
from app.services.acknowledgements import record_acknowledgement
from app.services.inquiries import log_inquiry

router = APIRouter(prefix="/v1/orders", tags=["customer contact"])


@router.post(
    "/{reference}/acknowledgements",
    status_code=status.HTTP_201_CREATED,
    response_model=AcknowledgementPublic,
    responses=problems(403, 404, 409, 422),
)
async def post_acknowledgement(
    reference: str,
    body: AcknowledgementIn,
    principal: AgentDep,
    write: IdempotentWriteDep,
) -> JSONResponse:
    """Record what the customer was told: the order version, ETA, cost, and by which channel.

    The order leaves the desk's "to tell" queue until its next significant change, and later
    changes are measured against what was told here. A version older than the current one is
    refused with 409 (naming the current version and what changed) if the order has changed
    significantly since, or if a newer version was already told: an acknowledgement never
    replaces a newer one.
    """
    now = write.now
    return await write(
        principal, 201, lambda session: record_acknowledgement(session, reference, body, principal, now)
    )


@router.post(
    "/{reference}/inquiries",
    status_code=status.HTTP_201_CREATED,
    response_model=InquiryPublic,
    responses=problems(403, 404, 422),
)
async def post_inquiry(
    reference: str,
    body: InquiryIn,
    principal: AgentDep,
    write: IdempotentWriteDep,
) -> JSONResponse:
    """Log a customer's inquiry or complaint, attributed to a stage (by default the current one)."""
    now = write.now
    return await write(principal, 201, lambda session: log_inquiry(session, reference, body, principal, now))
