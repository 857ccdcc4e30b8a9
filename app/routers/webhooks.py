from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.deps import AdminDep, ContextDep, SessionDep
from app.models.common import Page
from app.models.webhook import (
    DeliveryPublic,
    DeliveryStatus,
    PingQueued,
    ReplayIn,
    ReplayResult,
    RotateSecretIn,
    SecretRotated,
    WebhookCreate,
    WebhookCreated,
    WebhookPublic,
    WebhookUpdate,
)
from app.routers.common import CursorQuery, PageSizeQuery, problems, write_at_now
from app.services import webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(403, 422))
async def create_webhook(body: WebhookCreate, ctx: ContextDep, _: AdminDep) -> WebhookCreated:
    """Subscribe a URL to events. The `whsec_` signing secret is in this answer only.

    A URL whose host resolves to a loopback, private, link-local or metadata address is refused
    (422, naming the address) unless the operator allows private targets.
    """
    return await webhooks.register(ctx, body)


@router.get("", responses=problems(403))
def list_webhooks(session: SessionDep, _: AdminDep) -> list[WebhookPublic]:
    return webhooks.list_endpoints(session)


@router.get("/{endpoint_id}", responses=problems(403, 404))
def get_webhook(endpoint_id: str, session: SessionDep, _: AdminDep) -> WebhookPublic:
    return webhooks.get_endpoint(session, endpoint_id)


@router.patch("/{endpoint_id}", responses=problems(403, 404, 422))
async def update_webhook(
    endpoint_id: str, body: WebhookUpdate, ctx: ContextDep, _: AdminDep
) -> WebhookPublic:
    """Change the URL, types or filters; `status` pauses (`paused`) or resumes (`active`).

    While an endpoint is paused or disabled its events are held, not sent; replay sends them.
    """
    return await webhooks.change(ctx, endpoint_id, body)


@router.delete("/{endpoint_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(403, 404))
async def delete_webhook(endpoint_id: str, ctx: ContextDep, _: AdminDep) -> Response:
    """Remove the endpoint with its deliveries and their attempts."""
    await ctx.writer.run(lambda session: webhooks.delete_endpoint(session, endpoint_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{endpoint_id}/rotate-secret", responses=problems(403, 404, 422))
async def rotate_webhook_secret(
    endpoint_id: str, ctx: ContextDep, _: AdminDep, body: RotateSecretIn | None = None
) -> SecretRotated:
    """A new secret, shown once. Until `previous_secret_expires_at` every delivery carries two
    signatures, one per secret, so receivers can switch over without losing a message."""
    rotation, hours = body or RotateSecretIn(), ctx.settings.webhook_rotation_overlap_hours
    return await write_at_now(
        ctx, lambda session, now: webhooks.rotate_secret(session, endpoint_id, rotation, now, hours)
    )


@router.post("/{endpoint_id}/ping", status_code=status.HTTP_202_ACCEPTED, responses=problems(403, 404, 409))
async def ping_webhook(endpoint_id: str, ctx: ContextDep, _: AdminDep) -> PingQueued:
    """Queue a signed `webhook.ping` test event for this endpoint; its delivery shows in `/deliveries`."""
    return await webhooks.ping(ctx, endpoint_id)


@router.get("/{endpoint_id}/deliveries", responses=problems(403, 404, 422))
def list_webhook_deliveries(
    endpoint_id: str,
    session: SessionDep,
    _: AdminDep,
    status: Annotated[DeliveryStatus | None, Query(description="Only deliveries in this state")] = None,
    cursor: CursorQuery = None,
    limit: PageSizeQuery = 50,
) -> Page[DeliveryPublic]:
    """Deliveries, newest first, each with its attempts: status code, duration, error, the start of
    the answer, and when the next attempt is due."""
    return webhooks.list_deliveries(session, endpoint_id, status=status, cursor=cursor, limit=limit)


@router.post("/{endpoint_id}/replay", status_code=status.HTTP_202_ACCEPTED, responses=problems(403, 404, 422))
async def replay_webhook(endpoint_id: str, body: ReplayIn, ctx: ContextDep, _: AdminDep) -> ReplayResult:
    """Send again every event after `after_event_id`, or from `since` on, that the endpoint's filters
    select: held, failed and delivered ones alike. A paused endpoint gets them once resumed."""
    return await webhooks.replay_events(ctx, endpoint_id, body)
