"""The delivery engine: kept-alive connections per endpoint, several deliveries in flight up to a
setting, event order for an endpoint that asks for it, attempts recorded in batches by one path,
and a failing endpoint probed, not hammered.

Real receivers on 127.0.0.1, both databases; time moves on the injected clock.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from app.clock import ManualClock
from app.config import Settings
from app.events.deliveries import BODIES_KEPT, Claimed, claim_due, record_attempts
from app.events.webhook_http import SendResult
from app.writer import run_use_case
from tests.support import Api, make_keys, wait_until
from tests.webhook_receiver import OK, Receiver, fail
from tests.webhook_support import (
    admin,
    app_client,
    context,
    deliveries,
    dispatcher_of,
    register,
    settle,
    subscribe,
)

LEASE = timedelta(seconds=60)


class KeepAliveReceiver:
    """HTTP/1.1 with keep-alive (the test receiver closes every connection): counts the
    connections the sender opened and the requests each carried."""

    def __init__(self) -> None:
        self.requests: list[tuple[int, str]] = []  # (client port, webhook-id)
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                self.rfile.read(int(self.headers.get("content-length", 0)))
                with owner.lock:
                    owner.requests.append((self.client_address[1], self.headers.get("webhook-id", "")))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def connections(self) -> int:
        with self.lock:
            return len({port for port, _ in self.requests})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def keep_alive() -> Iterator[KeepAliveReceiver]:
    receiver = KeepAliveReceiver()
    try:
        yield receiver
    finally:
        receiver.close()


def test_an_endpoints_deliveries_reuse_its_connections(
    settings: Settings, clock: ManualClock, keep_alive: KeepAliveReceiver
) -> None:
    with app_client(settings, clock, webhook_endpoint_in_flight=2) as client:
        api = Api(client, make_keys(context(client)), clock)
        register(api, keep_alive.url, event_types=["order.created"])
        for n in range(30):
            api.create_order(f"SO-{n}")
        wait_until(lambda: len(keep_alive.requests) >= 30, what="30 deliveries", timeout=30)
        settle(client)
    assert sorted(int(w) for _, w in keep_alive.requests) == sorted({int(w) for _, w in keep_alive.requests})
    # Two in flight at most: two connections carry the thirty requests.
    assert keep_alive.connections() <= 2


def test_several_deliveries_are_in_flight_to_one_endpoint_up_to_the_setting(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(settings, clock, webhook_endpoint_in_flight=3) as client:
        api = Api(client, make_keys(context(client)), clock)
        subscribe(api, receiver, event_types=["order.created"])
        receiver.gate.clear()  # answers wait: what is in flight stays in flight
        for n in range(8):
            api.create_order(f"SO-{n}")
        receiver.wait_for(3)
        dispatcher = dispatcher_of(client)
        for _ in range(3):  # more rounds claim nothing while three are in flight
            target = dispatcher.rounds + 1
            dispatcher.wake()
            wait_until(lambda: dispatcher.rounds >= target, what="a dispatcher round")  # noqa: B023
        assert len(receiver.received) == 3
        receiver.gate.set()
        receiver.wait_for(8)
        settle(client)
        assert len(receiver.received) == 8


def test_an_ordered_endpoint_gets_its_events_in_the_logs_order_even_through_failures(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(settings, clock, webhook_endpoint_in_flight=8) as client:
        api = Api(client, make_keys(context(client)), clock)
        endpoint = subscribe(api, receiver, event_types=["order.created"], ordered=True)
        assert endpoint["ordered"] is True
        # The second delivery fails twice; nothing after it may overtake it.
        receiver.script(OK, fail(503), fail(503))
        for n in range(6):
            api.create_order(f"SO-{n}")
        for _ in range(30):
            settle(client)
            if len(receiver.delivered()) == 6:
                break
            clock.advance(timedelta(seconds=3))
        ids = [int(r.webhook_id) for r in receiver.received]
        delivered = [int(r.webhook_id) for r in receiver.delivered()]
        assert delivered == sorted(delivered)
        assert len(delivered) == 6
        # What was sent is the log's order, the failed one repeated in place.
        assert ids == sorted(ids)
        assert len(ids) == 8


def test_order_is_a_setting_of_the_endpoint_that_can_be_switched(api: Api, receiver: Receiver) -> None:
    endpoint = register(api, receiver.url)
    assert endpoint["ordered"] is False
    changed = admin(api, "PATCH", f"/v1/webhooks/{endpoint['id']}", {"ordered": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["ordered"] is True
    refused = admin(api, "PATCH", f"/v1/webhooks/{endpoint['id']}", {"ordered": "yes"})
    assert refused.status_code == 422
    assert "ordered" in refused.text


def test_an_ordered_delivery_claimed_by_a_crashed_dispatcher_goes_after_its_lease_and_in_order(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(settings, clock, dispatcher_enabled=False) as crashed:
        api = Api(crashed, make_keys(context(crashed)), clock)
        subscribe(api, receiver, event_types=["order.created"], ordered=True)
        for n in range(3):
            api.create_order(f"SO-{n}")
        db = context(crashed).db
        # One at a time: the claim takes the oldest only, then the process dies before sending.
        claimed, _ = run_use_case(
            db, lambda session: claim_due(session, clock.now(), limit=10, lease=LEASE, source="/nextdesk")
        )
        assert len(claimed) == 1
        again, _ = run_use_case(
            db, lambda session: claim_due(session, clock.now(), limit=10, lease=LEASE, source="/nextdesk")
        )
        assert again == []  # the one before is in flight: nothing may overtake it
    with app_client(settings, clock) as survivor:
        settle(survivor)
        assert receiver.received == []  # the lease still holds
        clock.advance(timedelta(seconds=61))
        for _ in range(5):
            settle(survivor)
    ids = [int(r.webhook_id) for r in receiver.received]
    assert ids == sorted(ids)
    assert len(ids) == 3
    assert str(ids[0]) == claimed[0].webhook_id


def test_successes_and_failures_are_recorded_together_by_one_path(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(settings, clock, dispatcher_enabled=False) as client:
        api = Api(client, make_keys(context(client)), clock)
        up = register(api, receiver.url + "/up", event_types=["order.created"])
        down = register(api, receiver.url + "/down", event_types=["order.created"])
        api.create_order("SO-1")
        api.create_order("SO-2")
        db = context(client).db
        claimed, _ = run_use_case(
            db, lambda session: claim_due(session, clock.now(), limit=10, lease=LEASE, source="/nextdesk")
        )
        assert len(claimed) == 4

        def result(item: Claimed) -> SendResult:
            if item.endpoint_id == up["id"]:
                return SendResult(200, 4, response_body="ok")
            return SendResult(503, 7, error="the receiver answered 503", response_body="busy")

        outcomes, _ = run_use_case(
            db,
            lambda session: record_attempts(
                session,
                [(item, result(item)) for item in claimed],
                clock.now(),
                random.Random(1),
                disable_after=timedelta(days=5),
            ),
        )
        assert sorted(outcomes) == ["delivered", "delivered", "retrying", "retrying"]
        delivered = deliveries(api, up["id"])
        assert {d["status"] for d in delivered} == {"delivered"}
        assert [a["status_code"] for d in delivered for a in d["attempt_log"]] == [200, 200]
        failed = deliveries(api, down["id"])
        assert {d["status"] for d in failed} == {"pending"}
        for delivery in failed:
            [attempt] = delivery["attempt_log"]
            assert attempt["status_code"] == 503
            assert attempt["error"] == "the receiver answered 503"
            assert attempt["next_attempt_at"] == delivery["next_attempt_at"]
        shown = admin(api, "GET", f"/v1/webhooks/{down['id']}").json()
        assert shown["failing_since"] is not None


def test_a_receiver_that_refuses_at_once_gets_one_probe_per_interval_not_every_new_delivery(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(settings, clock, webhook_probe_seconds=10) as client:
        api = Api(client, make_keys(context(client)), clock)
        endpoint = subscribe(api, receiver, event_types=["order.created"])
        receiver.default = fail(503)
        api.create_order("SO-0")
        receiver.wait_for(1)
        settle(client)
        sent = len(receiver.received)
        # A minute of new orders, four a second on the clock's terms, one settle per second.
        for second in range(60):
            for n in range(4):
                api.create_order(f"SO-{second}-{n}")
            clock.advance(timedelta(seconds=1))
            settle(client)
        made = len(receiver.received) - sent
        # Until three attempts in a row have failed, what is due goes (the first delivery's retry,
        # two new ones, and their retries); then a probe every 10 s (6): not 240 first attempts.
        assert made <= 12, made
        receiver.default = OK
        clock.advance(timedelta(seconds=10))
        for _ in range(40):
            settle(client)
            if len({r.webhook_id for r in receiver.delivered()}) == 241:
                break
            clock.advance(timedelta(seconds=1))
        assert len({r.webhook_id for r in receiver.delivered()}) == 241
        assert {d["status"] for d in deliveries(api, endpoint["id"])} == {"delivered"}


def test_a_full_envelope_cache_never_passes_for_an_event_pruned_from_the_log(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(settings, clock, dispatcher_enabled=False) as client:
        api = Api(client, make_keys(context(client)), clock)
        endpoint = register(api, receiver.url, event_types=["order.created"])
        api.create_order("SO-1")
        db = context(client).db
        [first] = claim_and_keep(db, clock, bodies := {})
        clock.advance(timedelta(seconds=61))  # its lease runs out: it is due again
        api.create_order("SO-2")
        # The cache is full: the first event's envelope is in it, the second's is not.
        bodies.update({-n: b"{}" for n in range(1, BODIES_KEPT)})
        assert len(bodies) == BODIES_KEPT
        claimed = claim_and_keep(db, clock, bodies)
        assert len(claimed) == 2
        assert first.webhook_id in {c.webhook_id for c in claimed}
        assert all(c.body.startswith(b'{"specversion"') for c in claimed)
        assert {d["status"] for d in deliveries(api, endpoint["id"])} == {"pending"}


def claim_and_keep(db: Any, clock: ManualClock, bodies: dict[int, bytes]) -> list[Claimed]:
    claimed, _ = run_use_case(
        db,
        lambda session: claim_due(
            session, clock.now(), limit=10, lease=LEASE, source="/nextdesk", bodies=bodies
        ),
    )
    return claimed
