"""Webhook endpoints: register, change, pause and resume, rotate, ping, replay, and their deliveries."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from app.context import AppContext
from app.db import Session
from app.domain.errors import Conflict, NotFound, Unprocessable
from app.domain.paging import decode_cursor, encode_cursor
from app.domain.webhook_signing import new_secret, rotate
from app.domain.webhooks import address_refusal, check_target_url
from app.events.deliveries import hold_pending
from app.events.outbox import endpoint_rule
from app.events.queries import events_for_replay, first_event_at_or_after
from app.events.webhook_transport import refusal_text, resolve
from app.models.common import Page
from app.models.webhook import (
    AttemptPublic,
    DeliveryPublic,
    DeliveryStatus,
    EndpointStatus,
    PingQueued,
    ReplayIn,
    ReplayResult,
    RotateSecretIn,
    SecretRotated,
    WebhookCreate,
    WebhookCreated,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookPublic,
    WebhookUpdate,
)
from app.repositories import webhooks

#: One replay call re-queues at most this many events; the answer says where to continue.
REPLAY_LIMIT = 10_000


# --- registering and changing (async: the target is resolved and checked first) ---------------------


async def ensure_allowed_target(url: str, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to a loopback, private, link-local or metadata address.

    Checked again at every connection, since what a name resolves to may change after this.
    """
    if allow_private:
        return
    target = check_target_url(url)
    where = {"loc": ["body", "url"], "type": "target"}
    try:
        addresses = await resolve(target.host, target.port)
    except OSError as exc:
        raise Unprocessable(
            f"the host {target.host} does not resolve ({exc}); give a URL whose host has a public address",
            errors=[{**where, "msg": "the host does not resolve"}],
        ) from exc
    for address in addresses:
        why = address_refusal(address)
        if why is not None:
            raise Unprocessable(
                refusal_text(target.host, address, why),
                errors=[{**where, "msg": f"{address} is {why}"}],
                address=address,
            )


async def register(ctx: AppContext, body: WebhookCreate) -> WebhookCreated:
    await ensure_allowed_target(body.url, ctx.settings.allow_private_webhook_targets)
    now = ctx.clock.now()
    created = await ctx.writer.run(lambda session: create_endpoint(session, body, now))
    _wake_dispatcher(ctx)
    return created


async def change(ctx: AppContext, endpoint_id: str, body: WebhookUpdate) -> WebhookPublic:
    if body.url is not None:
        await ensure_allowed_target(body.url, ctx.settings.allow_private_webhook_targets)
    now = ctx.clock.now()
    updated = await ctx.writer.run(lambda session: update_endpoint(session, endpoint_id, body, now))
    _wake_dispatcher(ctx)
    return updated


async def ping(ctx: AppContext, endpoint_id: str) -> PingQueued:
    now = ctx.clock.now()
    queued = await ctx.writer.run(lambda session: queue_ping(session, endpoint_id, now, ctx.view.source))
    _wake_dispatcher(ctx)
    return queued


async def replay_events(ctx: AppContext, endpoint_id: str, body: ReplayIn) -> ReplayResult:
    now = ctx.clock.now()
    result = await ctx.writer.run(lambda session: replay(session, endpoint_id, body, now))
    _wake_dispatcher(ctx)
    return result


def _wake_dispatcher(ctx: AppContext) -> None:
    # Commits without events do not wake the dispatcher by themselves; outbox rows written here do.
    dispatcher = ctx.components.get("dispatcher")
    if dispatcher is not None:
        dispatcher.endpoints_changed()


# --- use cases --------------------------------------------------------------------------------------


def public(endpoint: WebhookEndpoint) -> WebhookPublic:
    return WebhookPublic(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        event_types=list(endpoint.event_types),
        departments=list(endpoint.departments),
        orders=list(endpoint.orders),
        significant_only=endpoint.significant_only,
        ordered=endpoint.ordered,
        status=EndpointStatus(endpoint.status),
        disabled_reason=endpoint.disabled_reason,
        disabled_at=endpoint.disabled_at,
        failing_since=endpoint.failing_since,
        previous_secret_expires_at=endpoint.previous_secret_expires_at,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
    )


def load_endpoint(session: Session, endpoint_id: str, *, lock: bool = False) -> WebhookEndpoint:
    endpoint = webhooks.endpoint(session, endpoint_id, lock=lock)
    if endpoint is None:
        raise NotFound(f"no webhook endpoint '{endpoint_id}'; GET /v1/webhooks lists them")
    return endpoint


def create_endpoint(session: Session, body: WebhookCreate, now: datetime) -> WebhookCreated:
    endpoint = WebhookEndpoint(
        id="we_" + secrets.token_hex(8),
        url=body.url,
        description=body.description,
        event_types=list(dict.fromkeys(body.event_types)),
        departments=sorted(set(body.departments)),
        orders=sorted(set(body.orders)),
        significant_only=body.significant_only,
        ordered=body.ordered,
        status=EndpointStatus.ACTIVE.value,
        secret=new_secret(),
        created_at=now,
        updated_at=now,
    )
    session.add(endpoint)
    session.flush()
    return WebhookCreated(**public(endpoint).model_dump(), secret=endpoint.secret)


def list_endpoints(session: Session) -> list[WebhookPublic]:
    return [public(e) for e in webhooks.endpoints(session)]


def get_endpoint(session: Session, endpoint_id: str) -> WebhookPublic:
    return public(load_endpoint(session, endpoint_id))


