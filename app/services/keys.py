"""API keys: made random, shown once, stored as a hash, revocable, optionally expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Table, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.db import Database
from app.domain.access import KeyState, Principal, key_state, key_usable
from app.domain.errors import Conflict, NotFound, Unauthorized, Unprocessable
from app.models.access import ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, Role
from app.prepared import RowView, prepared

SECRET_PREFIX = "ndk_"
KEYS: Table = ApiKey.__table__  # type: ignore[attr-defined]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def public(key: ApiKey) -> ApiKeyPublic:
    return ApiKeyPublic(
        id=key.id,
        name=key.name,
        role=Role(key.role),
        departments=list(key.departments),
        prefix=key.prefix,
        created_at=key.created_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
    )


def create_key(
    session: Session, body: ApiKeyCreate, now: datetime, *, secret: str | None = None
) -> ApiKeyCreated:
    if body.expires_at is not None and body.expires_at <= now:
        message = f"expires_at {body.expires_at.isoformat()} has passed; give a future time or none"
        raise Unprocessable(
            message, errors=[{"loc": ["body", "expires_at"], "msg": message, "type": "value_error"}]
        )
    secret = secret or new_secret()
    key = ApiKey(
        id="key_" + secrets.token_hex(6),
        name=body.name,
        role=body.role.value,
        departments=sorted(set(body.departments)),
        secret_hash=hash_secret(secret),
        prefix=secret[:10],
        created_at=now,
        expires_at=body.expires_at,
    )
    session.add(key)
    session.flush()
    return ApiKeyCreated(**public(key).model_dump(), secret=secret)


def list_keys(session: Session) -> list[ApiKeyPublic]:
    return [public(k) for k in session.exec(select(ApiKey).order_by(col(ApiKey.created_at))).all()]


def _get(session: Session, key_id: str) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"no key '{key_id}'")
    return key


def get_key(session: Session, key_id: str) -> ApiKeyPublic:
    return public(_get(session, key_id))


def revoke_key(session: Session, key_id: str, now: datetime) -> ApiKeyPublic:
    key = _get(session, key_id)
    if key.role == Role.ADMIN and key_usable(key.revoked_at, key.expires_at, now):
        admins = session.exec(
            select(ApiKey).where(ApiKey.role == Role.ADMIN.value, ApiKey.id != key.id)
        ).all()
        if not any(key_usable(other.revoked_at, other.expires_at, now) for other in admins):
            # Without a working admin key nobody could manage keys, flows or integrations any more.
            raise Conflict(
                f"'{key.name}' is the last working admin key; create another admin key before revoking it"
            )
    if key.revoked_at is None:
        key.revoked_at = now
        session.add(key)
    return public(key)


def count_keys(session: Session) -> int:
    return len(session.exec(select(ApiKey.id).limit(1)).all())


_KEY_BY_HASH = sa_select(KEYS).where(KEYS.c.secret_hash == bindparam("secret_hash"))


def authenticate(db: Database, secret: str, now: datetime) -> Principal:
    """The caller behind a secret, read on every request: a revocation counts at once."""
    # A prepared read on a pooled connection: this runs before every API call, and through a
    # session it cost ten times as much (bench/RESULTS.md).
    with db.driver() as (driver, dialect):
        rows = prepared(_KEY_BY_HASH, dialect).run(driver, {"secret_hash": hash_secret(secret)})
    if not rows:
        raise Unauthorized("the API key is not known; check the Authorization: Bearer <key> header")
    return _usable(RowView(rows[0]), now)


def principal_for_key(session: Session, key_id: str, now: datetime) -> Principal:
    """The principal behind a key already proven once (the desk's sign-in), checked again now."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise Unauthorized("the key you signed in with no longer exists; sign in again")
    return _usable(key, now)


def _usable(key: ApiKey | RowView, now: datetime) -> Principal:
    state = key_state(key.revoked_at, key.expires_at, now)
    if state is KeyState.REVOKED:
        raise Unauthorized(f"the API key '{key.name}' was revoked")
    if state is KeyState.EXPIRED and key.expires_at is not None:
        raise Unauthorized(f"the API key '{key.name}' expired at {key.expires_at.isoformat()}")
    return Principal(key_id=key.id, name=key.name, role=key.role, departments=frozenset(key.departments))
