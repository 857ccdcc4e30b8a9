"""Helpers for webhook tests: a receiver per test, endpoints registered through the API, and a way
to let the dispatcher finish what is due without sleeping on a timer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.context import AppContext
from app.events.dispatcher import Dispatcher
from app.main import create_app
from tests.support import Api, bearer, wait_until
from tests.webhook_receiver import Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def context(client: TestClient) -> AppContext:
    ctx: AppContext = client.app.state.ctx  # type: ignore[attr-defined]
    return ctx


def dispatcher_of(client: TestClient) -> Dispatcher:
    dispatcher: Dispatcher = context(client).components["dispatcher"]
    return dispatcher


def settle(client: TestClient) -> None:
    """Wake the dispatcher and wait until it has sent and recorded everything due by the clock."""
    dispatcher = dispatcher_of(client)
    for _ in range(2):  # a second round shows that the first claimed everything there was
        # Twice: a round already under way when woken may have claimed before what is due now.
        for _ in range(2):
            target = dispatcher.rounds + 1
            dispatcher.wake()
            wait_until(lambda: dispatcher.rounds >= target, what="a dispatcher round", timeout=15)  # noqa: B023
        wait_until(lambda: dispatcher.in_flight == 0, what="the sends in flight", timeout=15)


def register(api: Api, url: str, expect: int = 201, **fields: Any) -> dict[str, Any]:
    response = api.client.post("/v1/webhooks", json={"url": url, **fields}, headers=bearer(api.keys.admin))
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


def subscribe(api: Api, receiver: Receiver, **fields: Any) -> dict[str, Any]:
    """Register the receiver and teach it the secret, so it can verify what it gets."""
    endpoint = register(api, receiver.url, **fields)
    receiver.secrets.append(endpoint["secret"])
    return endpoint


def deliveries(api: Api, endpoint_id: str, **params: Any) -> list[dict[str, Any]]:
    response = api.client.get(
        f"/v1/webhooks/{endpoint_id}/deliveries",
        params={"limit": 200, **params},
        headers=bearer(api.keys.admin),
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def admin(api: Api, method: str, path: str, body: Any = None) -> Any:
    return api.client.request(method, path, json=body, headers=bearer(api.keys.admin))


@contextmanager
def app_client(settings: Settings, clock: ManualClock | None, **overrides: Any) -> Iterator[TestClient]:
    """Another instance of the service on the same database (a restart, a second replica)."""
    app = create_app(settings.model_copy(update=overrides), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
