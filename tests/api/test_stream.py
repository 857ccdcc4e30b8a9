"""GET /v1/stream, over real HTTP with a real SSE client."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlmodel import col

from app.config import Settings
from app.domain.access import SYSTEM
from app.main import create_app
from app.models.event import Event
from app.models.order import StageUpdateIn
from app.services.stage_updates import apply_stage_update
from app.writer import run_use_case
from tests.live import LiveServer, serve
from tests.stream_support import LiveApi, StreamClient, stream, stream_settings
from tests.support import Keys, bearer, make_keys


@pytest.fixture
def live_api(live: LiveServer, live_keys: Keys) -> Iterator[LiveApi]:
    api = LiveApi(live.url, live_keys)
    yield api
    api.client.close()


def test_stream_needs_a_key(client: TestClient) -> None:
    response = client.get("/v1/stream")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("params", "headers", "complaint"),
    [
        ({"type": "stage.exploded"}, {}, "unknown event type stage.exploded"),
        ({}, {"Last-Event-ID": "yesterday"}, "Last-Event-ID must be an event id"),
        ({}, {"Last-Event-ID": "-3"}, "Last-Event-ID must be an event id"),
        ({"last_event_id": "-1"}, {}, ""),
    ],
)
def test_bad_stream_requests_are_refused_saying_why(
    client: TestClient, keys: Keys, params: dict[str, str], headers: dict[str, str], complaint: str
) -> None:
    response = client.get("/v1/stream", params=params, headers={**bearer(keys.viewer), **headers})
    assert response.status_code == 422
    assert complaint in response.json()["detail"]


def test_each_message_carries_id_type_and_the_logged_envelope(live: LiveServer, live_api: LiveApi) -> None:
    with stream(live.url, live_api.keys.viewer, last_event_id=0) as sse:
        live_api.create_order("SO-1")
        live_api.update("SO-1", "assembly", status="in_progress")
        logged = live_api.events()
        received = sse.wait_for_id(int(logged[-1]["id"]))
    assert [(m.id, m.event, m.data) for m in received] == [(int(e["id"]), e["type"], e) for e in logged]


def test_filters_deliver_what_the_log_filter_returns(live: LiveServer, live_api: LiveApi) -> None:
    keys = live_api.keys
    filters: list[dict[str, str]] = [
        {"order": "SO-2"},
        {"type": "stage.*"},
        {"type": "order.created,stage.completed"},
        {"department": "finance"},
        {"at_risk": "true"},
        {"type": "stage.*", "department": "assembly", "order": "SO-1"},
    ]
    clients = [StreamClient(live.url, keys.viewer, params=f).start() for f in filters]
    everything = StreamClient(live.url, keys.viewer).start()
    try:
        live_api.create_order("SO-1")
        live_api.create_order("SO-2", promise_in=timedelta(hours=2))
        for ref in ("SO-1", "SO-2"):
            live_api.update(ref, "assembly", status="in_progress")
            live_api.update(ref, "assembly", status="done")
            live_api.update(ref, "finance", status="in_progress")
        # SO-2 slips past its promise: it turns at risk.
        live_api.update("SO-2", "finance", expected_finish_at=datetime.now(UTC) + timedelta(days=2))
        live_api.update("SO-2", "finance", internal_note="still waiting for the bank")
        head = live_api.head()
        assert everything.wait_for_id(head)
        assert everything.ids == live_api.log_ids()
        for params, sse in zip(filters, clients, strict=True):
            expected = live_api.log_ids(**params)
            assert expected, f"the scenario should produce events for {params}"
            assert len(expected) < head
            sse.wait_for_id(expected[-1])
            assert sse.ids == expected, params
    finally:
        everything.close()
        for sse in clients:
            sse.close()


def test_resume_from_last_event_id_has_no_gap_and_no_duplicate_while_writes_go_on(
    live: LiveServer, live_api: LiveApi
) -> None:
    writes_done = threading.Event()
    written: list[str] = []

    def keep_writing() -> None:
        writer_api = LiveApi(live.url, live_api.keys)
        try:
            for n in range(25):
                ref = f"SO-{n}"
                writer_api.create_order(ref)
                writer_api.update(ref, "assembly", status="in_progress")
                written.append(ref)
        finally:
            writer_api.client.close()
            writes_done.set()

    writer = threading.Thread(target=keep_writing)
    first = StreamClient(live.url, live_api.keys.viewer, last_event_id=0).start()
    writer.start()
    try:
        first.wait_until(lambda ms: len(ms) >= 12)
    finally:
        first.close()
    resume_at = first.ids[-1]
    assert not writes_done.is_set(), "the writes should still be going on when the client comes back"
    second = StreamClient(live.url, live_api.keys.viewer, last_event_id=resume_at).start()
    try:
        writer.join(30)
        assert writes_done.is_set()
        assert len(written) == 25
        head = live_api.head()
        second.wait_for_id(head)
    finally:
        second.close()
    seen = first.ids + second.ids
    assert seen == live_api.log_ids() == list(range(1, head + 1))


def test_cursor_older_than_the_log_keeps_gets_a_reset_then_live_events(
    live: LiveServer, live_api: LiveApi
) -> None:
    for ref in ("SO-1", "SO-2", "SO-3"):
        live_api.create_order(ref)
    head = live_api.head()
    # What retention does: the oldest events are gone.
    run_use_case(
        live.app.state.ctx.db, lambda session: session.execute(delete(Event).where(col(Event.id) <= 3))
    )
    with stream(live.url, live_api.keys.viewer, last_event_id=1) as sse:
        reset = sse.wait_until(lambda ms: len(ms) >= 1)[0]
        assert (reset.event, reset.id) == ("reset", head)
        assert reset.data["last_event_id"] == head
        assert "no longer kept" in reset.data["detail"]
        live_api.update("SO-3", "assembly", status="in_progress")
        sse.wait_for_id(head + 1)
        assert sse.ids == list(range(head + 1, live_api.head() + 1))


def test_cursor_at_the_edge_of_the_log_resumes_and_a_cursor_from_the_future_resets(
    live: LiveServer, live_api: LiveApi
) -> None:
    live_api.create_order("SO-1")
    live_api.create_order("SO-2")
    head = live_api.head()
    run_use_case(
        live.app.state.ctx.db, lambda session: session.execute(delete(Event).where(col(Event.id) <= 2))
    )
    with stream(live.url, live_api.keys.viewer, last_event_id=2) as sse:
        sse.wait_for_id(head)
        assert sse.ids == list(range(3, head + 1))
    with stream(live.url, live_api.keys.viewer, params={"last_event_id": head + 50}) as sse:
        reset = sse.wait_until(lambda ms: len(ms) >= 1)[0]
        assert (reset.event, reset.id) == ("reset", head)
        assert "does not exist yet" in reset.data["detail"]


def test_a_write_that_rolls_back_publishes_nothing(live: LiveServer, live_api: LiveApi) -> None:
    ctx = live.app.state.ctx
    broker = ctx.components["fanout"]
    for ref in ("SO-1", "SO-2", "SO-3"):
        live_api.create_order(ref)
    head = live_api.head()

    def update(ref: str, stage: str, status: str):  # type: ignore[no-untyped-def]
        body = StageUpdateIn(status=status)  # type: ignore[arg-type]
        now = ctx.clock.now()
        return ctx.writer.run(
            lambda session: apply_stage_update(session, ref, stage, body, SYSTEM, now, ctx.view)
        )

    async def one_batch() -> list[object]:
        # Queued together before the writer wakes: one transaction, a savepoint each.
        return await asyncio.gather(
            update("SO-1", "assembly", "in_progress"),
            update("SO-2", "shipping", "done"),  # pending -> done: refused, rolled back
            update("SO-3", "assembly", "in_progress"),
            return_exceptions=True,
        )

    with stream(live.url, live_api.keys.viewer, last_event_id=head) as sse:
        batches = ctx.writer.batches
        outcome = asyncio.run_coroutine_threadsafe(one_batch(), broker.loop).result(10)
        assert ctx.writer.batches == batches + 1
        assert type(outcome[1]).__name__ == "InvalidTransition"
        # Alone, a refused write rolls back too.
        live_api.update("SO-2", "shipping", status="done", expect=409)
        live_api.update("SO-2", "assembly", status="in_progress")
        logged = live_api.log_ids(after=head)
        sse.wait_for_id(logged[-1])
        assert sse.ids == logged
    assert [(m.data["subject"], m.event) for m in sse.events] == [
        ("SO-1", "stage.started"),
        ("SO-3", "stage.started"),
        ("SO-2", "stage.started"),
    ]


def _raw_lines(url: str, key: str, timeout: float = 10.0) -> list[str]:
    lines: list[str] = []
    with (
        httpx.Client(timeout=timeout) as client,
        client.stream("GET", f"{url}/v1/stream", headers=bearer(key)) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines.extend(response.iter_lines())
    return lines


def test_pings_keep_the_connection_alive_and_the_lifetime_cap_asks_for_a_reconnect(
    settings: Settings,
) -> None:
    app = create_app(
        stream_settings(settings, sse_ping_seconds=0.1, sse_max_lifetime_seconds=1.0, sse_retry_ms=750)
    )
    with serve(app) as server:
        keys = make_keys(app.state.ctx)
        # The server ends the stream by itself: this returns only because of the cap.
        lines = _raw_lines(server.url, keys.viewer)
    assert lines[:2] == ["retry: 750", ": subscribed"]
    assert lines.count(": ping") >= 3
    assert lines[-4:-1] == ["retry: 750", "event: reconnect", lines[-2]]
    assert '"reason":"lifetime"' in lines[-2]
    assert app.state.ctx.components["fanout"].subscribers == 0


def test_pings_between_events_reach_an_sse_client_as_nothing(settings: Settings) -> None:
    # httpx-sse, like other clients that keep the last id from one message to the next, turns a
    # comment followed by a blank line into an empty message carrying that id.
    app = create_app(stream_settings(settings, sse_ping_seconds=0.02, sse_max_lifetime_seconds=1.5))
    with serve(app) as server:
        keys = make_keys(app.state.ctx)
        api = LiveApi(server.url, keys)
        start = api.head()
        with stream(server.url, keys.viewer) as sse:
            api.create_order("SO-1")
            logged = api.events(after=start)
            sse.wait_for_id(int(logged[-1]["id"]))
            # Pings go out while the stream idles, until the lifetime cap ends it.
            *events, reconnect = sse.wait_until(
                lambda ms: bool(ms) and ms[-1].event == "reconnect", timeout=5
            )
        api.client.close()
    assert [(m.id, m.event, m.data) for m in events] == [(int(e["id"]), e["type"], e) for e in logged]
    assert reconnect.data["reason"] == "lifetime"


def test_shutdown_does_not_wait_for_open_streams(settings: Settings) -> None:
    app = create_app(settings)
    broker = app.state.ctx.components["fanout"]
    with serve(app) as server:
        keys = make_keys(app.state.ctx)
        sse = StreamClient(server.url, keys.viewer).start()
        assert broker.subscribers == 1
    # serve() returned: the server shut down, its lifespan closed, with a stream still open.
    assert sse.ended.wait(5)
    assert not broker.alive()
    assert broker.subscribers == 0
