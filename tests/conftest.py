from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.main import create_app
from tests.databases import PostgresTemplate, SqliteTemplate, postgres_admin_url
from tests.live import LiveServer, serve
from tests.support import Api, Keys, make_keys

START = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)

pytest_plugins = ["tests.webhook_support"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(Path(tmp_path_factory.mktemp("sqlite")))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate | None]:
    url = postgres_admin_url()
    if url is None:
        yield None
        return
    template = PostgresTemplate(url)
    try:
        yield template
    finally:
        template.drop_all()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest,
    sqlite_template: SqliteTemplate,
    postgres_template: PostgresTemplate | None,
) -> Iterator[str]:
    """A freshly migrated database of each kind, for this test alone."""
    if request.param == "sqlite":
        yield sqlite_template.fresh_url()
        return
    if postgres_template is None:
        pytest.skip(
            "PostgreSQL tests need NEXTDESK_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1/test)"
        )
    url = postgres_template.fresh_url()
    try:
        yield url
    finally:
        postgres_template.release(url)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        allow_private_webhook_targets=True,
        display_timezone="Asia/Jakarta",
        log_json=False,
        gc_tuning=False,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def client(settings: Settings, clock: ManualClock) -> Iterator[TestClient]:
    app = create_app(settings, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def keys(client: TestClient) -> Keys:
    return make_keys(client.app.state.ctx)  # type: ignore[attr-defined]


@pytest.fixture
def api(client: TestClient, keys: Keys, clock: ManualClock) -> Api:
    return Api(client, keys, clock)


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    """The app behind a real uvicorn on 127.0.0.1, on the system clock."""
    with serve(create_app(settings)) as server:
        yield server


@pytest.fixture
def live_keys(live: LiveServer) -> Keys:
    return make_keys(live.app.state.ctx)
