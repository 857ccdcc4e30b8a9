"""API keys: made by admins or the command line, shown once, stored as a hash, revoked or expired at once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import select
from typer.testing import CliRunner

from app.bootstrap import ensure_bootstrap_admin
from app.cli import cli
from app.clock import ManualClock
from app.config import Settings, get_settings
from app.db import Database
from app.models.access import ApiKey
from app.services.keys import hash_secret
from tests.support import Api, Keys, bearer


def _create(client: TestClient, admin: str, **body: object) -> dict[str, object]:
    response = client.post("/v1/keys", json=body, headers=bearer(admin))
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


class TestKeyLifecycle:
    def test_create_shows_the_secret_once_and_keeps_only_a_hash(self, client: TestClient, keys: Keys) -> None:
        created = _create(
            client, keys.admin, name="Budi, assembly line 2", role="technician", departments=["assembly"]
        )
        secret = str(created["secret"])
        assert secret.startswith("ndk_")
        assert len(secret) >= 40

        listed = client.get("/v1/keys", headers=bearer(keys.admin)).json()
        assert created["id"] in [k["id"] for k in listed]
        assert all("secret" not in k for k in listed)
        assert secret not in json.dumps(listed)
        one = client.get(f"/v1/keys/{created['id']}", headers=bearer(keys.admin)).json()
        assert one["departments"] == ["assembly"]
        assert "secret" not in one

        db: Database = client.app.state.ctx.db  # type: ignore[attr-defined]
        with db.read_session() as session:
            row = session.exec(select(ApiKey).where(ApiKey.id == created["id"])).one()
        assert row.secret_hash == hash_secret(secret)
        assert secret not in row.model_dump_json()

    def test_a_key_works_until_revoked(self, client: TestClient, keys: Keys) -> None:
        created = _create(client, keys.admin, name="front desk", role="agent")
        secret = str(created["secret"])
        assert client.get("/v1/orders", headers=bearer(secret)).status_code == 200

        revoked = client.delete(f"/v1/keys/{created['id']}", headers=bearer(keys.admin))
        assert revoked.status_code == 200
        assert revoked.json()["revoked_at"] is not None

        refused = client.get("/v1/orders", headers=bearer(secret))
        assert refused.status_code == 401
        assert "revoked" in refused.json()["detail"]
        assert refused.headers["WWW-Authenticate"] == "Bearer"

    def test_a_key_stops_working_when_it_expires(
        self, client: TestClient, keys: Keys, clock: ManualClock
    ) -> None:
        expires = clock.now() + timedelta(hours=1)
        created = _create(
            client, keys.admin, name="contractor", role="viewer", expires_at=expires.isoformat()
        )
        secret = str(created["secret"])
        assert client.get("/v1/orders", headers=bearer(secret)).status_code == 200
        clock.advance(timedelta(hours=1, seconds=1))
        refused = client.get("/v1/orders", headers=bearer(secret))
        assert refused.status_code == 401
        assert "expired" in refused.json()["detail"]

    def test_bad_key_requests_say_what_is_wrong(self, client: TestClient, keys: Keys) -> None:
        bad: list[tuple[dict[str, object], str]] = [
            ({"name": "t", "role": "technician"}, "at least one department"),
            ({"name": "a", "role": "agent", "departments": ["assembly"]}, "only technician and integration"),
            ({"name": "x", "role": "superuser"}, "role"),
            ({"name": "", "role": "viewer"}, "name"),
            ({"name": "t", "role": "technician", "departments": ["Assembly Line"]}, "not a valid key"),
            ({"name": "old", "role": "viewer", "expires_at": "2020-01-01T00:00:00Z"}, "has passed"),
            ({"name": "naive", "role": "viewer", "expires_at": "2030-01-01T00:00:00"}, "time zone"),
        ]
        before = client.get("/v1/keys", headers=bearer(keys.admin)).json()
        for body, complaint in bad:
            response = client.post("/v1/keys", json=body, headers=bearer(keys.admin))
            assert response.status_code == 422, body
            assert complaint in response.text
        assert client.get("/v1/keys", headers=bearer(keys.admin)).json() == before

    def test_unknown_key_ids_are_404(self, client: TestClient, keys: Keys) -> None:
        assert client.get("/v1/keys/key_nope", headers=bearer(keys.admin)).status_code == 404
        assert client.delete("/v1/keys/key_nope", headers=bearer(keys.admin)).status_code == 404

    def test_the_last_working_admin_key_cannot_be_revoked(self, client: TestClient, keys: Keys) -> None:
        listed = client.get("/v1/keys", headers=bearer(keys.admin)).json()
        (admin,) = [k for k in listed if k["role"] == "admin"]
        refused = client.delete(f"/v1/keys/{admin['id']}", headers=bearer(keys.admin))
        assert refused.status_code == 409
        assert "last working admin key" in refused.json()["detail"]

        second = _create(client, keys.admin, name="second admin", role="admin")
        assert (
            client.delete(f"/v1/keys/{admin['id']}", headers=bearer(str(second["secret"]))).status_code == 200
        )
        assert client.get("/v1/keys", headers=bearer(keys.admin)).status_code == 401

    def test_missing_or_malformed_keys_are_401(self, client: TestClient) -> None:
        for header in (
            None,
            "Bearer",
            "Bearer ",
            "Basic dXNlcjpwYXNz",
            "Bearer ndk_not-a-key",
            "ndk_no_scheme",
        ):
            headers = {} if header is None else {"Authorization": header}
            response = client.get("/v1/orders", headers=headers)
            assert response.status_code == 401, header
            assert response.headers["content-type"] == "application/problem+json"


def test_the_timeline_says_who_moved_what(api: Api, keys: Keys) -> None:
    api.create_order("SO-7")
    api.update("SO-7", "assembly", key=keys.assembly, status="in_progress")
    timeline = api.get("/v1/orders/SO-7/timeline").json()
    text = json.dumps(timeline)
    created = next(e for e in timeline["items"] if e["type"] == "order.created")
    started = next(e for e in timeline["items"] if e["type"] == "stage.started")

    assert created["data"]["actor_role"] == "agent"
    assert started["data"]["actor_name"] == "Budi, assembly line 2"
    assert started["data"]["actor_role"] == "technician"
    assert started["data"]["actor"].startswith("key:key_")
    listed = api.get("/v1/keys", key=keys.admin).json()
    budi = next(k for k in listed if k["name"] == "Budi, assembly line 2")
    assert started["data"]["actor"] == f"key:{budi['id']}"
    for secret in (keys.assembly, keys.agent):
        assert secret not in text


def test_a_technician_of_assembly_cannot_move_shipping(api: Api, keys: Keys) -> None:
    api.create_order("SO-8")
    api.update("SO-8", "shipping", key=keys.assembly, expect=403, status="skipped")
    assert api.order("SO-8")["stages"][2]["status"] == "pending"
    api.update("SO-8", "shipping", key=keys.shipping, status="skipped")


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NEXTDESK_DATABASE_URL", database_url)
    monkeypatch.delenv("NEXTDESK_BOOTSTRAP_ADMIN_KEY", raising=False)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def test_keys_from_the_command_line(cli_env: str, settings: Settings, clock: ManualClock) -> None:
    runner = CliRunner()
    made = runner.invoke(
        cli,
        [
            "keys",
            "create",
            "--role",
            "technician",
            "--department",
            "assembly",
            "--name",
            "Budi, assembly line 2",
        ],
    )
    assert made.exit_code == 0, made.output
    created = json.loads(made.output[: made.output.rindex("}") + 1])
    assert created["secret"].startswith("ndk_")
    assert created["departments"] == ["assembly"]

    listed = runner.invoke(cli, ["keys", "list"])
    assert listed.exit_code == 0
    assert created["id"] in listed.output
    assert "Budi, assembly line 2" in listed.output
    assert created["secret"] not in listed.output

    from app.main import create_app

    # Without the key cache, a revocation from the command line counts at the next request.
    uncached = settings.model_copy(update={"key_cache_seconds": 0})
    with TestClient(create_app(uncached, clock=clock)) as client:
        assert client.get("/v1/orders", headers=bearer(created["secret"])).status_code == 200
        revoked = runner.invoke(cli, ["keys", "revoke", created["id"]])
        assert revoked.exit_code == 0, revoked.output
        assert client.get("/v1/orders", headers=bearer(created["secret"])).status_code == 401

    assert "revoked" in runner.invoke(cli, ["keys", "list"]).output


def test_a_key_revoked_elsewhere_stops_working_once_its_cached_read_is_old(
    cli_env: str, settings: Settings, clock: ManualClock
) -> None:
    """Another replica or the command line cannot empty this process's cache: its window bounds them."""
    from app.main import create_app

    runner = CliRunner()
    made = runner.invoke(cli, ["keys", "create", "--role", "viewer", "--name", "wallboard"])
    assert made.exit_code == 0, made.output
    created = json.loads(made.output[: made.output.rindex("}") + 1])
    window = 0.3
    cached = settings.model_copy(update={"key_cache_seconds": window})
    with TestClient(create_app(cached, clock=clock)) as client:
        assert client.get("/v1/orders", headers=bearer(created["secret"])).status_code == 200
        assert runner.invoke(cli, ["keys", "revoke", created["id"]]).exit_code == 0
        time.sleep(window)
        refused = client.get("/v1/orders", headers=bearer(created["secret"]))
        assert refused.status_code == 401
        assert "revoked" in refused.json()["detail"]


