from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.deps import AdminDep, ContextDep, SessionDep
from app.models.integration import (
    IntegrationCreate,
    IntegrationPatch,
    IntegrationPublic,
    IntegrationWithSecret,
    SecretRotation,
)
from app.routers.common import problems, write_at_now
from app.services import integrations

router = APIRouter(prefix="/v1/integrations", tags=["integrations"])


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(403, 409, 422))
async def create_integration(body: IntegrationCreate, ctx: ContextDep, _: AdminDep) -> IntegrationWithSecret:
    """Register another system that posts signed updates to `POST /v1/inbound/{name}`.

    The `whsec_` secret is in this response only. Without a `mapping` the payload comes in our own
    shape: `{"order": "SO-1", "stage": "shipping", ...stage update fields}`.
    """
    return await write_at_now(ctx, lambda session, now: integrations.create_integration(session, body, now))


@router.get("", responses=problems(403))
def list_integrations(session: SessionDep, _: AdminDep) -> list[IntegrationPublic]:
    return integrations.list_integrations(session)


@router.get("/{name}", responses=problems(403, 404))
def get_integration(name: str, session: SessionDep, _: AdminDep) -> IntegrationPublic:
    return integrations.get_integration(session, name)


@router.patch("/{name}", responses=problems(403, 404, 422))
async def patch_integration(
    name: str, body: IntegrationPatch, ctx: ContextDep, _: AdminDep
) -> IntegrationPublic:
    """Change its scope, mapping, description, or disable it; fields left out stay as they are."""
    return await write_at_now(
        ctx, lambda session, now: integrations.patch_integration(session, name, body, now)
    )


@router.delete(
    "/{name}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=problems(403, 404)
)
async def delete_integration(name: str, ctx: ContextDep, _: AdminDep) -> None:
    """Remove it: its requests are refused from now on."""
    await ctx.writer.run(lambda session: integrations.delete_integration(session, name))


@router.post("/{name}/rotate-secret", responses=problems(403, 404, 422))
async def rotate_secret(
    name: str, ctx: ContextDep, _: AdminDep, body: SecretRotation | None = None
) -> IntegrationWithSecret:
    """A new secret, shown once. The old one still verifies for `overlap_minutes` (default a day)."""
    rotation = body or SecretRotation()
    return await write_at_now(
        ctx, lambda session, now: integrations.rotate_secret(session, name, rotation, now)
    )
