"""API keys: made random, shown once, stored as a hash, revocable, optionally expiring."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from app.context import AppContext
from app.db import Database, Session
from app.domain.access import KeyState, Principal, key_state, key_usable
from app.domain.errors import Conflict, NotFound, Unauthorized, Unprocessable
from app.models.access import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, Role
from app.repositories import keys as repo
from app.repositories.keys import KeyRecord

SECRET_PREFIX = "ndk_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def public(key: KeyRecord) -> ApiKeyPublic:
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
    key = KeyRecord(
        id="key_" + secrets.token_hex(6),
        name=body.name,
        role=body.role.value,
        departments=sorted(set(body.departments)),
        secret_hash=hash_secret(secret),
        prefix=secret[:10],
        created_at=now,
        expires_at=body.expires_at,
    )
    repo.insert_key(session, key)
    return ApiKeyCreated(**public(key).model_dump(), secret=secret)


def ensure_key(session: Session, body: ApiKeyCreate, now: datetime, *, secret: str) -> None:
    """Create a key with this secret unless one has it already (a seeded key, started again)."""
    if not repo.hash_taken(session, hash_secret(secret)):
        create_key(session, body, now, secret=secret)


def list_keys(session: Session) -> list[ApiKeyPublic]:
    return [public(k) for k in repo.all_keys(session)]


def _get(session: Session, key_id: str, *, for_change: bool = False) -> KeyRecord:
    key = repo.get(session, key_id, for_change=for_change)
    if key is None:
        raise NotFound(f"no key '{key_id}'")
    return key


def get_key(session: Session, key_id: str) -> ApiKeyPublic:
    return public(_get(session, key_id))


def revoke_key(session: Session, key_id: str, now: datetime) -> ApiKeyPublic:
    key = _get(session, key_id, for_change=True)
    if key.role == Role.ADMIN and key_usable(key.revoked_at, key.expires_at, now):
        admins = repo.admins_besides(session, key.id, Role.ADMIN.value)
        if not any(key_usable(other.revoked_at, other.expires_at, now) for other in admins):
            # Without a working admin key nobody could manage keys, flows or integrations any more.
            raise Conflict(
                f"'{key.name}' is the last working admin key; create another admin key before revoking it"
            )
    if key.revoked_at is None:
        key.revoked_at = now
        repo.save(session, key)
    return public(key)


def count_keys(session: Session) -> int:
    """1 if any key exists, else 0 (no more is counted)."""
    return 1 if repo.any_key(session) else 0


def authenticate(db: Database, secret: str, now: datetime) -> Principal:
    """The caller behind a secret, read now: a revocation counts at once."""
    return _usable(_find(db, hash_secret(secret)), now)


def _find(db: Database, digest: str) -> KeyRecord:
    key = repo.find_by_hash(db, digest)
    if key is None:
        raise Unauthorized("the API key is not known; check the Authorization: Bearer <key> header")
    return key


@dataclass(frozen=True)
class _Read:
    key: KeyRecord
    at: float


class KnownKeys:
    """Keys as read in the last ``seconds``, by the hash of their secret.

    A read per request was a third of a stage update's cost (bench/RESULTS.md). A key's expiry is
    judged at every use; a revocation made through this process empties the cache at once
    (:meth:`forget`); one made elsewhere counts once the key's entry is ``seconds`` old. Unknown
    secrets are never kept, so guessing cannot grow it.
    """

    #: More keys than any deployment holds; past it the cache starts over rather than grow.
    CAPACITY = 10_000

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._reads: dict[str, _Read] = {}
        # Bumped by forget(): a read that began before a revocation must not be kept after it.
        self._generation = 0

    def recent(self, secret: str, now: datetime) -> Principal | None:
        """The caller, when its key was read recently enough; None when it must be read."""
        read = self._reads.get(hash_secret(secret))
        if read is None or time.monotonic() - read.at >= self.seconds:
            return None
        return _usable(read.key, now)

    def read(self, db: Database, secret: str, now: datetime) -> Principal:
        """The caller, read from the database, and kept for the next ``seconds``."""
        digest = hash_secret(secret)
        generation, started = self._generation, time.monotonic()
        key = _find(db, digest)
        if self.seconds > 0 and generation == self._generation:
            if len(self._reads) >= self.CAPACITY:
                self._reads.clear()
            self._reads[digest] = _Read(key, started)
        return _usable(key, now)

    def forget(self) -> None:
        """Read every key again: one was revoked (or changed) here."""
        self._generation += 1
        self._reads.clear()


_KNOWN_KEYS = "known_keys"


def known_keys(ctx: AppContext) -> KnownKeys:
    """The running service's :class:`KnownKeys`."""
    known = ctx.components.get(_KNOWN_KEYS)
    if known is None:
        known = ctx.components[_KNOWN_KEYS] = KnownKeys(ctx.settings.key_cache_seconds)
    return known


def principal_for_key(session: Session, key_id: str, now: datetime) -> Principal:
    """The principal behind a key already proven once (the desk's sign-in), checked again now."""
    key = repo.get(session, key_id)
    if key is None:
        raise Unauthorized("the key you signed in with no longer exists; sign in again")
    return _usable(key, now)


def _usable(key: KeyRecord, now: datetime) -> Principal:
    state = key_state(key.revoked_at, key.expires_at, now)
    if state is KeyState.REVOKED:
        raise Unauthorized(f"the API key '{key.name}' was revoked")
    if state is KeyState.EXPIRED and key.expires_at is not None:
        raise Unauthorized(f"the API key '{key.name}' expired at {key.expires_at.isoformat()}")
    return Principal(key_id=key.id, name=key.name, role=key.role, departments=frozenset(key.departments))
