"""Helpers for access tests: signed inbound requests, integrations, and keys by id."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlmodel import select

from app.context import AppContext
from app.domain.webhook_signing import sign
from app.models.access import ApiKey, ApiKeyCreate, Role
from app.services.keys import create_key, hash_secret
from app.writer import run_use_case
from tests.support import bearer


def signed_headers(
    secret: str, body: bytes, at: datetime, *, msg_id: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    """Standard Webhooks headers for ``body``, as the other system would send them."""
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    stamp = int(at.timestamp()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret, msg_id, stamp, body),
        "content-type": "application/json",
    }


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def post_signed(
    client: TestClient,
    integration: str,
    payload: Any,
    secret: str,
    at: datetime,
    *,
    msg_id: str | None = None,
    timestamp: int | None = None,
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else encode(payload)
    headers = signed_headers(secret, body, at, msg_id=msg_id, timestamp=timestamp)
    return client.post(f"/v1/inbound/{integration}", content=body, headers=headers)


def register(client: TestClient, admin: str, name: str, **fields: Any) -> dict[str, Any]:
    body = {"name": name, "departments": ["shipping"], **fields}
    response = client.post("/v1/integrations", json=body, headers=bearer(admin))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def new_key(ctx: AppContext, role: Role, *departments: str, name: str = "spare") -> tuple[str, str]:
    """A fresh key: (id, secret)."""
    body = ApiKeyCreate(name=name, role=role, departments=list(departments))
    created, _ = run_use_case(ctx.db, lambda session: create_key(session, body, ctx.clock.now()))
    return created.id, created.secret


def key_id(ctx: AppContext, secret: str) -> str:
    with ctx.db.read_session() as session:
        return session.exec(select(ApiKey.id).where(ApiKey.secret_hash == hash_secret(secret))).one()
