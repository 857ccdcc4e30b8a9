"""Who may call what: every route of the app against every kind of caller, with the exact status.

The table below is checked against the app's own routes, so a route added later fails here until
it says who may call it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.context import AppContext
from app.models.access import Role
from app.models.integration import IntegrationCreate
from app.services.integrations import create_integration
from app.writer import run_use_case
from tests.access_support import key_id, new_key, register, signed_headers
from tests.support import Api, Keys, bearer


class Access(Enum):
    PUBLIC = "no key needed"
    ANY = "any valid key"
    AGENT = "agent or admin"
    ORDER_WRITER = "agent, integration or admin"
    STAGE_WRITER = "technician or integration of the stage's department, or admin"
    ADMIN = "admin"
    TECHNICIAN = "technician of the stage's department, or admin"
    SIGNED = "a Standard Webhooks signature, no key"
    #: The desk's pages answer every caller alike: keys are no sign-in, so each gets what a browser
    #: without a desk session gets (a redirect to sign in, a 401 for live fragments, a 403 for a form
    #: without its CSRF token). tests/api/test_desk_session.py covers the signed-in side.
    DESK = "a desk session (signed in with an agent or admin key); API keys are not accepted"
    #: The workbench likewise, signed in with a technician or admin key (tests/api/test_workbench.py).
    BENCH = "a workbench session (signed in with a technician or admin key); API keys are not accepted"


CALLERS = (
    "anonymous",
    "unknown key",
    "admin",
    "agent",
    "viewer",
    "integration key",
    "technician",
    "technician of another department",
    "signed",
)

ALLOWED: dict[Access, set[str]] = {
    Access.PUBLIC: set(CALLERS),
    Access.ANY: {
        "admin",
        "agent",
        "viewer",
        "integration key",
        "technician",
        "technician of another department",
    },
    Access.AGENT: {"admin", "agent"},
    Access.ORDER_WRITER: {"admin", "agent", "integration key"},
    Access.STAGE_WRITER: {"admin", "integration key", "technician"},
    Access.ADMIN: {"admin"},
    Access.TECHNICIAN: {"admin", "technician"},
    Access.SIGNED: {"signed"},
    Access.DESK: set(CALLERS),
    Access.BENCH: set(CALLERS),
}


def expected_status(access: Access, caller: str, success: int) -> int:
    if caller in ALLOWED[access]:
        return success
    # Without a valid key (or, for inbound, without a valid signature) nobody is known: 401.
    if caller in ("anonymous", "unknown key", "signed") or access is Access.SIGNED:
        return 401
    return 403


@dataclass
class World:
    """One database with an order, two integrations and a key per role; every call made fresh."""

    client: TestClient
    keys: Keys
    clock: ManualClock
    carrier_secret: str
    viewer_id: str
    counter: Iterator[int] = field(default_factory=itertools.count)

    @property
    def ctx(self) -> AppContext:
        ctx: AppContext = self.client.app.state.ctx  # type: ignore[attr-defined]
        return ctx

    def n(self) -> int:
        return next(self.counter)

    def headers(self, caller: str, body: bytes) -> dict[str, str]:
        keys = {
            "unknown key": "ndk_" + "x" * 43,
            "admin": self.keys.admin,
            "agent": self.keys.agent,
            "viewer": self.keys.viewer,
            "integration key": self.keys.integration,
            "technician": self.keys.shipping,
            "technician of another department": self.keys.assembly,
        }
        if caller == "anonymous":
            return {}
        if caller == "signed":
            return signed_headers(self.carrier_secret, body, self.clock.now())
        return bearer(keys[caller])

    def version(self, reference: str) -> int:
        response = self.client.get(f"/v1/orders/{reference}", headers=bearer(self.keys.admin))
        version: int = response.json()["version"]
        return version


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    #: A response that never ends (SSE): only its status is read.
    streaming: bool = False


Builder = Callable[[World], Call]


def _flow(w: World) -> Call:
    stage = {"key": "only", "name": "Only", "department": "assembly", "planned_minutes": 60}
    return Call("POST", "/v1/flows", {"key": f"flow-{w.n()}", "name": "A flow", "stages": [stage]})


def _calendar(w: World) -> Call:
    week = {"mon": [{"start": "08:00", "end": "17:00"}]}
    return Call("POST", "/v1/calendars", {"key": f"cal-{w.n()}", "name": "A calendar", "week": week})


def _order(w: World) -> Call:
    body = {
        "reference": f"M-{w.n()}",
        "flow": "standard",
        "customer": {"name": "Toko Maju"},
        "promised_at": (w.clock.now() + timedelta(days=3)).isoformat(),
        "quoted_cost": {"amount": "100.00", "currency": "IDR"},
    }
    return Call("POST", "/v1/orders", body)


def _import(w: World) -> Call:
    header = "reference,customer_name,promised_at,quoted_amount,currency\n"
    csv = f"{header}CSV-{w.n()},Toko,2026-12-20 12:00,1,IDR\n"
    return Call("POST", "/v1/orders/import", csv.encode(), {"content-type": "text/csv"})


def _patch_order(w: World) -> Call:
    promise = w.clock.now() + timedelta(days=4, hours=w.n())
    return Call(
        "PATCH",
        "/v1/orders/SO-1",
        {"promised_at": promise.isoformat()},
        {"If-Match": f'"{w.version("SO-1")}"'},
    )


def _revoke_key(w: World) -> Call:
    spare, _ = new_key(w.ctx, Role.VIEWER)
    return Call("DELETE", f"/v1/keys/{spare}")


def _delete_integration(w: World) -> Call:
    name = f"gone-{w.n()}"
    body = IntegrationCreate(name=name, departments=["shipping"])
    run_use_case(w.ctx.db, lambda s: create_integration(s, body, w.clock.now()))
    return Call("DELETE", f"/v1/integrations/{name}")


def _inbound(w: World) -> Call:
    return Call(
        "POST", "/v1/inbound/carrier", {"order": "SO-1", "stage": "shipping", "internal_note": f"n{w.n()}"}
    )


def _endpoint(w: World) -> str:
    """A fresh webhook endpoint (on a closed local port: nothing listens, nothing is delivered)."""
    response = w.client.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=bearer(w.keys.admin)
    )
    assert response.status_code == 201, response.text
    endpoint_id: str = response.json()["id"]
    return endpoint_id


def _get(url: str) -> Builder:
    return lambda w: Call("GET", url)


def _post(url: str) -> Builder:
    return lambda w: Call("POST", url, {})


def _acknowledge(w: World) -> Call:
    return Call(
        "POST", "/v1/orders/SO-1/acknowledgements", {"order_version": w.version("SO-1"), "channel": "phone"}
    )


def _request(w: World) -> Call:
    return Call("POST", "/v1/orders/SO-1/requests", {"kind": "question", "text": f"faster {w.n()}?"})


def _answer(w: World) -> Call:
    """A fresh question to shipping, answered by whoever calls."""
    response = w.client.post(
        "/v1/orders/SO-1/requests",
        json={"kind": "question", "text": f"faster {w.n()}?", "stage": "shipping"},
        headers=bearer(w.keys.agent),
    )
    assert response.status_code == 201, response.text
    return Call("POST", f"/v1/orders/SO-1/requests/{response.json()['id']}/answer", {"text": "Yes"})


def _inquiry(w: World) -> Call:
    return Call(
        "POST", "/v1/orders/SO-1/inquiries", {"channel": "chat", "category": "inquiry", "text": f"q{w.n()}"}
    )


#: (method, path) -> who may call it, the status they get, and a request that succeeds for them.
ROUTES: dict[tuple[str, str], tuple[Access, int, Builder]] = {
    ("GET", "/healthz"): (Access.PUBLIC, 200, _get("/healthz")),
    ("GET", "/readyz"): (Access.PUBLIC, 200, _get("/readyz")),
    ("GET", "/metrics"): (Access.PUBLIC, 200, _get("/metrics")),
    # The API's own description is public: it holds no data.
    ("GET", "/openapi.json"): (Access.PUBLIC, 200, _get("/openapi.json")),
    ("GET", "/docs"): (Access.PUBLIC, 200, _get("/docs")),
    ("GET", "/docs/oauth2-redirect"): (Access.PUBLIC, 200, _get("/docs/oauth2-redirect")),
    ("GET", "/redoc"): (Access.PUBLIC, 200, _get("/redoc")),
    ("POST", "/v1/flows"): (Access.ADMIN, 201, _flow),
    ("GET", "/v1/flows"): (Access.ANY, 200, _get("/v1/flows")),
    ("GET", "/v1/flows/{key}"): (Access.ANY, 200, _get("/v1/flows/standard")),
    ("POST", "/v1/calendars"): (Access.ADMIN, 201, _calendar),
    ("GET", "/v1/calendars"): (Access.ANY, 200, _get("/v1/calendars")),
    ("GET", "/v1/calendars/{key}"): (Access.ANY, 200, _get("/v1/calendars/default")),
    ("PATCH", "/v1/calendars/{key}"): (
        Access.ADMIN,
        200,
        lambda w: Call("PATCH", "/v1/calendars/default", {"closed_dates": ["2026-12-31"]}),
    ),
    ("GET", "/v1/calendars/{key}/working-time"): (
        Access.ANY,
        200,
        _get("/v1/calendars/default/working-time?from=2026-12-02T10%3A00%3A00%2B07%3A00&minutes=60"),
    ),
    ("POST", "/v1/orders"): (Access.ORDER_WRITER, 201, _order),
    ("GET", "/v1/orders"): (Access.ANY, 200, _get("/v1/orders")),
    ("GET", "/v1/orders/{reference}"): (Access.ANY, 200, _get("/v1/orders/SO-1")),
    ("POST", "/v1/orders/import"): (Access.AGENT, 201, _import),
    ("GET", "/v1/orders/export"): (Access.AGENT, 200, _get("/v1/orders/export")),
    ("PATCH", "/v1/orders/{reference}"): (Access.AGENT, 200, _patch_order),
    ("GET", "/v1/orders/{reference}/timeline"): (Access.ANY, 200, _get("/v1/orders/SO-1/timeline")),
    ("GET", "/v1/orders/{reference}/estimates"): (Access.ANY, 200, _get("/v1/orders/SO-1/estimates")),
    ("POST", "/v1/orders/{reference}/stages/{stage}/updates"): (
        Access.STAGE_WRITER,
        200,
        lambda w: Call("POST", "/v1/orders/SO-1/stages/shipping/updates", {"internal_note": f"n{w.n()}"}),
    ),
    ("GET", "/v1/events"): (Access.ANY, 200, _get("/v1/events")),
    ("GET", "/v1/stream"): (Access.ANY, 200, lambda w: Call("GET", "/v1/stream", streaming=True)),
    ("POST", "/v1/keys"): (
        Access.ADMIN,
        201,
        lambda w: Call("POST", "/v1/keys", {"name": f"k{w.n()}", "role": "viewer"}),
    ),
    ("GET", "/v1/keys"): (Access.ADMIN, 200, _get("/v1/keys")),
    ("GET", "/v1/keys/{key_id}"): (Access.ADMIN, 200, lambda w: Call("GET", f"/v1/keys/{w.viewer_id}")),
    ("DELETE", "/v1/keys/{key_id}"): (Access.ADMIN, 200, _revoke_key),
    ("POST", "/v1/integrations"): (
        Access.ADMIN,
        201,
        lambda w: Call("POST", "/v1/integrations", {"name": f"int-{w.n()}", "stages": ["shipping"]}),
    ),
    ("GET", "/v1/integrations"): (Access.ADMIN, 200, _get("/v1/integrations")),
    ("GET", "/v1/integrations/{name}"): (Access.ADMIN, 200, _get("/v1/integrations/carrier")),
    ("PATCH", "/v1/integrations/{name}"): (
        Access.ADMIN,
        200,
        lambda w: Call("PATCH", "/v1/integrations/carrier", {"description": f"carrier {w.n()}"}),
    ),
    ("DELETE", "/v1/integrations/{name}"): (Access.ADMIN, 204, _delete_integration),
    ("POST", "/v1/integrations/{name}/rotate-secret"): (
        Access.ADMIN,
        200,
        lambda w: Call("POST", "/v1/integrations/rotating/rotate-secret", {"overlap_minutes": 0}),
    ),
    ("POST", "/v1/inbound/{integration}"): (Access.SIGNED, 200, _inbound),
    ("POST", "/v1/webhooks"): (
        Access.ADMIN,
        201,
        lambda w: Call("POST", "/v1/webhooks", {"url": f"http://127.0.0.1:9/hook-{w.n()}"}),
    ),
    ("GET", "/v1/webhooks"): (Access.ADMIN, 200, _get("/v1/webhooks")),
    ("GET", "/v1/webhooks/{endpoint_id}"): (
        Access.ADMIN,
        200,
        lambda w: Call("GET", f"/v1/webhooks/{_endpoint(w)}"),
    ),
    ("PATCH", "/v1/webhooks/{endpoint_id}"): (
        Access.ADMIN,
        200,
        lambda w: Call("PATCH", f"/v1/webhooks/{_endpoint(w)}", {"description": "the ERP"}),
    ),
    ("DELETE", "/v1/webhooks/{endpoint_id}"): (
        Access.ADMIN,
        204,
        lambda w: Call("DELETE", f"/v1/webhooks/{_endpoint(w)}"),
    ),
    ("POST", "/v1/webhooks/{endpoint_id}/rotate-secret"): (
        Access.ADMIN,
        200,
        lambda w: Call("POST", f"/v1/webhooks/{_endpoint(w)}/rotate-secret", {"overlap_hours": 1}),
    ),
    ("POST", "/v1/webhooks/{endpoint_id}/ping"): (
        Access.ADMIN,
        202,
        lambda w: Call("POST", f"/v1/webhooks/{_endpoint(w)}/ping"),
    ),
    ("GET", "/v1/webhooks/{endpoint_id}/deliveries"): (
        Access.ADMIN,
        200,
        lambda w: Call("GET", f"/v1/webhooks/{_endpoint(w)}/deliveries"),
    ),
    ("POST", "/v1/webhooks/{endpoint_id}/replay"): (
        Access.ADMIN,
        202,
        lambda w: Call("POST", f"/v1/webhooks/{_endpoint(w)}/replay", {"after_event_id": 0}),
    ),
    ("POST", "/v1/orders/{reference}/acknowledgements"): (Access.AGENT, 201, _acknowledge),
    ("POST", "/v1/orders/{reference}/inquiries"): (Access.AGENT, 201, _inquiry),
    ("POST", "/v1/orders/{reference}/requests"): (Access.AGENT, 201, _request),
    ("POST", "/v1/orders/{reference}/requests/{request_id}/answer"): (Access.TECHNICIAN, 200, _answer),
    # Technicians and integrations see only their departments' requests (tests/api/test_requests_api.py).
    ("GET", "/v1/requests"): (Access.ANY, 200, _get("/v1/requests")),
    ("GET", "/v1/queues"): (Access.ANY, 200, _get("/v1/queues")),
    ("GET", "/v1/reports/stages"): (Access.AGENT, 200, _get("/v1/reports/stages")),
    ("GET", "/v1/reports/inquiries"): (Access.AGENT, 200, _get("/v1/reports/inquiries")),
    ("GET", "/desk/sign-in"): (Access.PUBLIC, 200, _get("/desk/sign-in")),
    ("POST", "/desk/sign-in"): (Access.DESK, 403, _post("/desk/sign-in")),
    ("POST", "/desk/sign-out"): (Access.DESK, 403, _post("/desk/sign-out")),
    ("POST", "/desk/language"): (Access.DESK, 403, _post("/desk/language")),
    ("GET", "/desk"): (Access.DESK, 303, _get("/desk")),
    ("GET", "/desk/live/queues"): (Access.DESK, 401, _get("/desk/live/queues")),
    ("GET", "/desk/orders/{reference}"): (Access.DESK, 303, _get("/desk/orders/SO-1")),
    ("GET", "/desk/orders/{reference}/live"): (Access.DESK, 401, _get("/desk/orders/SO-1/live")),
    ("POST", "/desk/orders/{reference}/acknowledgements"): (
        Access.DESK,
        303,
        _post("/desk/orders/SO-1/acknowledgements"),
    ),
    ("POST", "/desk/orders/{reference}/inquiries"): (Access.DESK, 303, _post("/desk/orders/SO-1/inquiries")),
    ("POST", "/desk/orders/{reference}/requests"): (Access.DESK, 303, _post("/desk/orders/SO-1/requests")),
    ("GET", "/desk/reports"): (Access.DESK, 303, _get("/desk/reports")),
    ("GET", "/favicon.ico"): (Access.PUBLIC, 200, _get("/favicon.ico")),
    ("GET", "/workbench/sign-in"): (Access.PUBLIC, 200, _get("/workbench/sign-in")),
    ("POST", "/workbench/sign-in"): (Access.BENCH, 403, _post("/workbench/sign-in")),
    ("POST", "/workbench/sign-out"): (Access.BENCH, 403, _post("/workbench/sign-out")),
    ("POST", "/workbench/language"): (Access.BENCH, 403, _post("/workbench/language")),
    ("GET", "/workbench"): (Access.BENCH, 303, _get("/workbench")),
    ("GET", "/workbench/live"): (Access.BENCH, 401, _get("/workbench/live")),
    # A form sent without a workbench session (a queued action after sign-out): 401, kept by the page.
    ("POST", "/workbench/orders/{reference}/stages/{stage}"): (
        Access.BENCH,
        401,
        _post("/workbench/orders/SO-1/stages/shipping"),
    ),
    ("POST", "/workbench/orders/{reference}/requests/{request_id}/answer"): (
        Access.BENCH,
        401,
        _post("/workbench/orders/SO-1/requests/1/answer"),
    ),
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    # iter_route_contexts also walks included routers, which app.routes holds unexpanded.
    found = set()
    for route in iter_route_contexts(app.routes):
        if route.path is None or not route.methods:
            continue
        for method in route.methods - {"HEAD"}:
            found.add((method, route.path))
    return found


def test_every_route_declares_who_may_call_it(client: TestClient) -> None:
    routes = app_routes(client.app)  # type: ignore[arg-type]
    undeclared = sorted(routes - set(ROUTES))
    assert not undeclared, f"add these routes to ROUTES with who may call them: {undeclared}"
    stale = sorted(set(ROUTES) - routes)
    assert not stale, f"ROUTES names routes the app no longer has: {stale}"


@pytest.fixture
def world(client: TestClient, keys: Keys, clock: ManualClock, api: Api) -> World:
    api.create_order("SO-1")
    carrier = register(client, keys.admin, "carrier")
    register(client, keys.admin, "rotating")
    ctx: AppContext = client.app.state.ctx  # type: ignore[attr-defined]
    return World(client, keys, clock, carrier["secret"], key_id(ctx, keys.viewer))


def test_every_route_answers_each_caller_as_declared(world: World) -> None:
    wrong = []
    for route in sorted(ROUTES):
        access, success, build = ROUTES[route]
        for caller in CALLERS:
            call = build(world)
            if isinstance(call.body, bytes):
                body = call.body
            else:
                body = b"" if call.body is None else json.dumps(call.body).encode()
            headers = {**call.headers, **world.headers(caller, body)}
            if call.body is not None:
                headers.setdefault("content-type", "application/json")
            if call.streaming:
                with world.client.stream(call.method, call.url, headers=headers) as streamed:
                    status, text = streamed.status_code, ""
            else:
                response = world.client.request(
                    call.method, call.url, content=body or None, headers=headers, follow_redirects=False
                )
                status, text = response.status_code, response.text
            expected = expected_status(access, caller, success)
            if status != expected:
                wrong.append(
                    f"{route[0]} {route[1]} ({access.value}) as {caller}: "
                    f"got {status}, expected {expected}: {text[:200]}"
                )
    assert not wrong, "\n".join(wrong)


def test_forbidden_names_what_was_needed(world: World) -> None:
    response = world.client.post("/v1/flows", json={}, headers=bearer(world.keys.viewer))
    assert response.status_code == 403
    assert "admin" in response.json()["detail"]
    assert response.json()["required_roles"] == ["admin"]

    response = world.client.post(
        "/v1/orders/SO-1/stages/shipping/updates",
        json={"status": "skipped"},
        headers=bearer(world.keys.assembly),
    )
    assert response.status_code == 403
    problem = response.json()
    assert problem["required_department"] == "shipping"
    assert "shipping" in problem["detail"]
    assert "assembly" in problem["detail"]
