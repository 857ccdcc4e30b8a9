"""Webhooks go only to public addresses unless the operator allows others: checked when an endpoint
is registered and again when each connection is made."""

from __future__ import annotations

from typing import Any

import pytest

from app.clock import ManualClock
from app.config import Settings
from tests.support import Api, make_keys
from tests.webhook_receiver import Receiver
from tests.webhook_support import app_client, context, deliveries, register, settle, subscribe


@pytest.fixture
def strict(settings: Settings) -> Settings:
    return settings.model_copy(update={"allow_private_webhook_targets": False})


REFUSED = [
    ("http://127.0.0.1:9/hooks", "127.0.0.1", "loopback"),
    ("http://[::1]/hooks", "::1", "loopback"),
    ("http://[::ffff:127.0.0.1]/hooks", "::ffff:127.0.0.1", "loopback"),
    ("http://10.1.2.3/hooks", "10.1.2.3", "private"),
    ("https://192.168.1.20/hooks", "192.168.1.20", "private"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "metadata"),
    ("http://[fd00:ec2::254]/", "fd00:ec2::254", "metadata"),
    ("http://[fe80::1]/", "fe80::1", "link-local"),
    ("http://0.0.0.0:8000/", "0.0.0.0", "unspecified"),
    ("http://224.0.0.1/", "224.0.0.1", "multicast"),
    ("http://100.64.0.1/", "100.64.0.1", "not a public address"),
    ("http://[2002:7f00:1::]/", "2002:7f00:1::", "6to4 address for 127.0.0.1, a loopback"),
    ("http://[2002:a9fe:a9fe::1]/", "2002:a9fe:a9fe::1", "6to4 address for 169.254.169.254"),
    ("http://[64:ff9b::a00:1]/", "64:ff9b::a00:1", "NAT64 address for 10.0.0.1, a private"),
    ("http://[64:ff9b::7f00:1]/", "64:ff9b::7f00:1", "NAT64 address for 127.0.0.1, a loopback"),
    ("http://[64:ff9b:1::808:808]/", "64:ff9b:1::808:808", "local-use NAT64"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
    ("http://[::7f00:1]/", "::7f00:1", "IPv4-compatible address for 127.0.0.1"),
    ("http://[::127.0.0.1]/", "::127.0.0.1", "IPv4-compatible address for 127.0.0.1, a loopback"),
    ("http://[::ffff:0:a00:1]/", "::ffff:0:a00:1", "IPv4-translated address for 10.0.0.1"),
]


def test_registration_refuses_private_targets_naming_the_address(
    strict: Settings, clock: ManualClock
) -> None:
    with app_client(strict, clock) as client:
        api = Api(client, make_keys(context(client)), clock)
        for url, address, kind in REFUSED:
            response = register(api, url, expect=422)
            assert address in response["detail"], url
            assert kind in response["detail"], url
            assert "webhooks go only to public addresses" in response["detail"], url
            assert response["errors"][0]["loc"] == ["body", "url"]
        listed = api.client.get("/v1/webhooks", headers={"Authorization": f"Bearer {api.keys.admin}"})
        assert listed.json() == []


def test_a_host_name_that_resolves_to_loopback_is_refused(
    strict: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    with app_client(strict, clock) as client:
        api = Api(client, make_keys(context(client)), clock)
        response = register(api, f"http://localhost:{receiver.port}/hooks", expect=422)
        assert "localhost resolves to" in response["detail"]
        assert "loopback" in response["detail"]


def test_changing_the_url_to_a_private_one_is_refused(strict: Settings, clock: ManualClock) -> None:
    with app_client(strict.model_copy(update={"allow_private_webhook_targets": True}), clock) as client:
        api = Api(client, make_keys(context(client)), clock)
        endpoint = register(api, "https://hooks.example.com/nextdesk")
    with app_client(strict, clock) as client:
        headers = {"Authorization": f"Bearer {api.keys.admin}"}
        response = client.patch(
            f"/v1/webhooks/{endpoint['id']}", json={"url": "http://10.0.0.7/"}, headers=headers
        )
        assert response.status_code == 422
        assert "10.0.0.7" in response.json()["detail"]
        assert client.get(f"/v1/webhooks/{endpoint['id']}", headers=headers).json()["url"] == endpoint["url"]


def _delivery_once_moved_to(
    url: str, settings: Settings, strict: Settings, clock: ManualClock, receiver: Receiver
) -> dict[str, Any]:
    """An endpoint moved to ``url`` while private targets were allowed, then an order created under
    the strict settings: the one delivery the dispatcher tried."""
    with app_client(settings, clock, dispatcher_enabled=False) as before:
        api = Api(before, make_keys(context(before)), clock)
        endpoint = subscribe(api, receiver, event_types=["order.created"])
        api.client.patch(
            f"/v1/webhooks/{endpoint['id']}",
            json={"url": url},
            headers={"Authorization": f"Bearer {api.keys.admin}"},
        )
    with app_client(strict, clock) as now:
        api = Api(now, api.keys, clock)
        api.create_order("SO-1")
        settle(now)
        [delivery] = deliveries(api, endpoint["id"])
    return delivery


def test_the_address_is_checked_again_when_connecting(
    settings: Settings, strict: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    """An endpoint let in earlier (say, its name resolved elsewhere then) is not reached now."""
    delivery = _delivery_once_moved_to(
        f"http://localhost:{receiver.port}/hooks", settings, strict, clock, receiver
    )
    assert receiver.received == []
    assert delivery["status"] == "pending"
    assert delivery["last_error"].startswith("refused: localhost resolves to")
    assert "loopback" in delivery["last_error"]


def test_a_6to4_address_for_loopback_is_refused_when_connecting(
    settings: Settings, strict: Settings, clock: ManualClock, receiver: Receiver
) -> None:
    """2002:7f00:1:: is 127.0.0.1 through a 6to4 relay: refused at the connection too."""
    delivery = _delivery_once_moved_to(
        f"http://[2002:7f00:1::]:{receiver.port}/hooks", settings, strict, clock, receiver
    )
    assert receiver.received == []
    assert delivery["status"] == "pending"
    assert delivery["last_error"] == (
        "refused: 2002:7f00:1:: a 6to4 address for 127.0.0.1, a loopback address; webhooks go only to "
        "public addresses (the operator may allow others with NEXTDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS)"
    )
