"""Idempotency records: the first answer to a keyed request, found by (scope, key) and kept.

Both statements run on keyed writes' hot path, prepared (app/repositories/statements.py); the
record is written without reading anything back, so on PostgreSQL it goes with the next round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Table, bindparam, delete, insert, select
from sqlmodel import Session

from app.models.idempotency import IdempotencyRecord
from app.repositories.records import record_class
from app.repositories.statements import run, write_many

if TYPE_CHECKING:
    KeptAnswer = IdempotencyRecord
else:
    KeptAnswer = record_class(IdempotencyRecord, "KeptAnswer")

RECORDS: Table = IdempotencyRecord.__table__  # type: ignore[attr-defined]
_FIND = select(RECORDS).where(RECORDS.c.scope == bindparam("scope"), RECORDS.c.key == bindparam("key"))
_INSERT = insert(RECORDS)
_COLUMNS = ("scope", "key", "fingerprint", "status_code", "replay", "created_at")


def find(session: Session, scope: str, key: str) -> KeptAnswer | None:
    rows = run(session, _FIND, {"scope": scope, "key": key})
    return KeptAnswer.from_row(rows[0]) if rows else None  # type: ignore[attr-defined]


def insert_all(session: Session, answers: Sequence[KeptAnswer]) -> None:
    """Keep new answers (their ids are not read back)."""
    rows = [{name: getattr(answer, name) for name in _COLUMNS} for answer in answers]
    write_many(session, _INSERT, rows, _COLUMNS)


def oldest_before(cutoff: datetime, batch: int) -> Select[Any]:
    """The ids of up to ``batch`` records made before ``cutoff``, oldest first (for retention,
    which locks what it removes)."""
    return (
        select(RECORDS.c.id).where(RECORDS.c.created_at < cutoff).order_by(RECORDS.c.created_at).limit(batch)
    )


def remove(session: Session, ids: Sequence[int]) -> None:
    session.execute(delete(RECORDS).where(RECORDS.c.id.in_(ids)))
