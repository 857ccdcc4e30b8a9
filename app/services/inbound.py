"""Another system's signed update: verified on the raw bytes, mapped, then applied exactly once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from app.db import Session
from app.domain.errors import Unprocessable
from app.domain.payload_mapping import PayloadUnreadable, map_payload, split_own_shape
from app.domain.webhook_signing import verify
from app.models.integration import InboundResult
from app.models.order import StageUpdateIn
from app.repositories import integrations
from app.services.integrations import InboundSource
from app.services.stage_updates import apply_stage_update
from app.settings_view import ViewSettings

MAX_WEBHOOK_ID = 200
#: Senders retry a message for days under the same webhook-id (with fresh timestamps), so a
#: receipt is kept well beyond that; older ones are pruned as new messages arrive.
RECEIPT_RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class InboundUpdate:
    webhook_id: str
    reference: str
    stage: str
    update: StageUpdateIn


def _validation_problem(exc: ValidationError) -> Unprocessable:
    errors = [
        {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
        for e in exc.errors(include_url=False)
    ]
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"][1:])
    detail = f"{where}: {first['msg']}" if where else str(first["msg"])
    return PayloadUnreadable(f"the payload does not make a stage update: {detail}", errors=errors)


def read_update(
    source: InboundSource,
    body: bytes,
    *,
    msg_id: str | None,
    timestamp: str | None,
    signature: str | None,
    now: datetime,
) -> InboundUpdate:
    """Verify the signature over the raw bytes first; only then parse and map the payload."""
    verify(source.secrets, body, msg_id=msg_id, timestamp=timestamp, signature=signature, now=now)
    # Only a caller holding the secret learns that the integration is disabled.
    source.check_enabled()
    assert msg_id is not None  # verify() refuses a message without one
    if len(msg_id) > MAX_WEBHOOK_ID:
        raise Unprocessable(f"webhook-id is longer than {MAX_WEBHOOK_ID} characters")
    try:
        payload: Any = json.loads(body)
    except ValueError:
        raise PayloadUnreadable("the body is not JSON") from None
    if source.mapping is None:
        reference, stage, fields = split_own_shape(payload)
    else:
        fields = map_payload(payload, source.mapping)
        reference, stage = fields.pop("order"), fields.pop("stage")
    try:
        update = StageUpdateIn.model_validate(fields)
    except ValidationError as exc:
        raise _validation_problem(exc) from None
    return InboundUpdate(msg_id, reference, stage, update)


def _take_receipt(session: Session, source: InboundSource, message: InboundUpdate, now: datetime) -> bool:
    """Record the webhook-id; False when it was already taken (the unique constraint decides)."""
    taken = integrations.take_receipt(
        session, source.name, message.webhook_id, message.reference, message.stage, now
    )
    if taken:
        integrations.forget_receipts(session, source.name, before=now - RECEIPT_RETENTION)
    return taken


def receive_update(
    session: Session, source: InboundSource, message: InboundUpdate, now: datetime, view: ViewSettings
) -> InboundResult:
    """Apply the update as the integration, through the technician's own use case, once per webhook-id."""
    if not _take_receipt(session, source, message, now):
        first = integrations.receipt(session, source.name, message.webhook_id)
        return InboundResult(
            webhook_id=message.webhook_id, outcome="duplicate", order=first.reference, stage=first.stage
        )
    status = apply_stage_update(
        session, message.reference, message.stage, message.update, source.principal, now, view
    )
    return InboundResult(
        webhook_id=message.webhook_id,
        outcome="applied",
        order=message.reference,
        stage=message.stage,
        order_version=status.version,
    )
