from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.types import UTCDateTime


class IdempotencyRecord(SQLModel, table=True):
    """The first response to a request with an ``Idempotency-Key``, replayed to its retries.

    Kept for ``NEXTDESK_RETAIN_IDEMPOTENCY_HOURS``; the answer is stored compressed
    (``app.models.replay_codec``), not as a second copy of the status view in JSON.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_record_scope_key"),)

    id: int | None = SQLField(default=None, primary_key=True)
    scope: str = SQLField(max_length=120, description="Who asked: retries count only for the same caller")
    key: str = SQLField(max_length=200)
    #: The SHA-256 of the request (method, path, body), as 32 bytes.
    fingerprint: bytes = SQLField(sa_column=Column(LargeBinary, nullable=False))
    status_code: int
    #: The answer's JSON body, compressed: what a retry gets back, byte for byte as JSON.
    replay: bytes = SQLField(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = SQLField(sa_type=UTCDateTime, nullable=False, index=True)
