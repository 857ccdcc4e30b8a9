"""A customer's inquiry or complaint, logged against the stage that made them call."""

from __future__ import annotations

from datetime import datetime

from app.db import Session
from app.domain.access import Principal
from app.domain.derivation import current_stage_keys
from app.domain.errors import Unprocessable
from app.events.append import append_events
from app.models.desk import Channel, Inquiry, InquiryCategory, InquiryIn, InquiryPublic
from app.repositories import inquiries
from app.repositories.orders import OrderRecord, StageRecord
from app.services.order_changes import load_order, order_event


def public(inquiry: Inquiry, reference: str) -> InquiryPublic:
    assert inquiry.id is not None
    return InquiryPublic(
        id=inquiry.id,
        order=reference,
        channel=Channel(inquiry.channel),
        category=InquiryCategory(inquiry.category),
        text=inquiry.text,
        stage=inquiry.stage_key,
        department=inquiry.department,
        actor=inquiry.actor,
        actor_name=inquiry.actor_name,
        at=inquiry.at,
        event_id=inquiry.event_id,
    )


def _attributed_stage(stages: list[StageRecord], wanted: str | None, reference: str) -> StageRecord | None:
    by_key = {s.key: s for s in stages}
    if wanted is None:
        # Unless told otherwise, the call is about where the order is now.
        current = current_stage_keys(stages)
        return by_key[current[0]] if current else None
    if wanted not in by_key:
        message = f"order '{reference}' has no stage '{wanted}'; its stages: {', '.join(by_key)}"
        raise Unprocessable(message, errors=[{"loc": ["body", "stage"], "msg": message, "type": "enum"}])
    return by_key[wanted]


def log_inquiry(
    session: Session, reference: str, body: InquiryIn, principal: Principal, now: datetime
) -> InquiryPublic:
    order, stages = load_order(session, reference, lock=True)
    assert order.id is not None
    stage = _attributed_stage(stages, body.stage, reference)
    department = stage.department if stage else None
    (event,) = append_events(
        session,
        [
            order_event(
                order,
                "inquiry.logged",
                {
                    **principal.describe(),
                    "order_version": order.version,
                    "channel": body.channel.value,
                    "category": body.category.value,
                    "stage": stage.key if stage else None,
                    "department": department,
                    "text": body.text,
                    "state": order.state,
                    "at_risk": order.at_risk,
                },
                department,
            )
        ],
        now,
    )
    inquiry = Inquiry(
        order_id=order.id,
        event_id=event.id,
        flow_key=order.flow_key,
        stage_key=stage.key if stage else None,
        department=department,
        channel=body.channel.value,
        category=body.category.value,
        text=body.text,
        actor=principal.actor,
        actor_name=principal.name,
        at=now,
    )
    session.add(inquiry)
    session.flush()
    return public(inquiry, order.reference)


def recent_inquiries(session: Session, order: OrderRecord, limit: int = 20) -> list[InquiryPublic]:
    rows = inquiries.of_order(session, order.id, limit)
    return [public(r, order.reference) for r in rows]
