"""Input a careless or hostile client sends: each answered with a 4xx problem that says what is wrong
and what is allowed, and that changes nothing (never a 500, never a false 503)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.clock import ManualClock
from app.config import Settings
from app.models.common import MAX_EVENT_ID
from app.models.order import REFERENCE_PATTERN
from tests.access_support import register as register_integration
from tests.support import Api, bearer, make_keys
from tests.webhook_support import app_client, context

PROBLEM = "application/problem+json"
#: One past the largest signed 64-bit integer: what overflowed the databases' integer columns.
HUGE = 2**63
SMALL_LIMIT = 1024


def order_body(reference: str = "SO-1", **change: Any) -> dict[str, Any]:
    return {
        "reference": reference,
        "flow": "standard",
        "customer": {"name": "Toko Maju"},
        "promised_at": "2026-11-26T12:00:00+07:00",
        "quoted_cost": {"amount": "10.00", "currency": "IDR"},
        **change,
    }


def state(api: Api) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Everything a client can see changed: the orders and the event log."""
    orders: list[dict[str, Any]] = api.get("/v1/orders").json()["items"]
    return orders, api.events()


def assert_problem(response: httpx.Response, status: int, *mentions: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    for mention in mentions:
        assert mention in body["detail"], (mention, body["detail"])
    return body


@pytest.mark.parametrize("path", ["/v1/events", "/v1/orders/SO-1042/timeline"])
def test_an_event_id_past_any_integer_column_is_refused(api: Api, path: str) -> None:
    api.create_order()
    before = state(api)
    problem = assert_problem(
        api.get(path, params={"after": str(HUGE)}), 422, "after", f"less than or equal to {MAX_EVENT_ID}"
    )
    assert problem["errors"][0]["loc"] == ["query", "after"]
    # The largest id allowed is an ordinary question with an empty answer.
    assert api.get(path, params={"after": str(MAX_EVENT_ID)}).json()["items"] == []
    assert state(api) == before


def test_a_nul_in_the_search_is_refused_as_input_not_blamed_on_the_database(api: Api) -> None:
    api.create_order()
    before = state(api)
    # Raw in the query string: httpx would re-encode a "\x00" given as a parameter.
    response = api.get("/v1/orders?q=SO%00-1042")
    problem = assert_problem(response, 422, "query", "may not contain the NUL character (U+0000)")
    assert "unavailable" not in problem["detail"]
    assert state(api) == before


def test_a_nul_escaped_in_a_json_body_is_refused(api: Api) -> None:
    before = state(api)
    response = api.post("/v1/orders", order_body(customer={"name": "Toko\u0000Maju"}))
    assert_problem(response, 422, "body", "may not contain the NUL character (U+0000)")
    assert state(api) == before


def test_a_reference_the_routes_cannot_address_is_refused_at_creation(api: Api) -> None:
    api.create_order("SO-1042")
    before = state(api)
    problem = assert_problem(api.post("/v1/orders", order_body("SO/42")), 422, "reference", REFERENCE_PATTERN)
    assert problem["errors"][0]["loc"] == ["body", "reference"]
    assert state(api) == before
    assert api.get("/v1/orders/SO%2F42").status_code == 404


@pytest.fixture
def small(settings: Settings, clock: ManualClock) -> Iterator[Api]:
    """The service with a body limit of 1 KiB, so an oversize body is cheap to send."""
    with app_client(settings, clock, max_body_bytes=SMALL_LIMIT) as client:
        yield Api(client, make_keys(context(client)), clock)


def oversize_order() -> bytes:
    return json.dumps(order_body("SO-9", customer={"name": "x" * 2 * SMALL_LIMIT})).encode()


def assert_too_large(response: httpx.Response) -> None:
    problem = assert_problem(response, 413, f"larger than {SMALL_LIMIT} bytes", "NEXTDESK_MAX_BODY_BYTES")
    assert problem["errors"] == [
        {"loc": ["body"], "msg": f"at most {SMALL_LIMIT} bytes", "type": "too_large"}
    ]


def test_an_oversize_body_on_an_authenticated_write_is_413(small: Api) -> None:
    small.create_order("SO-1042")
    before = state(small)
    response = small.client.post(
        "/v1/orders",
        content=oversize_order(),
        headers={**bearer(small.keys.agent), "content-type": "application/json"},
    )
    assert_too_large(response)
    assert state(small) == before


def test_an_oversize_body_sent_in_chunks_is_413(small: Api) -> None:
    """No Content-Length to refuse up front: counted as it arrives."""
    body = oversize_order()
    chunks = iter([body[:512], body[512:]])
    response = small.client.post(
        "/v1/orders",
        content=chunks,
        headers={**bearer(small.keys.agent), "content-type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert_too_large(response)
    assert state(small) == ([], [])


def test_an_unsigned_oversize_inbound_body_is_413_before_its_signature_is_checked(small: Api) -> None:
    register_integration(small.client, small.keys.admin, "erp")
    small.create_order("SO-1042")
    before = state(small)
    update = {"order": "SO-1042", "stage": "shipping", "customer_note": "x" * 2 * SMALL_LIMIT}
    response = small.client.post(
        "/v1/inbound/erp", content=json.dumps(update).encode(), headers={"content-type": "application/json"}
    )
    assert_too_large(response)
    # The same request within the limit reaches the signature check.
    update["customer_note"] = "picked up"
    within = small.client.post(
        "/v1/inbound/erp", content=json.dumps(update).encode(), headers={"content-type": "application/json"}
    )
    assert_problem(within, 401, "webhook-signature")
    assert state(small) == before


def test_a_negative_stage_cost_is_refused_and_the_stage_is_unchanged(api: Api) -> None:
    api.create_order()
    before = state(api)
    response = api.post(
        "/v1/orders/SO-1042/stages/assembly/updates",
        {"status": "in_progress", "cost_actual": {"amount": "-5", "currency": "IDR"}},
        key=api.keys.technician,
    )
    problem = assert_problem(response, 422, "cost_actual", "must be 0 or more", "'-5'")
    assert problem["errors"][0]["loc"] == ["body", "cost_actual", "amount"]
    assert state(api) == before
