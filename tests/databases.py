"""Real databases for tests: a SQLite file always, PostgreSQL where NEXTDESK_TEST_POSTGRES_URL is set.

The schema is made once per run by the Alembic migrations, then each test gets its own copy: a
file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL. Databases made here carry a
random name and are dropped at the end, since CI's PostgreSQL keeps what earlier runs left.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from app.config import Settings
from app.db import Database, make_engine
from app.migrate import upgrade_to_head

POSTGRES_ENV = "NEXTDESK_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def _libpq(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def migrate_url(url: str) -> None:
    engine = make_engine(Settings(database_url=url), writer=True, pool=False)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


class SqliteTemplate:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.db"
        migrate_url(f"sqlite:///{self.template}")

    def fresh_url(self) -> str:
        target = self.folder / f"test-{uuid.uuid4().hex[:10]}.db"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"


class PostgresTemplate:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.prefix = f"nextdesk_test_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        self.created: list[str] = []
        self._ready: queue.Queue[str | Exception] = queue.Queue(maxsize=2)
        self._closing = threading.Event()
        self._filler: threading.Thread | None = None
        self._execute(f'CREATE DATABASE "{self.template}"')
        self.created.append(self.template)
        migrate_url(_with_database(admin_url, self.template))

    def _execute(self, sql: str) -> None:
        with psycopg.connect(_libpq(self.admin_url), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def _create(self) -> str:
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    def _fill(self) -> None:
        # Copying the template takes the server most of a second; doing it ahead, while the
        # previous test runs, keeps that off the suite's critical path.
        while not self._closing.is_set():
            try:
                name = self._create()
            except Exception as exc:  # surfaced to the next test that asks for a database
                self._ready.put(exc)
                return
            self.created.append(name)
            self._ready.put(name)

    def fresh_url(self) -> str:
        if self._filler is None:
            self._filler = threading.Thread(target=self._fill, name="pg-template-copies", daemon=True)
            self._filler.start()
        item = self._ready.get(timeout=120)
        if isinstance(item, Exception):
            raise item
        return _with_database(self.admin_url, item)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        self._closing.set()
        while self._filler is not None and self._filler.is_alive():
            try:
                self._ready.get(timeout=0.5)
            except queue.Empty:
                pass
        for name in list(reversed(self.created)):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()


@contextmanager
def open_database(url: str) -> Iterator[Database]:
    db = Database(Settings(database_url=url))
    try:
        yield db
    finally:
        db.dispose()
