"""API keys: stored as a hash of the secret, found by it on every request, listed, revoked.

The lookup by hash runs before every API call, outside any transaction: it is read on a pooled
connection, prepared (app/repositories/statements.py). The rest is plain Core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Table, bindparam, insert, select
from sqlmodel import Session

from app.db import Database
from app.models.access import ApiKey
from app.repositories.records import Record, record_class, update_statement
from app.repositories.statements import read_pooled

if TYPE_CHECKING:
    KeyRecord = ApiKey
else:
    KeyRecord = record_class(ApiKey, "KeyRecord")

KEYS: Table = ApiKey.__table__  # type: ignore[attr-defined]
_BY_HASH = select(KEYS).where(KEYS.c.secret_hash == bindparam("secret_hash"))
_BY_ID = select(KEYS).where(KEYS.c.id == bindparam("id"))


def _record(key: KeyRecord) -> Record:
    return key  # type: ignore[return-value]


def _of(row: object) -> KeyRecord:
    return KeyRecord.from_row(row)  # type: ignore[attr-defined,no-any-return]


def find_by_hash(db: Database, secret_hash: str) -> KeyRecord | None:
    """The key with this hash, as committed now (a revocation counts at once)."""
    rows = read_pooled(db, _BY_HASH, {"secret_hash": secret_hash})
    return _of(rows[0]) if rows else None


def hash_taken(session: Session, secret_hash: str) -> bool:
    """Whether a key (revoked or not) has this hash, in the session's transaction."""
    return session.execute(select(KEYS.c.id).where(KEYS.c.secret_hash == secret_hash)).first() is not None


def get(session: Session, key_id: str, *, for_change: bool = False) -> KeyRecord | None:
    """The key with this id; ``for_change``: it can be saved after."""
    row = session.execute(_BY_ID, {"id": key_id}).mappings().first()
    if row is None:
        return None
    key = _of(row)
    if for_change:
        _record(key).mark_stored()
    return key


def all_keys(session: Session) -> list[KeyRecord]:
    """Every key, oldest first."""
    return [_of(row) for row in session.execute(select(KEYS).order_by(KEYS.c.created_at)).mappings()]


def admins_besides(session: Session, key_id: str, admin_role: str) -> list[KeyRecord]:
    query = select(KEYS).where(KEYS.c.role == admin_role, KEYS.c.id != key_id)
    return [_of(row) for row in session.execute(query).mappings()]


def any_key(session: Session) -> bool:
    return session.execute(select(KEYS.c.id).limit(1)).first() is not None


def insert_key(session: Session, key: KeyRecord) -> None:
    session.execute(insert(KEYS), _record(key).values())
    _record(key).mark_stored()


def save(session: Session, key: KeyRecord) -> None:
    """Write what changed since the key was read ``for_change`` (or inserted)."""
    record = _record(key)
    changed = record.changes()
    if changed:
        session.execute(update_statement(KEYS, frozenset(changed)), {**changed, "_row_id": key.id})
        record.mark_stored()
