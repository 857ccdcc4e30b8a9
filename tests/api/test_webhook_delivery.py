"""Events reach subscribed receivers, signed, at least once, with retries on the injected clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from tests.support import Api, make_keys
from tests.webhook_receiver import Receiver, fail, hang, redirect, retry_after
from tests.webhook_support import admin, app_client, context, deliveries, dispatcher_of, settle, subscribe


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def test_an_update_arrives_signed_with_the_envelope_of_the_log(api: Api, receiver: Receiver) -> None:
    subscribe(api, receiver)
    api.create_order("SO-1")
    api.update("SO-1", "assembly", status="in_progress")

    log = api.events()
    got = receiver.wait_for(len(log))
    assert sorted(r.webhook_id for r in got) == sorted(e["id"] for e in log)
    by_id = {r.webhook_id: r for r in got}
    for event in log:
        received = by_id[event["id"]]
        assert received.verified_with == tuple(receiver.secrets)
        assert received.payload == event
        assert received.headers["content-type"] == "application/json"
        [signature] = received.signatures
        assert signature.startswith("v1,")


def test_a_failing_receiver_is_retried_on_schedule_until_it_succeeds(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    receiver.script(fail(500), fail(503))
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)

    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "pending"
    assert delivery["last_status_code"] == 500
    first_retry = parse(delivery["next_attempt_at"]) - clock.now()
    assert timedelta(seconds=4) <= first_retry <= timedelta(seconds=6)

    clock.advance(timedelta(seconds=3))  # not due yet: nothing is sent
    settle(client)
    assert len(receiver.received) == 1

    clock.advance(timedelta(seconds=3))
    settle(client)
    assert len(receiver.received) == 2
    [delivery] = deliveries(api, endpoint["id"])
    second_retry = parse(delivery["next_attempt_at"]) - clock.now()
    assert timedelta(minutes=4) <= second_retry <= timedelta(minutes=6)

    clock.advance(timedelta(minutes=6))
    settle(client)
    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "delivered"
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 503, 200]
    assert [a["attempt"] for a in delivery["attempt_log"]] == [1, 2, 3]
    assert delivery["attempts"] == 3
    assert delivery["last_error"] is None
    first = delivery["attempt_log"][0]
    assert first["error"] == "the receiver answered 500"
    assert first["response_body"].startswith("receiver is having a bad day")
    assert len(first["response_body"]) <= 1000
    assert delivery["attempt_log"][-1]["next_attempt_at"] is None
    # One webhook-id across the retries, so the receiver can tell they are one message.
    assert len({r.webhook_id for r in receiver.received}) == 1
    assert len({r.headers["webhook-timestamp"] for r in receiver.received}) >= 1


def test_every_retry_is_spent_on_schedule_then_the_delivery_fails(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    receiver.default = fail(500)
    api.create_order("SO-1")
    receiver.wait_for(1)
    for attempts in range(2, 9):
        settle(client)
        clock.advance(timedelta(hours=13))  # beyond the longest delay, jitter included
        settle(client)
        assert len(receiver.received) == attempts
    clock.advance(timedelta(hours=13))
    settle(client)
    assert len(receiver.received) == 8

    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "failed"
    assert delivery["next_attempt_at"] is None
    log = delivery["attempt_log"]
    schedule = [5, 300, 1800, 7200, 18000, 36000, 36000]
    for attempt, planned in zip(log, schedule, strict=False):
        waited = (parse(attempt["next_attempt_at"]) - parse(attempt["at"])).total_seconds()
        assert planned * 0.8 <= waited <= planned * 1.2
    assert log[-1]["next_attempt_at"] is None


def test_retry_after_is_honoured(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    receiver.script(retry_after(120))
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)
    [delivery] = deliveries(api, endpoint["id"])
    assert parse(delivery["next_attempt_at"]) == clock.now() + timedelta(seconds=120)
    assert delivery["last_status_code"] == 429

    clock.advance(timedelta(seconds=119))
    settle(client)
    assert len(receiver.received) == 1
    clock.advance(timedelta(seconds=1))
    settle(client)
    assert deliveries(api, endpoint["id"])[0]["status"] == "delivered"


def test_a_redirect_is_a_failure_and_is_not_followed(
    api: Api, receiver: Receiver, client: TestClient
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    receiver.script(redirect(receiver.url + "/elsewhere"))
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)
    assert [r.path for r in receiver.received] == ["/hooks"]
    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "pending"
    assert delivery["last_status_code"] == 302
    assert "redirects are not followed" in delivery["last_error"]


def test_a_receiver_that_hangs_past_the_timeout_is_a_failure(
    settings: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(settings, clock, webhook_timeout_seconds=0.3) as client:
        api = Api(client, make_keys(context(client)), clock)
        endpoint = subscribe(api, receiver, event_types=["order.created"])
        receiver.script(hang(5))
        api.create_order("SO-1")
        receiver.wait_for(1)
        settle(client)
        [delivery] = deliveries(api, endpoint["id"])
    assert delivery["status"] == "pending"
    assert delivery["last_status_code"] is None
    assert delivery["last_error"] == "no answer within 0.3 s"


def test_ping_sends_a_signed_test_event(api: Api, receiver: Receiver, client: TestClient) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    response = admin(api, "POST", f"/v1/webhooks/{endpoint['id']}/ping")
    assert response.status_code == 202, response.text
    [got] = receiver.wait_for(1)
    assert got.webhook_id == response.json()["webhook_id"]
    assert got.payload["type"] == "webhook.ping"
    assert got.verified_with == tuple(receiver.secrets)
    settle(client)
    [delivery] = deliveries(api, endpoint["id"])
    assert delivery["event_type"] == "webhook.ping"
    assert delivery["status"] == "delivered"


def test_metrics_and_readiness_show_the_dispatcher(api: Api, receiver: Receiver, client: TestClient) -> None:
    subscribe(api, receiver, event_types=["order.created"])
    receiver.script(fail(500))
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)
    dispatcher_of(client).stats_every = 0.0
    settle(client)
    metrics = client.get("/metrics").text
    assert 'nextdesk_webhook_deliveries_total{outcome="retrying"}' in metrics
    assert "nextdesk_webhook_outbox_depth 1.0" in metrics
    assert "nextdesk_webhook_outbox_due 0.0" in metrics
    assert "nextdesk_webhook_oldest_due_seconds" in metrics
    ready = client.get("/readyz").json()
    assert ready["checks"]["dispatcher"] == "ok"
