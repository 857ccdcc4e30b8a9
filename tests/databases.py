"""Real databases for tests: a SQLite file always, PostgreSQL where NEXTDESK_TEST_POSTGRES_URL is set.

The schema is made once per run (per worker) by the Alembic migrations, then each test gets a
database of its own as the migrations left it: a file copy on SQLite; on PostgreSQL, a database
made with ``CREATE DATABASE ... TEMPLATE`` and, once a test is done with it, emptied back to the
template's rows for a later test. Databases made here carry a random name and are dropped at the
end, since CI's PostgreSQL keeps what earlier runs left.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


#: What makes the schema of a database: its tables, columns, indexes, sequences, views, constraints,
#: triggers, functions and types, with the migration it is at. A test that migrates its database
#: (down and up again, or to an older release) changes it; one that only writes rows does not.
SCHEMA_FINGERPRINT = """
WITH own AS (
    SELECT oid FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'
)
SELECT md5(coalesce(string_agg(item, E'\\n' ORDER BY item), '')) FROM (
    SELECT 'rel ' || c.relnamespace::regnamespace || '.' || c.relname || ' ' || c.relkind::text || ' '
        || coalesce(string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
            || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum), '')
        || coalesce(' ' || pg_get_indexdef(c.oid), '') AS item
    FROM pg_class c
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE c.relnamespace IN (SELECT oid FROM own)
    GROUP BY c.oid
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace IN (SELECT oid FROM own)
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
    FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM own)
    UNION ALL
    SELECT 'type ' || t.oid::regtype::text FROM pg_type t
    WHERE t.typnamespace IN (SELECT oid FROM own) AND t.typrelid = 0
) AS schema_items
"""

#: Each table of the schema with the tables its foreign keys point to.
TABLES = """
SELECT c.oid::regclass::text, coalesce(array_agg(f.confrelid::regclass::text)
        FILTER (WHERE f.confrelid IS NOT NULL AND f.confrelid <> c.oid), '{}')
FROM pg_class c
LEFT JOIN pg_constraint f ON f.conrelid = c.oid AND f.contype = 'f'
WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace
GROUP BY c.oid
"""


def _children_first(references: dict[str, list[str]]) -> list[str]:
    """Tables in an order that deletes every row without tripping a foreign key."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(table: str, path: frozenset[str]) -> None:
        if table in seen or table in path:
            return
        # A table comes after every table that references it.
        for child, parents in references.items():
            if table in parents:
                visit(child, path | {table})
        seen.add(table)
        order.append(table)

    for table in sorted(references):
        visit(table, frozenset())
    return order


@dataclass(frozen=True)
class _Seed:
    """What the migrations leave in a new database: its schema's fingerprint, the rows they insert
    and where each sequence stands."""

    schema: str
    tables: list[str]
    rows: dict[str, tuple[list[str], bytes]]
    sequences: list[tuple[str, int, bool]]

    @classmethod
    def read(cls, conn: psycopg.Connection[Any]) -> _Seed:
        schema = conn.execute(SCHEMA_FINGERPRINT).fetchone()[0]  # type: ignore[index]
        references = {table: list(parents) for table, parents in conn.execute(TABLES).fetchall()}
        rows: dict[str, tuple[list[str], bytes]] = {}
        for table in references:
            if conn.execute(f"SELECT EXISTS (SELECT FROM {table})").fetchone()[0]:  # type: ignore[index]
                columns = [
                    name
                    for (name,) in conn.execute(
                        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
                        " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                        (table,),
                    )
                ]
                listed = ", ".join(f'"{name}"' for name in columns)
                with conn.cursor().copy(f"COPY {table} ({listed}) TO STDOUT") as copy:  # type: ignore[arg-type]
                    rows[table] = (columns, b"".join(bytes(chunk) for chunk in copy))
        sequences = [
            (name, value, called)
            for name, value, called in conn.execute(
                "SELECT format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value),"
                " last_value IS NOT NULL FROM pg_sequences"
            )
        ]
        return cls(schema, _children_first(references), rows, sequences)

    def restore(self, conn: psycopg.Connection[Any]) -> bool:
        """Put the rows back as the migrations left them; False if the schema is not theirs."""
        if conn.execute(SCHEMA_FINGERPRINT).fetchone()[0] != self.schema:  # type: ignore[index]
            return False
        with conn.transaction():
            # One round trip for the deletes and the sequences, one per table of rows to put back.
            conn.execute(self._empty)  # type: ignore[arg-type]
            for table, (columns, data) in self.rows.items():
                listed = ", ".join(f'"{name}"' for name in columns)
                with conn.cursor().copy(f"COPY {table} ({listed}) FROM STDIN") as copy:  # type: ignore[arg-type]
                    copy.write(data)
        return True

    @property
    def _empty(self) -> str:
        deletes = [f"DELETE FROM {table}" for table in self.tables]
        resets = ", ".join(
            f"setval('{name}', {value}, {str(called).lower()})" for name, value, called in self.sequences
        )
        return "; ".join([*deletes, *([f"SELECT {resets}"] if resets else [])])


class PostgresTemplate:
    """Databases made from one migrated template, each used by one test at a time.

    A test's database is made with ``CREATE DATABASE ... TEMPLATE``. When the test is done with it
    (``release``), its sessions are ended and it is put back as the migrations left it (rows
    deleted, the migrations' own rows copied back, sequences reset), then given to a later test:
    milliseconds, where dropping it would wait for a checkpoint, seconds on a busy server. A
    database whose schema the test changed (a migration test) is dropped instead.
    """

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.prefix = f"nextdesk_test_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        self.created: list[str] = []
        self._idle: list[str] = []
        self._lock = threading.Lock()
        self._execute(f'CREATE DATABASE "{self.template}"')
        self.created.append(self.template)
        try:
            migrate_url(_with_database(admin_url, self.template))
            with psycopg.connect(_libpq(_with_database(admin_url, self.template))) as conn:
                self._seed = _Seed.read(conn)
        except BaseException:
            self.drop_all()
            raise

    def _execute(self, sql: str) -> None:
        with psycopg.connect(_libpq(self.admin_url), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def fresh_url(self) -> str:
        """A database as the migrations leave it, for one test.

        The URL differs from every URL given before, even for a database used again: the service
        keeps some figures per database URL in the process for a few seconds (learned durations,
        calendars), which must not carry over to the next test. The query parameter that differs
        is one libpq uses only where no application name is set.
        """
        with self._lock:
            name = self._idle.pop() if self._idle else None
        if name is None:
            name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            with self._lock:
                self.created.append(name)
        url = make_url(_with_database(self.admin_url, name))
        lease = url.update_query_dict({"fallback_application_name": f"nextdesk-test-{uuid.uuid4().hex[:8]}"})
        return lease.render_as_string(hide_password=False)

    def release(self, url: str) -> None:
        """The test is done with this database: make it new again for another, or drop it."""
        name = make_url(url).database
        try:
            with psycopg.connect(_libpq(url), autocommit=True) as conn:
                # What the test left connected (a server, a pool) goes, as DROP ... WITH (FORCE) does.
                conn.execute(
                    "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                reusable = self._seed.restore(conn)
        except psycopg.Error:
            reusable = False
        if reusable:
            with self._lock:
                self._idle.append(name)  # type: ignore[arg-type]
        else:
            self.drop(url)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        with self._lock:
            if name in self.created:
                self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(reversed(self.created)):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()
        self._idle.clear()


@contextmanager
def open_database(url: str) -> Iterator[Database]:
    db = Database(Settings(database_url=url))
    try:
        yield db
    finally:
        db.dispose()
