"""A receiver that comes back gets what waited for it at once; while it is down it costs one sending
slot, probed every 10 s in the first hour of the outage; each event's own retries stay as scheduled.

Real receivers on 127.0.0.1, both databases, hours of outage on the injected clock.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.clock import ManualClock
from app.config import Settings
from app.events.deliveries import Claimed, claim_due, record_attempt
from app.events.webhook_http import SendResult
from app.writer import run_use_case
from tests.support import Api, make_keys
from tests.webhook_receiver import OK, Receiver, fail
from tests.webhook_support import app_client, context, deliveries, register, settle, subscribe

LEASE = timedelta(seconds=60)


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def all_delivered(api: Api, endpoint_id: str) -> bool:
    return all(d["status"] == "delivered" for d in deliveries(api, endpoint_id))


def test_a_receiver_back_within_the_hour_gets_every_pending_event_within_15_seconds(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    receiver.default = fail(503)
    api.create_order("SO-0")
    receiver.wait_for(1)
    settle(client)
    # 50 minutes down, new orders coming in all along; each probe and retry fails.
    for minute in range(1, 51):
        clock.advance(timedelta(minutes=1))
        if minute % 5 == 0:
            api.create_order(f"SO-{minute}")
        settle(client)
    created = {e["id"] for e in api.events(type="order.created")}
    assert len(created) == 11
    assert receiver.delivered() == []
    assert {d["status"] for d in deliveries(api, endpoint["id"])} == {"pending"}

    receiver.default = OK
    back_at = clock.now()
    while not all_delivered(api, endpoint["id"]):
        assert clock.now() - back_at < timedelta(seconds=15), "the backlog was not sent within 15 s"
        clock.advance(timedelta(seconds=1))
        settle(client)

    assert {r.webhook_id for r in receiver.delivered()} == created
    shown = api.client.get(
        f"/v1/webhooks/{endpoint['id']}", headers={"Authorization": f"Bearer {api.keys.admin}"}
    )
    assert shown.json()["failing_since"] is None


def test_after_the_first_success_the_backlog_goes_in_event_order(
    settings: Settings, receiver: Receiver, clock: ManualClock
) -> None:
    with app_client(settings, clock, webhook_max_in_flight=1) as client:
        api = Api(client, make_keys(context(client)), clock)
        endpoint = subscribe(api, receiver, event_types=["order.created"])
        receiver.default = fail(503)
        for n in range(6):
            api.create_order(f"SO-{n}")
            clock.advance(timedelta(seconds=20))
            settle(client)
        receiver.default = OK
        for _ in range(15):
            clock.advance(timedelta(seconds=1))
            settle(client)
        assert all_delivered(api, endpoint["id"])
    # The first success may be any event's retry that fell due; what waited behind it goes in order.
    first, *backlog = [int(r.webhook_id) for r in receiver.delivered()]
    assert backlog == sorted(backlog)
    assert len(backlog) == 5
    assert first not in backlog


def test_a_failing_endpoint_gets_one_delivery_at_a_time_and_others_are_not_held_up(
    settings: Settings, receiver: Receiver, clock: ManualClock
) -> None:
    with app_client(settings, clock, dispatcher_enabled=False) as client:
        api = Api(client, make_keys(context(client)), clock)
        failing = register(api, receiver.url + "/down", event_types=["order.created"])
        healthy = register(api, receiver.url + "/up", event_types=["order.created"])
        db = context(client).db

        def claim() -> list[Claimed]:
            claimed, _ = run_use_case(
                db, lambda session: claim_due(session, clock.now(), limit=32, lease=LEASE, source="/nextdesk")
            )
            return claimed

        def record(item: Claimed, result: SendResult) -> str:
            outcome, _ = run_use_case(
                db,
                lambda session: record_attempt(
                    session, item, result, clock.now(), random.Random(1), disable_after=timedelta(days=5)
                ),
            )
            return outcome

        api.create_order("SO-1")
        for item in claim():
            ok = item.endpoint_id == healthy["id"]
            record(item, SendResult(200 if ok else 503, 3, error=None if ok else "the receiver answered 503"))
        for n in range(2, 6):
            api.create_order(f"SO-{n}")

        first = claim()
        by_endpoint = [c.endpoint_id for c in first]
        assert by_endpoint.count(healthy["id"]) == 4
        assert by_endpoint.count(failing["id"]) == 1
        assert claim() == []  # the one in flight holds the failing endpoint's only slot

        [in_flight] = [c for c in first if c.endpoint_id == failing["id"]]
        assert record(in_flight, SendResult(503, 3, error="the receiver answered 503")) == "retrying"
        [next_one] = claim()
        assert next_one.endpoint_id == failing["id"]
        assert next_one.delivery_id != in_flight.delivery_id


def test_probes_use_up_no_retry_of_the_event(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    receiver.default = fail(500)
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)
    clock.advance(timedelta(seconds=7))
    settle(client)  # the first retry, on schedule
    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["attempts"] == 2
    scheduled = parse(delivery["next_attempt_at"])
    assert timedelta(minutes=4) <= scheduled - clock.now() <= timedelta(minutes=6)

    for _ in range(12):  # two minutes: a probe every 10 s
        clock.advance(timedelta(seconds=10))
        settle(client)
    [delivery] = deliveries(api, endpoint["id"])
    assert len(receiver.received) == 14
    assert delivery["attempts"] == 14
    assert delivery["status"] == "pending"
    assert parse(delivery["next_attempt_at"]) == scheduled  # its own schedule stands

    receiver.default = OK
    clock.advance(timedelta(seconds=10))
    settle(client)
    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "delivered"


def test_after_the_first_hour_probes_follow_the_schedules_steps(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    subscribe(api, receiver, event_types=["order.created"])
    receiver.default = fail(500)
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)
    clock.advance(timedelta(minutes=61))
    settle(client)
    sent = len(receiver.received)
    # An hour into the outage the step in force is 2 h: no probe every 10 s any more. Over the
    # next 20 minutes only the event's own retry goes, 5 min (its second step, 4-6 min with
    # jitter) after the last; the one after waits 30 min (24-36 min), past the window.
    for _ in range(20):
        clock.advance(timedelta(minutes=1))
        settle(client)
    assert len(receiver.received) == sent + 1


def test_the_retry_schedule_is_a_setting(settings: Settings, receiver: Receiver, clock: ManualClock) -> None:
    # Probes as rare as allowed, so that only the schedule's own retries are sent here.
    with app_client(settings, clock, webhook_retry_schedule="1m,2m", webhook_probe_seconds=600) as client:
        api = Api(client, make_keys(context(client)), clock)
        endpoint = subscribe(api, receiver, event_types=["order.created"])
        receiver.default = fail(500)
        api.create_order("SO-1")
        receiver.wait_for(1)
        settle(client)
        for _ in range(2):
            [delivery] = deliveries(api, endpoint["id"])
            clock.set(parse(delivery["next_attempt_at"]))
            settle(client)
        [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "failed"
    log = delivery["attempt_log"]
    waits = [(parse(a["next_attempt_at"]) - parse(a["at"])).total_seconds() for a in log[:2]]
    assert 48 <= waits[0] <= 72
    assert 96 <= waits[1] <= 144
    assert len(receiver.received) == 3


@pytest.mark.parametrize("bad", ["5 minutes", "5s,0s", "", "5s,9d"])
def test_a_bad_retry_schedule_is_refused_saying_what_is_allowed(bad: str) -> None:
    with pytest.raises(ValidationError, match="the retry schedule is a comma-separated list") as refused:
        Settings(webhook_retry_schedule=bad, _env_file=None)  # type: ignore[call-arg]
    assert "webhook_retry_schedule" in str(refused.value)