def update_endpoint(session: Session, endpoint_id: str, body: WebhookUpdate, now: datetime) -> WebhookPublic:
    endpoint = load_endpoint(session, endpoint_id, lock=True)
    changes = body.model_dump(exclude_unset=True)
    status = changes.pop("status", None)
    for name, value in changes.items():
        if name in ("departments", "orders"):
            value = sorted(set(value))
        elif name == "event_types":
            value = list(dict.fromkeys(value))
        setattr(endpoint, name, value)
    if status == EndpointStatus.PAUSED and endpoint.status != EndpointStatus.PAUSED.value:
        endpoint.status = EndpointStatus.PAUSED.value
        hold_pending(session, endpoint.id, now)
    elif status == EndpointStatus.ACTIVE and endpoint.status != EndpointStatus.ACTIVE.value:
        endpoint.status = EndpointStatus.ACTIVE.value
        endpoint.disabled_reason = None
        endpoint.disabled_at = None
        endpoint.failing_since = None
    endpoint.updated_at = now
    session.add(endpoint)
    session.flush()
    return public(endpoint)


def delete_endpoint(session: Session, endpoint_id: str) -> None:
    """The endpoint goes, and its deliveries and attempts with it (the database cascades)."""
    session.delete(load_endpoint(session, endpoint_id, lock=True))
    session.flush()


def rotate_secret(
    session: Session, endpoint_id: str, body: RotateSecretIn, now: datetime, default_hours: float
) -> SecretRotated:
    endpoint = load_endpoint(session, endpoint_id, lock=True)
    hours = default_hours if body.overlap_hours is None else body.overlap_hours
    rotate(endpoint, new_secret(), timedelta(hours=hours), now)
    endpoint.updated_at = now
    session.add(endpoint)
    return SecretRotated(
        secret=endpoint.secret, previous_secret_expires_at=endpoint.previous_secret_expires_at
    )


def queue_ping(session: Session, endpoint_id: str, now: datetime, source: str) -> PingQueued:
    """A test event for this endpoint alone, sent by the dispatcher like any other delivery."""
    endpoint = load_endpoint(session, endpoint_id)
    if endpoint.status != EndpointStatus.ACTIVE.value:
        raise Conflict(
            f"the endpoint is {endpoint.status}; resume it (PATCH status=active) before pinging it",
            endpoint_status=endpoint.status,
        )
    webhook_id = "ping_" + secrets.token_hex(8)
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        event_id=None,
        event_type="webhook.ping",
        payload={
            "specversion": "1.0",
            "id": webhook_id,
            "source": source,
            "type": "webhook.ping",
            "subject": None,
            "time": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "datacontenttype": "application/json",
            "data": {"endpoint": endpoint.id, "message": "A test event from nextdesk; no action is needed."},
        },
        status=DeliveryStatus.PENDING.value,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    session.flush()
    assert delivery.id is not None
    return PingQueued(delivery_id=delivery.id, webhook_id=webhook_id)


def replay(session: Session, endpoint_id: str, body: ReplayIn, now: datetime) -> ReplayResult:
    """Queue again every event after a point that the endpoint's filters select.

    Held, failed and even delivered events are sent again (receivers deduplicate on webhook-id).
    For a paused or disabled endpoint they wait, queued, until it is resumed.
    """
    endpoint = load_endpoint(session, endpoint_id, lock=True)
    rule = endpoint_rule(endpoint)
    if body.after_event_id is not None:
        events = events_for_replay(session, after=body.after_event_id, limit=REPLAY_LIMIT)
    else:
        assert body.since is not None
        first = first_event_at_or_after(session, body.since)
        if first is None:
            return ReplayResult(queued=0, first_event_id=None, last_event_id=None, more=False)
        events = events_for_replay(session, first=first, since=body.since, limit=REPLAY_LIMIT)
    rows = [
        {
            "endpoint_id": endpoint.id,
            "event_id": e.id,
            "event_type": e.type,
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for e in events
        if rule.matches(e.type, e.subject, e.department, e.data)
    ]
    webhooks.requeue(session, rows)
    return ReplayResult(
        queued=len(rows),
        first_event_id=events[0].id if events else None,
        last_event_id=events[-1].id if events else None,
        more=len(events) == REPLAY_LIMIT,
    )


def list_deliveries(
    session: Session, endpoint_id: str, *, status: DeliveryStatus | None, cursor: str | None, limit: int
) -> Page[DeliveryPublic]:
    """Newest first, each with its attempts (status code, duration, error, the answer's start)."""
    before = decode_cursor(cursor)
    load_endpoint(session, endpoint_id)
    rows = webhooks.deliveries(
        session,
        endpoint_id,
        status=status.value if status is not None else None,
        before=before,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    attempts: dict[int, list[AttemptPublic]] = {}
    if rows:
        for a in webhooks.attempts(session, [d.id for d in rows]):
            attempts.setdefault(a.delivery_id, []).append(
                AttemptPublic(
                    attempt=a.attempt,
                    at=a.at,
                    status_code=a.status_code,
                    duration_ms=a.duration_ms,
                    error=a.error,
                    response_body=a.response_body,
                    next_attempt_at=a.next_attempt_at,
                )
            )
    items = []
    for d in rows:
        assert d.id is not None
        items.append(
            DeliveryPublic(
                id=d.id,
                event_id=d.event_id,
                event_type=d.event_type,
                status=DeliveryStatus(d.status),
                attempts=d.attempts,
                next_attempt_at=d.next_attempt_at,
                last_attempt_at=d.last_attempt_at,
                last_status_code=d.last_status_code,
                last_error=d.last_error,
                delivered_at=d.delivered_at,
                created_at=d.created_at,
                attempt_log=attempts.get(d.id, []),
            )
        )
    return Page[DeliveryPublic](
        items=items,
        next_cursor=encode_cursor(rows[-1].id) if more and rows and rows[-1].id is not None else None,
    )
