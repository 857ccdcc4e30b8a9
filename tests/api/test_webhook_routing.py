"""Each endpoint gets exactly the events its types and filters select, every event type included."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import Api, bearer
from tests.webhook_receiver import Receiver, running_receiver
from tests.webhook_support import settle, subscribe

Event = dict[str, Any]


def walk_two_orders(api: Api) -> None:
    """A story that makes every event type the order API can make."""
    api.create_order("SO-1", promise_in=timedelta(days=3))
    api.update("SO-1", "assembly", status="in_progress")
    api.update("SO-1", "assembly", status="blocked", reason="waiting_parts")
    api.update("SO-1", "assembly", status="in_progress")
    api.update("SO-1", "assembly", remaining_minutes=60 * 24 * 5)  # past the promise: at risk
    api.update("SO-1", "assembly", remaining_minutes=60)  # back on track
    api.update("SO-1", "assembly", cost_estimate={"amount": "900000.00", "currency": "IDR"})
    api.update("SO-1", "assembly", status="done")
    api.update("SO-1", "finance", status="in_progress")
    api.update("SO-1", "finance", status="done")
    api.update("SO-1", "shipping", status="skipped")

    api.create_order("SO-2")
    view = api.order("SO-2")
    headers = {**bearer(api.keys.agent), "If-Match": f'"{view["version"]}"'}
    moved = api.client.patch(
        "/v1/orders/SO-2",
        json={"promised_at": (api.clock.now() + timedelta(days=9)).isoformat()},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    headers["If-Match"] = moved.headers["ETag"]
    cancelled = api.client.patch("/v1/orders/SO-2", json={"cancel": True}, headers=headers)
    assert cancelled.status_code == 200, cancelled.text


# What each subscription should get: a test on the envelope, or (for departments, which the envelope
# does not always carry) the same filter asked of the event log.
SUBSCRIPTIONS: dict[str, tuple[dict[str, Any], Callable[[Event], bool] | dict[str, str]]] = {
    "everything": ({}, lambda e: True),
    "stages": ({"event_types": ["stage.*"]}, lambda e: e["type"].startswith("stage.")),
    "two types": (
        {"event_types": ["order.completed", "order.cancelled"]},
        lambda e: e["type"] in ("order.completed", "order.cancelled"),
    ),
    "finance": ({"departments": ["finance"]}, {"department": "finance"}),
    "SO-2": ({"orders": ["SO-2"]}, lambda e: e["subject"] == "SO-2"),
    "significant revisions": (
        {"event_types": ["estimate.*", "cost.*"], "significant_only": True},
        lambda e: e["type"] in ("estimate.revised", "cost.revised") and e["data"]["significant"],
    ),
}


@pytest.fixture
def receivers() -> Iterator[dict[str, Receiver]]:
    with ExitStack() as stack:
        yield {name: stack.enter_context(running_receiver()) for name in SUBSCRIPTIONS}


def test_each_endpoint_gets_what_it_subscribed_to_and_nothing_else(
    api: Api, client: TestClient, receivers: dict[str, Receiver]
) -> None:
    for name, (fields, _) in SUBSCRIPTIONS.items():
        subscribe(api, receivers[name], **fields, description=name)
    walk_two_orders(api)
    settle(client)

    log = api.events()
    made = {e["type"] for e in log}
    assert made >= {
        "order.created", "order.updated", "order.at_risk", "order.back_on_track", "order.completed",
        "order.cancelled", "stage.ready", "stage.started", "stage.blocked", "stage.resumed",
        "stage.completed", "stage.skipped", "estimate.revised", "cost.revised",
    }  # fmt: skip
    for name, (_, selects) in SUBSCRIPTIONS.items():
        expected = api.events(**selects) if isinstance(selects, dict) else [e for e in log if selects(e)]
        assert expected, f"the story makes no event for {name}"
        got = receivers[name].received
        assert sorted(int(r.webhook_id) for r in got) == [int(e["id"]) for e in expected], name
        by_id = {r.webhook_id: r for r in got}
        for event in expected:
            assert by_id[event["id"]].payload == event
            assert by_id[event["id"]].verified_with == tuple(receivers[name].secrets)
