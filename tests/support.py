"""Typed helpers for tests: keys per role, and an API client that speaks in orders and stages."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.context import AppContext
from app.models.access import ApiKeyCreate, Role
from app.services.keys import create_key
from app.writer import run_use_case


@dataclass(frozen=True)
class Keys:
    admin: str
    agent: str
    viewer: str
    integration: str
    assembly: str
    finance: str
    shipping: str
    #: A technician of every department, for tests that move whole orders.
    technician: str


def _key_body(role: Role, *departments: str, name: str | None = None) -> ApiKeyCreate:
    return ApiKeyCreate(
        name=name or f"test {role.value} {' '.join(departments)}".strip(),
        role=role,
        departments=list(departments),
    )


def make_key(ctx: AppContext, role: Role, *departments: str, name: str | None = None) -> str:
    body = _key_body(role, *departments, name=name)
    created, _ = run_use_case(ctx.db, lambda session: create_key(session, body, ctx.clock.now()))
    return created.secret


def make_keys(ctx: AppContext) -> Keys:
    """A key of each kind, made in one transaction (one commit rather than eight per test)."""
    bodies = {
        "admin": _key_body(Role.ADMIN),
        "agent": _key_body(Role.AGENT),
        "viewer": _key_body(Role.VIEWER),
        "integration": _key_body(Role.INTEGRATION, "shipping"),
        "assembly": _key_body(Role.TECHNICIAN, "assembly", name="Budi, assembly line 2"),
        "finance": _key_body(Role.TECHNICIAN, "finance"),
        "shipping": _key_body(Role.TECHNICIAN, "shipping"),
        "technician": _key_body(
            Role.TECHNICIAN, "assembly", "finance", "shipping", "workshop", "purchasing", "packing"
        ),
    }
    now = ctx.clock.now()
    made, _ = run_use_case(
        ctx.db, lambda session: {role: create_key(session, body, now).secret for role, body in bodies.items()}
    )
    return Keys(**made)


@dataclass(frozen=True)
class Service:
    """What the use cases need, without the app (the ``service`` fixture): ``ctx`` as the app holds
    it, and ``portal`` to run a coroutine on the event loop the writer runs on."""

    ctx: AppContext
    portal: BlockingPortal
    clock: ManualClock


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def iso(moment: datetime) -> str:
    return moment.isoformat()


class Api:
    def __init__(self, client: TestClient, keys: Keys, clock: ManualClock) -> None:
        self.client = client
        self.keys = keys
        self.clock = clock

    def get(self, path: str, key: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, headers=bearer(key or self.keys.agent), **kwargs)

    def post(
        self, path: str, body: Any, key: str | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return self.client.post(
            path, json=body, headers={**bearer(key or self.keys.agent), **(headers or {})}
        )

    def create_order(
        self,
        reference: str = "SO-1042",
        *,
        flow: str = "standard",
        promise_in: timedelta = timedelta(days=3),
        quoted: str = "1250000.00",
        currency: str = "IDR",
        customer: str = "Toko Maju",
        expect: int = 201,
    ) -> dict[str, Any]:
        response = self.post(
            "/v1/orders",
            {
                "reference": reference,
                "flow": flow,
                "customer": {"name": customer, "contact": "+62 21 555 0100"},
                "promised_at": iso(self.clock.now() + promise_in),
                "quoted_cost": {"amount": quoted, "currency": currency},
            },
        )
        assert response.status_code == expect, response.text
        body: dict[str, Any] = response.json()
        return body

    def update(
        self,
        reference: str,
        stage: str,
        key: str | None = None,
        expect: int = 200,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        body = {k: (iso(v) if isinstance(v, datetime) else v) for k, v in fields.items()}
        response = self.post(
            f"/v1/orders/{reference}/stages/{stage}/updates",
            body,
            key=key or self.keys.technician,
            headers=headers,
        )
        assert response.status_code == expect, response.text
        result: dict[str, Any] = response.json()
        return result

    def order(self, reference: str) -> dict[str, Any]:
        response = self.get(f"/v1/orders/{reference}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def events(self, **params: Any) -> list[dict[str, Any]]:
        response = self.get("/v1/events", params={"limit": 1000, **params})
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def event_types(self, reference: str) -> list[str]:
        return [e["type"] for e in self.events(order=reference)]

    def define_flow(self, body: dict[str, Any], expect: int = 201) -> httpx.Response:
        response = self.post("/v1/flows", body, key=self.keys.admin)
        assert response.status_code == expect, response.text
        return response


def wait_until(condition: Callable[[], bool], *, what: str, timeout: float = 10.0) -> None:
    """Poll until ``condition`` holds; fail naming ``what`` was awaited after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)
