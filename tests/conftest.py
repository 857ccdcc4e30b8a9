from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.context import AppContext
from app.db import Database
from app.main import create_app
from app.settings_view import ViewSettings
from app.writer import Writer
from tests.databases import PostgresTemplate, SqliteTemplate, postgres_admin_url
from tests.live import LiveServer, serve
from tests.support import Api, Keys, Service, make_keys

START = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)

pytest_plugins = ["tests.webhook_support"]

#: The files whose tests take longest (servers in processes of their own, Chromium, schemathesis,
#: long scenarios), longest first. They run before the rest, so that pytest-xdist shares them out
#: between its workers while the many short tests fill in around them, instead of one worker
#: finishing a long one alone at the end.
LONGEST_FIRST = (
    "tests/api/test_openapi_conformance.py",
    "tests/test_docs_examples.py",
    "tests/api/test_route_access.py",
    "tests/api/test_order_csv_api.py",
    "tests/test_serve_banner.py",
    "tests/test_crash.py",
    "tests/api/test_stream_delivery.py",
    "tests/test_startup_errors.py",
    "tests/api/test_webhook_recovery.py",
    "tests/test_metrics_workers.py",
    "tests/test_workbench_browser.py",
    "tests/test_replicas.py",
    "tests/test_simulate.py",
    "tests/test_desk_browser.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: n for n, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))


@pytest.fixture(autouse=True, scope="session")
def one_tls_context_per_run() -> Iterator[None]:
    """Every app a test starts makes a webhook client, whose TLS context loads the system's CA
    bundle: a tenth of a second each time, most of an app's start. The same context, made once,
    verifies the same way; any other call to ``httpx.create_ssl_context`` is passed through."""
    made = httpx.create_ssl_context
    shared: list[ssl.SSLContext] = []

    def create_ssl_context(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        if args or kwargs != {"trust_env": False}:
            return made(*args, **kwargs)
        if not shared:
            shared.append(made(trust_env=False))
        return shared[0]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx, "create_ssl_context", create_ssl_context)
        yield


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
def service(settings: Settings, clock: ManualClock) -> Iterator[Service]:
    """The use cases without the app: the database, the writer on an event loop of its own (as the
    app's lifespan runs it) and the clock; no routes, no background workers, no HTTP."""
    db = Database(settings)
    writer = Writer(
        db,
        max_batch=settings.writer_max_batch,
        inline=settings.writer_inline,
    )
    ctx = AppContext(
        settings=settings, db=db, writer=writer, clock=clock, view=ViewSettings.from_settings(settings)
    )
    try:
        with start_blocking_portal() as portal:
            portal.call(writer.start)
            try:
                yield Service(ctx, portal, clock)
            finally:
                portal.call(writer.stop)
    finally:
        db.dispose()


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
