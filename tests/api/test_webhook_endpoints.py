"""Managing endpoints: who may, what is refused, pause and resume, replay, rotation, disabling."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook

from app.clock import ManualClock
from tests.support import Api, bearer
from tests.webhook_receiver import OK, Receiver, fail, gone
from tests.webhook_support import admin, deliveries, register, settle, subscribe


class TestCreate:
    def test_anonymous_is_401(self, api: Api, receiver: Receiver) -> None:
        assert api.client.post("/v1/webhooks", json={"url": receiver.url}).status_code == 401

    def test_an_agent_is_403(self, api: Api, receiver: Receiver) -> None:
        response = api.client.post("/v1/webhooks", json={"url": receiver.url}, headers=bearer(api.keys.agent))
        assert response.status_code == 403

    def test_admin_gets_the_secret_once(self, api: Api, receiver: Receiver) -> None:
        created = register(api, receiver.url, event_types=["stage.*"], description="ERP")
        assert created["secret"].startswith("whsec_")
        Webhook(created["secret"])  # a secret the standard library accepts
        assert created["status"] == "active"
        shown = admin(api, "GET", f"/v1/webhooks/{created['id']}").json()
        assert "secret" not in shown
        assert shown["event_types"] == ["stage.*"]
        assert [e["id"] for e in admin(api, "GET", "/v1/webhooks").json()] == [created["id"]]

    def test_bad_input_is_a_422_that_says_why(self, api: Api) -> None:
        for body, says in [
            ({"url": "ftp://example.com/x"}, "http:// or https://"),
            ({"url": "https:///nohost"}, "no host"),
            ({"url": "https://user:pw@example.com/"}, "user name or password"),
            ({"url": "https://example.com/", "event_types": ["stage.exploded"]}, "unknown event type"),
            ({"url": "https://example.com/", "event_types": []}, "at least 1"),
            ({"url": "https://example.com/", "departments": ["Not A Key"]}, "not a valid key"),
            ({"url": "https://example.com/", "colour": "red"}, "Extra inputs"),
        ]:
            response = admin(api, "POST", "/v1/webhooks", body)
            assert response.status_code == 422, body
            assert says in response.json()["detail"], body
        assert admin(api, "GET", "/v1/webhooks").json() == []


class TestChange:
    def test_patch_changes_only_what_is_given(self, api: Api, receiver: Receiver) -> None:
        created = register(api, receiver.url, event_types=["stage.*"], departments=["assembly"])
        response = admin(api, "PATCH", f"/v1/webhooks/{created['id']}", {"event_types": ["order.*"]})
        assert response.status_code == 200, response.text
        assert response.json()["event_types"] == ["order.*"]
        assert response.json()["departments"] == ["assembly"]

    def test_an_explicit_null_is_refused(self, api: Api, receiver: Receiver) -> None:
        created = register(api, receiver.url)
        response = admin(api, "PATCH", f"/v1/webhooks/{created['id']}", {"url": None})
        assert response.status_code == 422
        assert "cannot be null" in response.json()["detail"]

    def test_disabled_cannot_be_set_by_hand(self, api: Api, receiver: Receiver) -> None:
        created = register(api, receiver.url)
        response = admin(api, "PATCH", f"/v1/webhooks/{created['id']}", {"status": "disabled"})
        assert response.status_code == 422

    def test_delete_removes_the_endpoint(self, api: Api, receiver: Receiver) -> None:
        created = subscribe(api, receiver)
        api.create_order("SO-1")
        assert admin(api, "DELETE", f"/v1/webhooks/{created['id']}").status_code == 204
        assert admin(api, "GET", f"/v1/webhooks/{created['id']}").status_code == 404
        assert admin(api, "DELETE", f"/v1/webhooks/{created['id']}").status_code == 404

    def test_unknown_endpoint_is_404(self, api: Api) -> None:
        for method, path in [
            ("GET", "/v1/webhooks/we_nope"),
            ("PATCH", "/v1/webhooks/we_nope"),
            ("POST", "/v1/webhooks/we_nope/ping"),
            ("POST", "/v1/webhooks/we_nope/rotate-secret"),
            ("GET", "/v1/webhooks/we_nope/deliveries"),
        ]:
            body = {"description": "x"} if method == "PATCH" else None
            assert admin(api, method, path, body).status_code == 404, path


def test_deliveries_are_paged_newest_first(api: Api, receiver: Receiver, client: TestClient) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    for n in range(5):
        api.create_order(f"SO-{n}")
    settle(client)
    path = f"/v1/webhooks/{endpoint['id']}/deliveries"
    first = admin(api, "GET", f"{path}?limit=3").json()
    second = admin(api, "GET", f"{path}?limit=3&cursor={first['next_cursor']}").json()
    ids = [d["event_id"] for d in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 5
    assert second["next_cursor"] is None
    assert admin(api, "GET", f"{path}?cursor=abc").status_code == 422
    assert admin(api, "GET", f"{path}?status=delivered").json()["items"][0]["status"] == "delivered"


def test_a_paused_endpoint_holds_its_events_until_replayed(
    api: Api, receiver: Receiver, client: TestClient
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    api.create_order("SO-1")
    receiver.wait_for(1)
    paused = admin(api, "PATCH", f"/v1/webhooks/{endpoint['id']}", {"status": "paused"})
    assert paused.json()["status"] == "paused"
    api.create_order("SO-2")
    api.create_order("SO-3")
    settle(client)
    assert len(receiver.received) == 1
    assert {d["status"] for d in deliveries(api, endpoint["id"], status="held")} == {"held"}
    assert admin(api, "POST", f"/v1/webhooks/{endpoint['id']}/ping").status_code == 409

    admin(api, "PATCH", f"/v1/webhooks/{endpoint['id']}", {"status": "active"})
    api.create_order("SO-4")
    settle(client)
    subjects = [r.payload["subject"] for r in receiver.received]
    assert subjects == ["SO-1", "SO-4"]  # resuming sends what comes next; the held wait for a replay

    first_held = min(d["event_id"] for d in deliveries(api, endpoint["id"], status="held"))
    replayed = admin(api, "POST", f"/v1/webhooks/{endpoint['id']}/replay", {"after_event_id": first_held - 1})
    assert replayed.status_code == 202, replayed.text
    settle(client)
    subjects = [r.payload["subject"] for r in receiver.received]
    assert sorted(subjects[2:]) == ["SO-2", "SO-3", "SO-4"]
    assert deliveries(api, endpoint["id"], status="held") == []


def test_replay_by_time_resends_with_the_same_webhook_ids(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    api.create_order("SO-1")
    settle(client)  # recorded before the clock jumps past its lease
    clock.advance(timedelta(hours=1))
    since = clock.now()
    api.create_order("SO-2")
    api.create_order("SO-3")
    settle(client)
    first_round = {r.payload["subject"]: r.webhook_id for r in receiver.received}

    response = admin(api, "POST", f"/v1/webhooks/{endpoint['id']}/replay", {"since": since.isoformat()})
    assert response.json()["queued"] == 2
    assert response.json()["more"] is False
    settle(client)
    again = receiver.received[3:]
    assert sorted(r.payload["subject"] for r in again) == ["SO-2", "SO-3"]
    assert all(first_round[r.payload["subject"]] == r.webhook_id for r in again)

    both = admin(
        api,
        "POST",
        f"/v1/webhooks/{endpoint['id']}/replay",
        {"since": since.isoformat(), "after_event_id": 1},
    )
    assert both.status_code == 422


def test_rotation_signs_with_both_secrets_during_the_overlap(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    old = endpoint["secret"]
    response = admin(api, "POST", f"/v1/webhooks/{endpoint['id']}/rotate-secret", {"overlap_hours": 2})
    assert response.status_code == 200, response.text
    new = response.json()["secret"]
    assert new != old
    receiver.secrets.append(new)

    api.create_order("SO-1")
    [during] = receiver.wait_for(1)
    assert len(during.signatures) == 2
    assert set(during.verified_with) == {old, new}
    settle(client)

    clock.advance(timedelta(hours=2, seconds=1))
    api.create_order("SO-2")
    after = receiver.wait_for(2)[1]
    assert len(after.signatures) == 1
    assert after.verified_with == (new,)


def test_410_gone_disables_the_endpoint_at_once(api: Api, receiver: Receiver, client: TestClient) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    watcher = register(api, receiver.url + "/watch", event_types=["endpoint.disabled"])
    receiver.script(gone())
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)

    shown = admin(api, "GET", f"/v1/webhooks/{endpoint['id']}").json()
    assert shown["status"] == "disabled"
    assert "410" in shown["disabled_reason"]
    [event] = api.events(type="endpoint.disabled")
    assert event["data"]["endpoint"] == endpoint["id"]
    assert [r.path for r in receiver.wait_for(2)] == ["/hooks", "/hooks/watch"]

    api.create_order("SO-2")
    settle(client)
    assert len(receiver.received) == 2
    assert {d["status"] for d in deliveries(api, endpoint["id"])} == {"held"}

    admin(api, "PATCH", f"/v1/webhooks/{endpoint['id']}", {"status": "active"})
    admin(api, "POST", f"/v1/webhooks/{endpoint['id']}/replay", {"after_event_id": 0})
    settle(client)
    assert sorted(r.payload["subject"] for r in receiver.delivered() if r.path == "/hooks") == [
        "SO-1",
        "SO-2",
    ]
    assert watcher["status"] == "active"


def test_five_days_of_unbroken_failure_disable_the_endpoint(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    receiver.default = fail(500)
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)
    clock.advance(timedelta(days=4, hours=23))
    api.create_order("SO-2")
    settle(client)
    assert admin(api, "GET", f"/v1/webhooks/{endpoint['id']}").json()["status"] == "active"

    clock.advance(timedelta(hours=1, minutes=1))
    api.create_order("SO-3")
    settle(client)
    shown = admin(api, "GET", f"/v1/webhooks/{endpoint['id']}").json()
    assert shown["status"] == "disabled"
    assert "5 days" in shown["disabled_reason"]
    assert len(api.events(type="endpoint.disabled")) == 1


def test_a_success_ends_a_run_of_failures(
    api: Api, receiver: Receiver, client: TestClient, clock: ManualClock
) -> None:
    endpoint = subscribe(api, receiver, event_types=["order.created"])
    receiver.script(fail(500))
    api.create_order("SO-1")
    receiver.wait_for(1)
    settle(client)
    assert admin(api, "GET", f"/v1/webhooks/{endpoint['id']}").json()["failing_since"] is not None
    receiver.default = OK
    clock.advance(timedelta(seconds=7))
    settle(client)
    assert admin(api, "GET", f"/v1/webhooks/{endpoint['id']}").json()["failing_since"] is None
