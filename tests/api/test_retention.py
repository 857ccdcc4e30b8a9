"""The database stays small: compact idempotency replays, and what outlives its retention is pruned
(idempotency records, finished webhook deliveries with their attempts, and, when the operator
asks, events of orders closed long ago), while readers behind the pruned log are told to reset."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.clock import ManualClock
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import alembic_config
from app.models.idempotency import IdempotencyRecord
from app.models.webhook import WebhookAttempt, WebhookDelivery
from app.pruner import Pruner
from app.services.retention import Kind, PruneReport, RetentionPolicy, prune_all
from tests.live import LiveServer
from tests.stream_support import LiveApi, stream
from tests.support import Api, Keys, bearer, make_keys
from tests.webhook_receiver import Receiver
from tests.webhook_support import deliveries, settle, subscribe

ROOT = Path(__file__).resolve().parents[2]


def prune(client: TestClient) -> PruneReport:
    """One pass of the service's own pruner, in its event loop, at the app's clock."""
    pruner: Pruner = client.app.state.pruner  # type: ignore[attr-defined]
    assert client.portal is not None
    report: PruneReport = client.portal.call(pruner.prune_once)
    return report


def count(client: TestClient, column: Any) -> int:
    with client.app.state.ctx.db.read_session() as session:  # type: ignore[attr-defined]
        return int(session.execute(select(func.count(column))).scalar_one())


def attempts_of(client: TestClient, endpoint_id: str) -> int:
    query = (
        select(func.count(WebhookAttempt.id))
        .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)  # type: ignore[arg-type]
        .where(WebhookDelivery.endpoint_id == endpoint_id)
    )
    with client.app.state.ctx.db.read_session() as session:  # type: ignore[attr-defined]
        return int(session.execute(query).scalar_one())


def cancel(api: Api, reference: str) -> None:
    version = api.order(reference)["version"]
    response = api.client.patch(
        f"/v1/orders/{reference}",
        json={"cancel": True, "cancel_reason": "Customer left"},
        headers={**bearer(api.keys.agent), "If-Match": f'"{version}"'},
    )
    assert response.status_code == 200, response.text


def timeline(api: Api, reference: str) -> list[dict[str, Any]]:
    response = api.get(f"/v1/orders/{reference}/timeline", params={"limit": 1000})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def metric(client: TestClient, kind: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(f'nextdesk_pruned_total{{kind="{kind}"}}'):
            return float(line.split()[-1])
    return 0.0


def keyed_update(api: Api, key: str, body: dict[str, Any]) -> Any:
    return api.post(
        "/v1/orders/SO-1042/stages/assembly/updates",
        body,
        key=api.keys.technician,
        headers={"Idempotency-Key": key},
    )


# --- idempotency records ----------------------------------------------------------------------------


def test_a_retry_gets_the_first_answer_from_a_compact_record(api: Api, client: TestClient) -> None:
    api.create_order()
    first = keyed_update(api, "k-1", {"status": "in_progress", "remaining_minutes": 90})
    api.update("SO-1042", "assembly", internal_note="later change: the replay must not show it")
    again = keyed_update(api, "k-1", {"status": "in_progress", "remaining_minutes": 90})
    assert again.status_code == first.status_code == 200
    assert again.headers["idempotency-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    assert again.content == first.content
    with client.app.state.ctx.db.read_session() as session:  # type: ignore[attr-defined]
        stored = session.execute(select(IdempotencyRecord.replay)).scalar_one()  # type: ignore[call-overload]
    # A status view of about 2.6 KB is kept in a few hundred bytes.
    assert len(first.content) > 2000
    assert len(stored) < 400


def test_records_older_than_the_setting_are_pruned_and_their_retry_is_a_new_request(
    api: Api, client: TestClient
) -> None:
    api.create_order()
    old = keyed_update(api, "old", {"status": "in_progress", "expected_version": 1})
    assert old.status_code == 200
    api.clock.advance(timedelta(hours=23))
    recent = keyed_update(api, "recent", {"internal_note": "checked the PSU"})
    api.clock.advance(timedelta(hours=2))

    report = prune(client)
    assert report.removed[Kind.IDEMPOTENCY_RECORDS] == 1
    assert count(client, IdempotencyRecord.id) == 1
    # 23 hours old: still replayed.
    again = keyed_update(api, "recent", {"internal_note": "checked the PSU"})
    assert again.headers["idempotency-replayed"] == "true"
    assert again.content == recent.content
    # 25 hours old: forgotten, so the retry is a new request; its expected_version refuses it.
    stale = keyed_update(api, "old", {"status": "in_progress", "expected_version": 1})
    assert stale.status_code == 412
    assert "idempotency-replayed" not in stale.headers
    assert prune(client).total() == 0


def test_a_record_survives_the_upgrade_that_compacts_it(settings: Settings, clock: ManualClock) -> None:
    def migrate(to: str) -> None:
        engine = make_engine(settings, writer=True, pool=False)
        config = alembic_config()
        try:
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                if to == "heads":
                    command.upgrade(config, to)
                else:
                    command.downgrade(config, to)
        finally:
            engine.dispose()

    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client, make_keys(client.app.state.ctx), clock)  # type: ignore[attr-defined]
        api.create_order()
        first = keyed_update(api, "k-1", {"status": "in_progress"})
    # Back to the schema that stored whole JSON answers, and up again: the record is converted
    # each way, and a retry after the upgrade still gets the first answer.
    # Later migrations merge the heads after it: take those back first, then this one alone.
    migrate("0004_retention")
    migrate("0004_retention@-1")
    migrate("heads")
    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client, api.keys, clock)
        again = keyed_update(api, "k-1", {"status": "in_progress"})
    assert again.headers["idempotency-replayed"] == "true"
    assert again.content == first.content


# --- webhook deliveries -----------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def patient(settings: Settings, clock: ManualClock) -> Iterator[tuple[Api, TestClient]]:
    """A service that keeps retrying a dead endpoint for years instead of disabling it."""
    app = create_app(settings.model_copy(update={"webhook_disable_after_days": 1000}), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, make_keys(app.state.ctx), clock), client


def test_finished_deliveries_and_their_attempts_are_pruned_pending_ones_never(
    patient: tuple[Api, TestClient], receiver: Receiver
) -> None:
    api, client = patient
    working = subscribe(api, receiver, event_types=["order.created"])
    # An endpoint that never answers: its deliveries are tried, fail and stay pending.
    dead = subscribe(api, receiver, event_types=["order.created"])
    response = api.client.patch(
        f"/v1/webhooks/{dead['id']}",
        json={"url": f"http://127.0.0.1:{_closed_port()}/hooks"},
        headers=bearer(api.keys.admin),
    )
    assert response.status_code == 200, response.text
    api.create_order("SO-OLD")
    settle(client)
    assert [(d["status"], d["attempts"]) for d in deliveries(api, working["id"])] == [("delivered", 1)]
    assert [(d["status"], d["attempts"]) for d in deliveries(api, dead["id"])] == [("pending", 1)]

    api.clock.advance(timedelta(days=29))
    api.create_order("SO-NEW")
    settle(client)
    api.clock.advance(timedelta(days=2))
    # The dead endpoint keeps being probed meanwhile: count the working endpoint's attempts only.
    attempts_before = attempts_of(client, working["id"])
    before = metric(client, "webhook_deliveries")

    report = prune(client)
    # Only SO-OLD's delivery to the working endpoint finished more than 30 days ago.
    assert report.removed[Kind.WEBHOOK_DELIVERIES] == 1
    assert report.removed[Kind.WEBHOOK_ATTEMPTS] == 1
    assert attempts_of(client, working["id"]) == attempts_before - 1
    kept = deliveries(api, working["id"])
    assert [d["status"] for d in kept] == ["delivered"]
    assert kept[0]["created_at"] > deliveries(api, dead["id"])[-1]["created_at"]
    # Pending for 31 days: never removed, however old.
    assert [d["status"] for d in deliveries(api, dead["id"])] == ["pending", "pending"]
    assert metric(client, "webhook_deliveries") == before + 1
    assert count(client, WebhookDelivery.id) == 3
    assert prune(client).total() == 0


# --- events -----------------------------------------------------------------------------------------


def test_events_are_kept_unless_the_operator_asks(api: Api, client: TestClient) -> None:
    api.create_order()
    cancel(api, "SO-1042")
    events = api.events()
    api.clock.advance(timedelta(days=3650))
    assert prune(client).removed[Kind.EVENTS] == 0
    assert api.events() == events


@pytest.fixture
def retaining(settings: Settings, clock: ManualClock) -> Iterator[tuple[Api, TestClient]]:
    app = create_app(
        settings.model_copy(update={"retain_events_days": 30, "prune_batch_size": 2}), clock=clock
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, make_keys(app.state.ctx), clock), client


def test_events_of_orders_closed_longer_than_the_setting_are_pruned_open_orders_never(
    retaining: tuple[Api, TestClient],
) -> None:
    api, client = retaining
    api.create_order("SO-CLOSED", promise_in=timedelta(days=90))
    api.create_order("SO-OPEN", promise_in=timedelta(days=90))
    api.update("SO-OPEN", "assembly", status="in_progress")
    cancel(api, "SO-CLOSED")
    closed_events = timeline(api, "SO-CLOSED")
    api.clock.advance(timedelta(days=25))
    api.create_order("SO-RECENT", promise_in=timedelta(days=90))
    cancel(api, "SO-RECENT")
    api.clock.advance(timedelta(days=29))
    open_events = timeline(api, "SO-OPEN")
    recent_events = timeline(api, "SO-RECENT")
    before = metric(client, "events")

    report = prune(client)
    # In batches of two, every event of the order closed 54 days ago; none of the others.
    assert report.removed[Kind.EVENTS] == len(closed_events) > 2
    assert timeline(api, "SO-CLOSED") == []
    assert api.order("SO-CLOSED")["state"] == "cancelled"
    assert timeline(api, "SO-OPEN") == open_events
    assert timeline(api, "SO-RECENT") == recent_events
    assert metric(client, "events") == before + len(closed_events)

    # Months on, an open order's events are still kept; the other closed order's are gone.
    api.clock.advance(timedelta(days=365))
    prune(client)
    assert timeline(api, "SO-OPEN") == open_events
    assert timeline(api, "SO-RECENT") == []


def test_a_reader_behind_the_pruned_log_gets_reset_then_pages_on(retaining: tuple[Api, TestClient]) -> None:
    api, client = retaining
    api.create_order("SO-OPEN", promise_in=timedelta(days=90))
    api.create_order("SO-CLOSED", promise_in=timedelta(days=90))
    cancel(api, "SO-CLOSED")
    horizon = max(int(e["id"]) for e in api.events(order="SO-CLOSED"))
    api.update("SO-OPEN", "assembly", status="in_progress")
    api.clock.advance(timedelta(days=31))
    prune(client)

    behind = api.get("/v1/events", params={"after": 0}).json()
    assert behind["reset"]["reason"] == "cursor_unknown"
    assert behind["reset"]["complete_after"] == horizon
    assert f"complete after event {horizon}" in behind["reset"]["detail"]
    # The page starts where the log is complete again: SO-OPEN's events after the horizon.
    ids = [int(e["id"]) for e in behind["items"]]
    assert ids
    assert min(ids) > horizon
    assert all(e["subject"] == "SO-OPEN" for e in behind["items"])
    caught_up = api.get("/v1/events", params={"after": behind["next_after"]}).json()
    assert caught_up == {"items": [], "next_after": behind["next_after"], "reset": None}
    at_horizon = api.get("/v1/events", params={"after": horizon}).json()
    assert at_horizon["reset"] is None
    assert at_horizon["items"] == behind["items"]


# --- the background pruner and the command ---------------------------------------------------------


def test_the_pruner_runs_in_the_lifespan_on_the_app_clock(settings: Settings, clock: ManualClock) -> None:
    app = create_app(settings.model_copy(update={"prune_interval_seconds": 0.05}), clock=clock)
    with TestClient(app) as client:
        assert client.get("/readyz").json()["checks"]["pruner"] == "ok"
        api = Api(client, make_keys(app.state.ctx), clock)
        api.create_order()
        keyed_update(api, "k-1", {"status": "in_progress"})
        assert count(client, IdempotencyRecord.id) == 1
        clock.advance(timedelta(hours=25))
        deadline = time.monotonic() + 10
        while count(client, IdempotencyRecord.id) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert count(client, IdempotencyRecord.id) == 0


def test_nextdesk_prune_removes_what_is_due_and_says_what(
    api: Api, client: TestClient, settings: Settings
) -> None:
    # Made three days ago by the service's clock: due by the command's (the system's) clock.
    api.clock.set(datetime.now(UTC) - timedelta(days=3))
    api.create_order()
    keyed_update(api, "k-1", {"status": "in_progress"})
    cancel(api, "SO-1042")
    events = len(api.events(order="SO-1042"))
    env = {
        **os.environ,
        "NEXTDESK_DATABASE_URL": settings.database_url,
        "NEXTDESK_RETAIN_IDEMPOTENCY_HOURS": "1",
        "NEXTDESK_RETAIN_EVENTS_DAYS": "1",
    }
    command = [str(Path(sys.executable).parent / "nextdesk"), "prune"]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "removed 1 idempotency records (older than 1 h)",
        "removed 0 webhook deliveries and 0 attempts (finished more than 30 days ago)",
        f"removed {events} events (of orders closed more than 1 days ago)",
    ]
    assert api.events(order="SO-1042") == []
    assert count(client, IdempotencyRecord.id) == 0


# --- the stream -------------------------------------------------------------------------------------


@pytest.fixture
def live_api(live: LiveServer, live_keys: Keys) -> Iterator[LiveApi]:
    api = LiveApi(live.url, live_keys)
    yield api
    api.client.close()


def test_a_stream_resuming_behind_the_pruned_log_gets_reset(live: LiveServer, live_api: LiveApi) -> None:
    live_api.create_order("SO-OPEN")
    live_api.create_order("SO-CLOSED")
    cancel(live_api, "SO-CLOSED")
    head = live_api.head()
    policy = RetentionPolicy(
        idempotency=timedelta(hours=24),
        deliveries=timedelta(days=30),
        events=timedelta(days=30),
        batch_size=100,
    )
    report = prune_all(live.app.state.ctx.db, datetime.now(UTC) + timedelta(days=31), policy)
    assert report.removed[Kind.EVENTS] > 0

    with stream(live.url, live_api.keys.viewer, last_event_id=1) as sse:
        reset = sse.wait_until(lambda ms: len(ms) >= 1)[0]
        assert (reset.event, reset.id) == ("reset", head)
        assert "no longer kept in full" in reset.data["detail"]
        live_api.update("SO-OPEN", "assembly", status="in_progress")
        sse.wait_for_id(head + 1)
    with stream(live.url, live_api.keys.viewer, last_event_id=head) as sse:
        live_api.update("SO-OPEN", "assembly", internal_note="resumed from the head: no reset")
        sse.wait_for_id(live_api.head())
        assert [m.event for m in sse.messages if m.event == "reset"] == []
