"""At least once, and not twice while all is well: restarts, crashed claims, several replicas."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.events.deliveries import claim_due
from app.writer import run_use_case
from tests.support import Api, Keys, make_keys
from tests.webhook_receiver import Receiver, Reply
from tests.webhook_support import app_client, context, dispatcher_of, settle, subscribe, wait_until


def api_for(client: TestClient, clock: ManualClock, keys: Keys | None = None) -> Api:
    return Api(client, keys or make_keys(context(client)), clock)


def assert_each_once(receiver: Receiver, expected: int) -> None:
    counts = Counter(r.webhook_id for r in receiver.received)
    assert len(counts) == expected
    assert [i for i, n in counts.items() if n > 1] == []


def test_nothing_is_lost_or_sent_twice_across_a_restart(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    receiver.default = Reply(hang=0.02)  # slow enough that sends are in flight at shutdown
    with app_client(settings, clock) as first:
        api = api_for(first, clock)
        subscribe(api, receiver)
        for n in range(8):
            api.create_order(f"SO-{n}")
        keys = api.keys
    # While no dispatcher runs, the service keeps taking writes.
    with app_client(settings, clock, dispatcher_enabled=False) as down:
        api = api_for(down, clock, keys)
        for n in range(8, 12):
            api.create_order(f"SO-{n}")
        total = len(api.events())
    with app_client(settings, clock) as second:
        settle(second)
    assert_each_once(receiver, total)
    assert all(r.verified_with for r in receiver.received)


def test_a_claim_left_by_a_crashed_dispatcher_is_taken_over_after_its_lease(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(settings, clock, dispatcher_enabled=False) as crashed:
        api = api_for(crashed, clock)
        subscribe(api, receiver, event_types=["order.created"])
        api.create_order("SO-1")
        api.create_order("SO-2")
        db = context(crashed).db
        # The claim commits, then the process dies before sending anything.
        claimed, _ = run_use_case(
            db,
            lambda session: claim_due(
                session, clock.now(), limit=10, lease=timedelta(seconds=60), source="/nextdesk"
            ),
        )
        assert len(claimed) == 2
    with app_client(settings, clock) as survivor:
        settle(survivor)
        assert receiver.received == []  # the lease still holds
        clock.advance(timedelta(seconds=61))
        settle(survivor)
    assert_each_once(receiver, 2)


def test_two_replicas_share_the_outbox_without_sending_anything_twice(
    settings: Settings, receiver: Receiver
) -> None:
    if settings.is_sqlite:
        pytest.skip("several dispatchers on one database need PostgreSQL (FOR UPDATE SKIP LOCKED)")
    shared = {"webhook_max_in_flight": 4, "webhook_poll_seconds": 0.05}
    with app_client(settings, None, dispatcher_enabled=False) as writer:
        api = api_for(writer, ManualClock(datetime.now(UTC)))
        subscribe(api, receiver)
        for n in range(20):
            api.create_order(f"SO-{n}")
        total = len(api.events())
    receiver.gate.clear()  # answers wait, so each dispatcher fills its four places before any frees
    with app_client(settings, None, **shared) as one, app_client(settings, None, **shared) as two:
        receiver.wait_for(8)
        receiver.gate.set()
        wait_until(lambda: len(receiver.received) >= total, what="every delivery", timeout=30)
        settle(one)
        settle(two)
        outcomes = [dispatcher_of(one).outcomes, dispatcher_of(two).outcomes]
    assert_each_once(receiver, total)
    assert all(o["delivered"] > 0 for o in outcomes), outcomes  # both took part
    assert sum(o["delivered"] for o in outcomes) == total
    assert all(o["lease_lost"] == 0 for o in outcomes)
