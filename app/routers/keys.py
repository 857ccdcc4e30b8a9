from __future__ import annotations

from fastapi import APIRouter, status

from app.deps import AdminDep, ContextDep, SessionDep
from app.models.access import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from app.routers.common import problems, write_at_now
from app.services import keys

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(403, 422))
async def create_key(body: ApiKeyCreate, ctx: ContextDep, _: AdminDep) -> ApiKeyCreated:
    """Create an API key. Its secret is in this response only; the service keeps a hash."""
    return await write_at_now(ctx, lambda session, now: keys.create_key(session, body, now))


@router.get("", responses=problems(403))
def list_keys(session: SessionDep, _: AdminDep) -> list[ApiKeyPublic]:
    """Every key, revoked and expired ones too, never with its secret."""
    return keys.list_keys(session)


@router.get("/{key_id}", responses=problems(403, 404))
def get_key(key_id: str, session: SessionDep, _: AdminDep) -> ApiKeyPublic:
    return keys.get_key(session, key_id)


@router.delete("/{key_id}", responses=problems(403, 404, 409))
async def revoke_key(key_id: str, ctx: ContextDep, _: AdminDep) -> ApiKeyPublic:
    """Revoke a key: it stops working at once here, and within `NEXTDESK_KEY_CACHE_SECONDS` (2 s) on
    other replicas. The last working admin key cannot be revoked."""
    revoked = await write_at_now(ctx, lambda session, now: keys.revoke_key(session, key_id, now))
    keys.known_keys(ctx).forget()
    return revoked
