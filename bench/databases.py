"""Fresh databases for a benchmark run: a SQLite file, or a PostgreSQL database with a random
name that is dropped afterwards (the server keeps whatever a run leaves behind)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from app.config import Settings
from app.db import Database, make_engine
from app.migrate import upgrade_to_head
from app.models.access import ApiKeyCreate, Role
from app.services.keys import create_key
from app.writer import run_use_case
from bench.datagen import libpq_url


def migrate(url: str) -> None:
    engine = make_engine(_settings(url), writer=True, pool=False)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


def _settings(url: str) -> Settings:
    return Settings(database_url=url, _env_file=None)


@contextmanager
def sqlite_database(folder: Path, name: str, *, keep: bool = False) -> Iterator[str]:
    path = folder / f"{name}-{uuid.uuid4().hex[:8]}.db"
    url = f"sqlite:///{path}"
    migrate(url)
    try:
        yield url
    finally:
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


def postgres_reachable(admin_url: str) -> str | None:
    """None when the server answers, else why not."""
    try:
        with psycopg.connect(libpq_url(admin_url), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL at {make_url(admin_url).render_as_string()} is not reachable: {exc}".strip()
    return None


@contextmanager
def postgres_database(admin_url: str, name: str) -> Iterator[str]:
    database = f"nextdesk_bench_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    url = make_url(admin_url).set(database=database).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def postgres_version(admin_url: str) -> str:
    with psycopg.connect(libpq_url(admin_url), connect_timeout=3) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"


def insert_key(url: str, role: Role, *departments: str) -> str:
    """An API key made the way `nextdesk keys create` makes one; returns its secret."""
    db = Database(_settings(url))
    try:
        body = ApiKeyCreate(name=f"bench {role.value}", role=role, departments=list(departments))
        created, _ = run_use_case(db, lambda session: create_key(session, body, datetime.now(UTC)))
    finally:
        db.dispose()
    return created.secret
