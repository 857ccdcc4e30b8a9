"""Engine and sessions: a SQLite file (WAL) or PostgreSQL, from one URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

# The session every use case takes: services name it from here, and build no statements of their own.
from sqlmodel import Session as Session

from app.config import Settings
from app.pipeline import send_queued, start_queueing, stop_queueing


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and use psycopg 3 for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(engine: Engine, *, synchronous: str, immediate: bool, checkpoint_off: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" below own transactions, so SAVEPOINTs work as documented.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode skips an fsync per commit: a power cut may lose the last commits,
        # never corrupt the file. FULL is one setting away for operators who want it.
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if checkpoint_off:
            # The writer's COMMITs never checkpoint; a background thread does (app/tuning.py).
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # The writer takes the write lock up front: a deferred transaction that later tries to
        # write can fail with SQLITE_BUSY instead of waiting.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _postgres_queueing(engine: Engine) -> None:
    """The writer's transactions on PostgreSQL wait for the server once per read.

    The connection runs in autocommit mode and the transaction is begun by a BEGIN held back
    with the statements that need no answer (app/pipeline.py): it goes out with the first read,
    and the queue's rest with the next read or with COMMIT, each a single round trip. Any
    statement SQLAlchemy runs itself first sends the queue, so it sees everything before it.
    """

    def driver(conn: Connection) -> Any:
        return conn.connection.driver_connection

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        start_queueing(driver(conn), "BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(conn: Connection, *_args: Any) -> None:
        send_queued(driver(conn))

    @event.listens_for(engine, "commit")
    def _on_commit(conn: Connection) -> None:
        raw = driver(conn)
        try:
            # The rest of the queue and COMMIT in one round trip; the driver's own commit()
            # that follows finds no transaction open and sends nothing.
            send_queued(raw, then="COMMIT")
        except Exception as exc:
            # The pipeline stopped at the refusal and COMMIT never ran: the server's transaction
            # is open and aborted. The BEGIN was ours, so the ROLLBACK is too; the pool, which
            # sees a connection in autocommit, would hand it on as it is.
            if not raw.closed:
                raw.rollback()
            raise DBAPIError.instance("COMMIT", None, exc, conn.dialect.loaded_dbapi.Error) from exc
        finally:
            stop_queueing(raw)

    @event.listens_for(engine, "rollback")
    def _on_rollback(conn: Connection) -> None:
        # Held back, never sent: the driver's rollback() undoes what was.
        stop_queueing(driver(conn))


def _json_dumps(value: Any) -> str:
    # JSON columns (event data above all) are written with every change; orjson does in a
    # tenth of the time what the standard library does, with the same result.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(settings: Settings, *, writer: bool = False, pool: bool = True) -> Engine:
    url = normalise_url(settings.database_url)
    kwargs: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
        if not pool:
            kwargs["poolclass"] = NullPool
        engine = create_engine(url, **kwargs)
        _sqlite_pragmas(
            engine,
            synchronous=settings.sqlite_synchronous,
            immediate=writer,
            checkpoint_off=writer and pool and settings.sqlite_background_checkpoint,
        )
        return engine
    if pool:
        kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
    else:
        kwargs["poolclass"] = NullPool
    # Autocommit: a read is one statement, so it needs neither BEGIN nor ROLLBACK round trips
    # (at READ COMMITTED each statement sees its own snapshot anyway); the writer's connection
    # begins its transactions itself, see _postgres_queueing.
    if pool:
        kwargs["isolation_level"] = "AUTOCOMMIT"
    engine = create_engine(url, **kwargs)
    if writer and pool:
        _postgres_queueing(engine)
    return engine


#: In a session's info: the repositories run their statements through ``session.execute``
#: rather than prepared on the driver's cursor (``NEXTDESK_PREPARED_STATEMENTS=false``).
PLAIN_STATEMENTS = "nextdesk.plain_statements"


def plain_statements(session: Session) -> bool:
    return bool(session.info.get(PLAIN_STATEMENTS))


class Database:
    """The engines a process uses: one for readers, one for the single writer."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.read_engine = make_engine(settings)
        self.write_engine = make_engine(settings, writer=True)
        info = {} if settings.prepared_statements else {PLAIN_STATEMENTS: True}
        self._read_sessions = sessionmaker(
            self.read_engine, class_=Session, expire_on_commit=False, info=dict(info)
        )
        self._write_sessions = sessionmaker(
            self.write_engine, class_=Session, expire_on_commit=False, info=dict(info)
        )

    @property
    def is_sqlite(self) -> bool:
        return self.read_engine.dialect.name == "sqlite"

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        with self._read_sessions() as session:
            yield session

    @contextmanager
    def driver(self) -> Iterator[tuple[Any, Dialect]]:
        """A pooled DB-API connection for one prepared read (app/repositories/statements.py), and its dialect.

        Both run in autocommit mode here (the read engine's PostgreSQL connections are made
        so), so each use sees what has been committed, never a stale snapshot.
        """
        raw = self.read_engine.raw_connection()
        try:
            yield raw.driver_connection, self.read_engine.dialect
        finally:
            raw.close()

    def write_session(self) -> Session:
        return self._write_sessions()

    def dispose(self) -> None:
        self.read_engine.dispose()
        self.write_engine.dispose()