def test_the_command_line_refuses_bad_keys_plainly(cli_env: str) -> None:
    runner = CliRunner()
    no_department = runner.invoke(cli, ["keys", "create", "--role", "technician", "--name", "Budi"])
    assert no_department.exit_code == 2
    assert "at least one department" in no_department.output
    unknown = runner.invoke(cli, ["keys", "revoke", "key_nope"])
    assert unknown.exit_code == 2
    assert "no key 'key_nope'" in unknown.output
    assert runner.invoke(cli, ["keys", "list"]).output.strip() == ""


# --- first start ------------------------------------------------------------------------------


def test_first_start_without_keys_says_how_to_make_one(settings: Settings, clock: ManualClock) -> None:
    db = Database(settings)
    try:
        advice = ensure_bootstrap_admin(db, clock)
    finally:
        db.dispose()
    assert advice is not None
    assert "nextdesk keys create --role admin" in advice
    assert "NEXTDESK_BOOTSTRAP_ADMIN_KEY" in advice


def test_no_advice_once_a_key_exists(
    client: TestClient, keys: Keys, settings: Settings, clock: ManualClock
) -> None:
    db = Database(settings)
    try:
        assert ensure_bootstrap_admin(db, clock) is None
    finally:
        db.dispose()


def test_the_bootstrap_admin_key_is_accepted(settings: Settings, clock: ManualClock) -> None:
    secret = "ndk_" + "b" * 40
    seeded = settings.model_copy(update={"bootstrap_admin_key": SecretStr(secret)})
    db = Database(seeded)
    try:
        assert ensure_bootstrap_admin(db, clock) is None
        assert ensure_bootstrap_admin(db, clock) is None  # a restart adds no second key
        with db.read_session() as session:
            assert len(session.exec(select(ApiKey)).all()) == 1
    finally:
        db.dispose()

    from app.main import create_app

    with TestClient(create_app(seeded, clock=clock)) as client:
        response = client.post(
            "/v1/keys", json={"name": "first agent", "role": "agent"}, headers=bearer(secret)
        )
        assert response.status_code == 201


def test_a_short_bootstrap_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 characters"):
        Settings(bootstrap_admin_key="admin", _env_file=None)  # type: ignore[call-arg]
