"""``Idempotency-Key``: a retried request gets the first response and changes nothing more."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.db import Session
from app.domain.errors import Unprocessable
from app.events.retention import ids_to_remove
from app.models import replay_codec
from app.repositories import idempotency as answers
from app.repositories.idempotency import RECORDS, KeptAnswer
from app.writer import finish_before_commit

MAX_KEY_LENGTH = 200


class AnswerAtCommit:
    """An answer that names what is settled only at COMMIT: the numbers of the events appended."""

    __slots__ = ("_build",)

    def __init__(self, build: Callable[[], BaseModel]) -> None:
        self._build = build

    def body(self) -> dict[str, Any]:
        return self._build().model_dump(mode="json")


@dataclass(frozen=True)
class Replayable:
    status_code: int
    answer: dict[str, Any] | AnswerAtCommit
    replayed: bool

    @property
    def body(self) -> dict[str, Any]:
        """The answer's JSON body; for an answer settled at COMMIT, read only after it."""
        return self.answer.body() if isinstance(self.answer, AnswerAtCommit) else self.answer


def fingerprint(method: str, path: str, body: bytes) -> bytes:
    """What makes a retry the same request: the SHA-256 of its method, path and body."""
    digest = hashlib.sha256()
    for part in (method.encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.digest()


#: Visible ASCII, spaces inside only (HTTP trims them at the ends), 1 to MAX_KEY_LENGTH characters.
KEY_PATTERN = f"^[!-~](?:[ -~]{{0,{MAX_KEY_LENGTH - 2}}}[!-~])?$"
_KEY = re.compile(KEY_PATTERN.removeprefix("^").removesuffix("$"))


def validate_key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise Unprocessable(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters (spaces only inside)",
            errors=[
                {
                    "loc": ["header", "Idempotency-Key"],
                    "msg": "invalid idempotency key",
                    "type": "value_error",
                }
            ],
        )
    return key


def idempotent(
    scope: str,
    key: str | None,
    request_fingerprint: bytes,
    status_code: int,
    now: datetime,
    use_case: Callable[[Session], BaseModel | AnswerAtCommit],
) -> Callable[[Session], Replayable]:
    """Wrap a use case so that its first response is kept, in the same transaction as its effects.

    The record lives ``NEXTDESK_RETAIN_IDEMPOTENCY_HOURS``; a retry after it was pruned is a new
    request (which a stage update's ``expected_version`` or the order's unique reference refuses
    when it would repeat a change).
    """

    def run(session: Session) -> Replayable:
        if key is None:
            answer = use_case(session)
            if isinstance(answer, AnswerAtCommit):
                return Replayable(status_code, answer, replayed=False)
            return Replayable(status_code, answer.model_dump(mode="json"), replayed=False)
        record = answers.find(session, scope, key)

        def record_of(body: dict[str, Any]) -> KeptAnswer:
            return KeptAnswer(
                scope=scope,
                key=key,
                fingerprint=request_fingerprint,
                status_code=status_code,
                replay=replay_codec.encode(body),
                created_at=now,
            )

        if record is not None:
            if record.fingerprint != request_fingerprint:
                raise Unprocessable(
                    f"Idempotency-Key '{key}' was already used with a different request; "
                    "use a new key for a new request",
                    errors=[
                        {
                            "loc": ["header", "Idempotency-Key"],
                            "msg": "key reused with another body",
                            "type": "idempotency_mismatch",
                        }
                    ],
                )
            return Replayable(record.status_code, replay_codec.decode(record.replay), replayed=True)
        answer = use_case(session)
        if isinstance(answer, AnswerAtCommit):
            # Kept once the events it names are numbered, still in this transaction.
            finish_before_commit(session, _keep_answers, (record_of, answer), late=True)
            return Replayable(status_code, answer, replayed=False)
        body = answer.model_dump(mode="json")
        _keep(session, [record_of(body)])
        return Replayable(status_code, body, replayed=False)

    return run


def _keep_answers(
    session: Session, items: list[tuple[Callable[[dict[str, Any]], KeptAnswer], AnswerAtCommit]]
) -> None:
    _keep(session, [record_of(answer.body()) for record_of, answer in items])


def _keep(session: Session, records: list[KeptAnswer]) -> None:
    # Nothing is read back: on PostgreSQL the record goes out with the next round trip.
    answers.insert_all(session, records)


def prune_records(session: Session, cutoff: datetime, batch: int) -> int:
    """Remove up to ``batch`` records made before ``cutoff``, oldest first; how many were removed."""
    ids = ids_to_remove(session, answers.oldest_before(cutoff, batch), RECORDS)
    if ids:
        answers.remove(session, ids)
    return len(ids)
