"""'I told the customer': the record of what was promised, and how."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from app.db import Session
from app.domain.access import Principal
from app.domain.attention import is_significant
from app.domain.errors import Conflict, field_error
from app.domain.order_news import iso
from app.events.append import append_events
from app.events.queries import last_order_event_id, order_events_after_version
from app.models.common import Money
from app.models.desk import AcknowledgementIn, AcknowledgementPublic, Channel
from app.models.event import Event
from app.repositories import acknowledgements as acks
from app.repositories.acknowledgements import AckRecord
from app.repositories.orders import OrderRecord, save
from app.services.order_changes import load_order, order_event


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def public(ack: AckRecord, order: OrderRecord) -> AcknowledgementPublic:
    assert ack.id is not None
    return AcknowledgementPublic(
        id=ack.id,
        order=order.reference,
        order_version=ack.order_version,
        current=ack.order_version == order.version,
        eta_likely_at=_utc(ack.eta_likely_at),
        eta_latest_at=_utc(ack.eta_latest_at),
        cost=Money.of(ack.cost_amount, ack.currency),
        channel=Channel(ack.channel),
        note=ack.note,
        actor=ack.actor,
        actor_name=ack.actor_name,
        at=ack.at.astimezone(UTC),
        event_id=ack.event_id,
    )


def last_acknowledgement_ahead(
    session: Session, reference: str
) -> Callable[[OrderRecord], AcknowledgementPublic | None]:
    """:func:`last_acknowledgement`, read in the round trip that loads the order (after its
    lock); call the result once the order is loaded."""
    last = acks.last_of_reference_ahead(session, reference)

    def told(order: OrderRecord) -> AcknowledgementPublic | None:
        ack = last()
        return None if ack is None else public(ack, order)

    return told


def last_acknowledgement(session: Session, order: OrderRecord) -> AcknowledgementPublic | None:
    assert order.id is not None
    ack = acks.last_of_order(session, order.id)
    return None if ack is None else public(ack, order)


def _covered_event(session: Session, order: OrderRecord, version: int) -> int:
    """The order's last event at or below the version told: later significant news stays to tell."""
    return last_order_event_id(session, order.id, up_to_version=version if version < order.version else None)


def _changes_since(session: Session, order: OrderRecord, version: int) -> list[Event]:
    """The significant changes the customer has not heard if they were told ``version``."""
    rows = order_events_after_version(session, order.id, version)
    return [e for e in rows if is_significant(e.type, e.data)]


def _what_changed(event: Event) -> str:
    data = event.data
    if event.type == "estimate.revised":
        return f"the ETA moved from {data.get('previous_likely_at')} to {data.get('likely_at')}"
    if event.type == "cost.revised":
        return f"the estimated cost moved from {data.get('previous_estimated')} to {data.get('estimated')}"
    if event.type == "order.at_risk":
        return "the order turned at risk of missing its promise"
    return event.type


def _refuse_stale(session: Session, order: OrderRecord, version: int) -> None:
    last = last_acknowledgement(session, order)
    if last is not None and version < last.order_version:
        raise Conflict(
            f"order '{order.reference}' is at version {order.version}; version {last.order_version} "
            f"was already told (acknowledgement {last.id}) and an acknowledgement never replaces a "
            "newer one; read the order again and record what you tell the customer now",
            current_version=order.version,
            acknowledged_version=last.order_version,
        )
    if version >= order.version:
        return
    changes = _changes_since(session, order, version)
    if changes:
        raise Conflict(
            f"order '{order.reference}' is at version {order.version}; since version {version} "
            + "; ".join(_what_changed(e) for e in changes)
            + ". Read the order again and tell the customer what it says now",
            current_version=order.version,
            changes=[
                {"event_id": e.id, "type": e.type, "order_version": e.data.get("order_version")}
                for e in changes
            ],
        )


def record_acknowledgement(
    session: Session, reference: str, body: AcknowledgementIn, principal: Principal, now: datetime
) -> AcknowledgementPublic:
    order, stages = load_order(session, reference, lock=True)
    assert order.id is not None
    if body.order_version > order.version:
        raise field_error(
            "order_version",
            f"order '{reference}' is at version {order.version}; version {body.order_version} "
            "was never shown to anyone",
        )
    if body.cost is not None and body.cost.currency != order.currency:
        raise field_error("cost", f"cost is in {body.cost.currency} but this order is in {order.currency}")
    _refuse_stale(session, order, body.order_version)
    # Told the current version, or one that differs from it by nothing the customer would hear:
    # what the status view shows is what was said, unless stated otherwise.
    likely = body.eta_likely_at or order.eta_likely_at
    latest = body.eta_latest_at or order.eta_latest_at
    if body.eta_latest_at is None and likely is not None and latest is not None and latest < likely:
        latest = likely
    amount = body.cost.amount if body.cost else order.estimated_amount
    told_cost = Money.of(amount, order.currency)
    covered = _covered_event(session, order, body.order_version)
    late = order.at_risk or (order.state in ("open", "at_risk") and now > order.promised_at)
    (event,) = append_events(
        session,
        [
            order_event(
                order,
                "acknowledgement.recorded",
                {
                    **principal.describe(),
                    "order_version": order.version,
                    "acknowledged_version": body.order_version,
                    "channel": body.channel.value,
                    "eta_likely_at": iso(likely),
                    "eta_latest_at": iso(latest),
                    "cost": told_cost.model_dump(mode="json") if told_cost else None,
                    "note": body.note,
                    "state": order.state,
                    "at_risk": late,
                },
            )
        ],
        now,
    )
    ack = AckRecord(
        order_id=order.id,
        event_id=event.id,
        order_version=body.order_version,
        covers_event_id=covered,
        eta_likely_at=likely,
        eta_latest_at=latest,
        cost_amount=amount,
        currency=order.currency,
        channel=body.channel.value,
        note=body.note,
        actor=principal.actor,
        actor_name=principal.name,
        at=now,
    )
    acks.insert_acknowledgement(session, ack)
    # Later changes are measured against this: what the customer now has in mind.
    if likely is not None:
        order.told_likely_at = likely
    if amount is not None:
        order.told_amount = amount
    save(session, order, stages)
    return public(ack, order)
