"""Other systems' signed updates: verified on the raw body, mapped, applied once, as the integration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.domain.errors import Unauthorized
from app.domain.webhook_signing import sign, verify
from tests.access_support import encode, post_signed, register, signed_headers
from tests.support import Api, Keys, bearer

# The shared test vector of the Standard Webhooks specification.
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

CARRIER_MAPPING = {
    "paths": {"order": "shipment.reference", "status": "event.code", "customer_note": "event.description"},
    "fixed": {"stage": "shipping"},
    "status_values": {"picked_up": "in_progress", "in_transit": "in_progress", "delivered": "done"},
}


def carrier_event(code: str, reference: str = "SO-1042", description: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"code": code, "at": "2026-11-24T09:00:00+07:00"}
    if description:
        event["description"] = description
    return {"shipment": {"reference": reference, "awb": "JNE0001234"}, "event": event}


@pytest.fixture
def carrier(client: TestClient, keys: Keys) -> str:
    secret: str = register(client, keys.admin, "carrier-jne", mapping=CARRIER_MAPPING)["secret"]
    return secret


@pytest.fixture
def shipping_ready(api: Api) -> None:
    api.create_order("SO-1042")
    for stage in ("assembly", "finance"):
        api.update("SO-1042", stage, status="in_progress")
        api.update("SO-1042", stage, status="done")


def snapshot(api: Api, reference: str = "SO-1042") -> tuple[int, int]:
    return api.order(reference)["version"], len(api.events(order=reference))


class TestStandardWebhooksVector:
    def test_signing_matches_the_vector(self) -> None:
        assert sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE

    def test_the_vector_verifies_at_its_own_time(self) -> None:
        at = datetime.fromtimestamp(VECTOR_TIMESTAMP, UTC)
        verify(
            [VECTOR_SECRET],
            VECTOR_BODY,
            msg_id=VECTOR_ID,
            timestamp=str(VECTOR_TIMESTAMP),
            signature=VECTOR_SIGNATURE,
            now=at + timedelta(minutes=4),
        )
        with pytest.raises(Unauthorized, match="minutes away"):
            verify(
                [VECTOR_SECRET],
                VECTOR_BODY,
                msg_id=VECTOR_ID,
                timestamp=str(VECTOR_TIMESTAMP),
                signature=VECTOR_SIGNATURE,
                now=at + timedelta(minutes=5, seconds=1),
            )

    def test_the_vector_over_http(self, client: TestClient, keys: Keys, clock: ManualClock) -> None:
        register(client, keys.admin, "vector", secret=VECTOR_SECRET)
        clock.set(datetime.fromtimestamp(VECTOR_TIMESTAMP, UTC))
        headers = {
            "webhook-id": VECTOR_ID,
            "webhook-timestamp": str(VECTOR_TIMESTAMP),
            "webhook-signature": VECTOR_SIGNATURE,
        }
        accepted = client.post("/v1/inbound/vector", content=VECTOR_BODY, headers=headers)
        # The signature holds; the payload is simply no stage update.
        assert accepted.status_code == 422
        assert "'order' is required" in accepted.json()["detail"]

        tampered = client.post("/v1/inbound/vector", content=b'{"test": 2432232315}', headers=headers)
        assert tampered.status_code == 401


class TestCarrierWebhook:
    def test_signed_events_move_the_shipping_stage(
        self, client: TestClient, api: Api, carrier: str, clock: ManualClock, shipping_ready: None
    ) -> None:
        picked = post_signed(
            client,
            "carrier-jne",
            carrier_event("picked_up", description="Picked up by the courier."),
            carrier,
            clock.now(),
        )
        assert picked.status_code == 200, picked.text
        assert picked.json()["outcome"] == "applied"
        order = api.order("SO-1042")
        shipping = order["stages"][2]
        assert shipping["status"] == "in_progress"
        assert shipping["customer_note"] == "Picked up by the courier."

        clock.advance(timedelta(hours=20))
        assert (
            post_signed(client, "carrier-jne", carrier_event("in_transit"), carrier, clock.now()).status_code
            == 200
        )
        clock.advance(timedelta(hours=4))
        delivered = post_signed(client, "carrier-jne", carrier_event("delivered"), carrier, clock.now())
        assert delivered.status_code == 200, delivered.text
        assert api.order("SO-1042")["state"] == "done"

        timeline = api.get("/v1/orders/SO-1042/timeline").json()["items"]
        completed = next(
            e for e in timeline if e["type"] == "stage.completed" and e["data"]["stage"] == "shipping"
        )
        assert completed["data"]["actor"] == "integration:carrier-jne"
        assert completed["data"]["actor_role"] == "integration"
        assert carrier not in str(timeline)

    def test_a_forged_signature_changes_nothing(
        self, client: TestClient, api: Api, carrier: str, clock: ManualClock, shipping_ready: None
    ) -> None:
        before = snapshot(api)
        forger = "whsec_" + "QUJD" * 8
        response = post_signed(client, "carrier-jne", carrier_event("delivered"), forger, clock.now())
        assert response.status_code == 401
        assert "does not match" in response.json()["detail"]
        assert snapshot(api) == before

    def test_a_body_changed_after_signing_is_refused(
        self, client: TestClient, api: Api, carrier: str, clock: ManualClock, shipping_ready: None
    ) -> None:
        before = snapshot(api)
        signed = encode(carrier_event("picked_up"))
        headers = signed_headers(carrier, signed, clock.now())
        changed = encode(carrier_event("delivered"))
        assert client.post("/v1/inbound/carrier-jne", content=changed, headers=headers).status_code == 401
        assert snapshot(api) == before

    def test_timestamps_more_than_five_minutes_off_are_refused(
        self, client: TestClient, api: Api, carrier: str, clock: ManualClock, shipping_ready: None
    ) -> None:
        before = snapshot(api)
        for offset in (timedelta(minutes=-6), timedelta(minutes=6), timedelta(hours=-3)):
            response = post_signed(
                client, "carrier-jne", carrier_event("picked_up"), carrier, clock.now() + offset
            )
            assert response.status_code == 401, offset
            assert "at most 5 minutes" in response.json()["detail"]
        assert snapshot(api) == before
        for offset in (timedelta(minutes=-4, seconds=-50), timedelta(minutes=4, seconds=50)):
            response = post_signed(
                client, "carrier-jne", carrier_event("picked_up"), carrier, clock.now() + offset
            )
            assert response.status_code == 200, offset

    def test_a_replayed_webhook_id_changes_nothing(
        self, client: TestClient, api: Api, carrier: str, clock: ManualClock, shipping_ready: None
    ) -> None:
        first = post_signed(
            client, "carrier-jne", carrier_event("picked_up"), carrier, clock.now(), msg_id="msg_1"
        )
        assert first.json()["outcome"] == "applied"
        after_first = snapshot(api)

        replay = post_signed(
            client, "carrier-jne", carrier_event("picked_up"), carrier, clock.now(), msg_id="msg_1"
        )
        assert replay.status_code == 200
        assert replay.json() == {
            "webhook_id": "msg_1",
            "outcome": "duplicate",
            "order": "SO-1042",
            "stage": "shipping",
            "order_version": None,
        }
        # A sender's retry hours later carries the same id under a fresh timestamp and signature.
        clock.advance(timedelta(hours=5))
        retry = post_signed(
            client, "carrier-jne", carrier_event("picked_up"), carrier, clock.now(), msg_id="msg_1"
        )
        assert retry.json()["outcome"] == "duplicate"
        assert snapshot(api) == after_first

    def test_the_same_id_from_another_integration_is_its_own_message(
        self, client: TestClient, keys: Keys, api: Api, carrier: str, clock: ManualClock, shipping_ready: None
    ) -> None:
        other = register(client, keys.admin, "carrier-sicepat", mapping=CARRIER_MAPPING)["secret"]
        assert (
            post_signed(
                client, "carrier-jne", carrier_event("picked_up"), carrier, clock.now(), msg_id="m"
            ).json()["outcome"]
            == "applied"
        )
        delivered = post_signed(
            client, "carrier-sicepat", carrier_event("delivered"), other, clock.now(), msg_id="m"
        )
        assert delivered.json()["outcome"] == "applied"

    def test_a_payload_the_mapping_cannot_read_is_422_and_changes_nothing(
        self, client: TestClient, api: Api, carrier: str, clock: ManualClock, shipping_ready: None
    ) -> None:
        unreadable: list[tuple[Any, str]] = [
            ({"event": {"code": "delivered"}}, "no 'shipment.reference'"),
            (
                carrier_event("returned_to_sender"),
                "status 'returned_to_sender' at 'event.code' has no mapping",
            ),
            ({"shipment": {"reference": ["SO-1042"]}, "event": {"code": "delivered"}}, "must be text"),
            ([1, 2, 3], "must be a JSON object"),
            (b"not json at all", "not JSON"),
        ]
        before = snapshot(api)
        for payload, complaint in unreadable:
            response = post_signed(client, "carrier-jne", payload, carrier, clock.now(), msg_id="msg_bad")
            assert response.status_code == 422, payload
            assert complaint in response.json()["detail"]
        assert snapshot(api) == before
        # Nothing was taken either: the corrected message under the same id goes through.
        fixed = post_signed(
            client, "carrier-jne", carrier_event("picked_up"), carrier, clock.now(), msg_id="msg_bad"
        )
        assert fixed.json()["outcome"] == "applied"

    def test_a_refused_transition_is_the_technicians_409(
        self, client: TestClient, api: Api, carrier: str, clock: ManualClock, shipping_ready: None
    ) -> None:
        before = snapshot(api)
        technician = api.post(
            "/v1/orders/SO-1042/stages/shipping/updates", {"status": "done"}, key=api.keys.shipping
        )
        inbound = post_signed(
            client, "carrier-jne", carrier_event("delivered"), carrier, clock.now(), msg_id="early"
        )
        assert technician.status_code == inbound.status_code == 409
        assert inbound.json()["detail"] == technician.json()["detail"]
        assert inbound.json()["type"] == technician.json()["type"]
        assert snapshot(api) == before

    def test_an_unknown_order_is_404(self, client: TestClient, carrier: str, clock: ManualClock) -> None:
        response = post_signed(
            client, "carrier-jne", carrier_event("picked_up", reference="SO-404"), carrier, clock.now()
        )
        assert response.status_code == 404


class TestOwnShape:
    def test_our_own_update_shape_is_taken_as_is(
        self, client: TestClient, keys: Keys, api: Api, clock: ManualClock, shipping_ready: None
    ) -> None:
        secret = register(client, keys.admin, "erp")["secret"]
        body = {
            "order": "SO-1042",
            "stage": "shipping",
            "status": "in_progress",
            "customer_note": "On its way.",
        }
        response = post_signed(client, "erp", body, secret, clock.now())
        assert response.status_code == 200, response.text
        assert api.order("SO-1042")["stages"][2]["customer_note"] == "On its way."

    def test_bad_fields_are_422_naming_the_field(
        self, client: TestClient, keys: Keys, api: Api, clock: ManualClock, shipping_ready: None
    ) -> None:
        secret = register(client, keys.admin, "erp")["secret"]
        before = snapshot(api)
        body = {"order": "SO-1042", "stage": "shipping", "status": "teleported"}
        response = post_signed(client, "erp", body, secret, clock.now())
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "status"]
        assert snapshot(api) == before

    def test_an_integration_moves_only_stages_in_its_scope(
        self, client: TestClient, keys: Keys, api: Api, clock: ManualClock
    ) -> None:
        api.create_order("SO-1042")
        secret = register(client, keys.admin, "erp")["secret"]
        body = {"order": "SO-1042", "stage": "assembly", "status": "in_progress"}
        response = post_signed(client, "erp", body, secret, clock.now())
        assert response.status_code == 403
        assert response.json()["required_department"] == "assembly"

        line_secret = register(client, keys.admin, "line-2", departments=[], stages=["assembly"])["secret"]
        assert post_signed(client, "line-2", body, line_secret, clock.now()).status_code == 200


class TestSecretsAndState:
    def test_the_old_secret_verifies_during_the_overlap_only(
        self, client: TestClient, keys: Keys, clock: ManualClock, shipping_ready: None
    ) -> None:
        old = register(client, keys.admin, "erp")["secret"]
        rotated = client.post(
            "/v1/integrations/erp/rotate-secret", json={"overlap_minutes": 60}, headers=bearer(keys.admin)
        )
        assert rotated.status_code == 200
        new = rotated.json()["secret"]
        assert new != old
        assert new.startswith("whsec_")

        def note(secret: str) -> int:
            body = {"order": "SO-1042", "stage": "shipping", "internal_note": f"at {clock.now().isoformat()}"}
            return post_signed(client, "erp", body, secret, clock.now()).status_code

        assert note(old) == 200
        assert note(new) == 200
        clock.advance(timedelta(minutes=61))
        assert note(old) == 401
        assert note(new) == 200

    def test_missing_signature_headers_are_401(self, client: TestClient, keys: Keys) -> None:
        register(client, keys.admin, "erp")
        response = client.post("/v1/inbound/erp", json={"order": "SO-1042"}, headers=bearer(keys.admin))
        assert response.status_code == 401
        assert "webhook-signature" in response.json()["detail"]

    def test_disabled_and_removed_integrations_are_refused(
        self, client: TestClient, keys: Keys, clock: ManualClock
    ) -> None:
        secret = register(client, keys.admin, "erp")["secret"]
        body = {"order": "SO-1042", "stage": "shipping", "internal_note": "x"}
        client.patch("/v1/integrations/erp", json={"enabled": False}, headers=bearer(keys.admin))
        assert post_signed(client, "erp", body, secret, clock.now()).status_code == 403
        assert post_signed(client, "erp", body, "whsec_" + "QUJD" * 8, clock.now()).status_code == 401
        assert client.delete("/v1/integrations/erp", headers=bearer(keys.admin)).status_code == 204
        assert post_signed(client, "erp", body, secret, clock.now()).status_code == 404
