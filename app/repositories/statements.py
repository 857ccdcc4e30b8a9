"""How the repositories run their fixed statements: compiled once per dialect, on the driver's cursor.

The hot paths (a stage update, an API key lookup) run about a dozen small statements per
request. Through SQLAlchemy's execution machinery (cache key, execution context, result
object) each cost several times what the driver itself spends on it (bench/RESULTS.md).
Here a statement is compiled once, and each call applies the very type processors SQLAlchemy
would apply, so the SQL and the stored formats stay exactly those of the rest of the code.

Only repositories use it, and only for statements whose shape is fixed. The session-level
functions (:func:`run`, :func:`write`, :func:`write_many`, :func:`run_together`,
:func:`read_ahead`) are what repositories call: with ``NEXTDESK_PREPARED_STATEMENTS=false``
they run the same statements through ``session.execute`` instead, which is how the bench
measures what this module buys (bench/RESULTS.md), and how tests/test_statements.py checks
that both ways read and write the same values.

On PostgreSQL the writer's connection queues what needs no answer (app/pipeline.py):
:func:`write` holds it back, and the next statement whose rows are read takes the queue along.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session

from app.db import Database, plain_statements
from app.pipeline import QueuedRead, driver_of, queue_of, send_queued, send_with

__all__ = [
    "Ahead",
    "Prepared",
    "Row",
    "RowView",
    "driver_of",
    "prepared",
    "read_ahead",
    "read_pooled",
    "run",
    "run_together",
    "write",
    "write_many",
]

Processor = Callable[[Any], Any]
Row = dict[str, Any]
Values = Mapping[str, Any]


class Prepared:
    """One statement, compiled for one dialect, with its bind and result processors."""

    __slots__ = ("sql", "_names", "_positional", "_defaults", "_binds", "_columns", "_results")

    def __init__(self, statement: ClauseElement, dialect: Dialect, column_keys: Sequence[str] | None = None):
        keys = list(column_keys) if column_keys else None
        compiled = statement.compile(dialect=dialect, column_keys=keys)
        assert isinstance(compiled, SQLCompiler), "only SQL statements can be prepared"
        self.sql = compiled.string
        by_name = {name: bind for bind, name in compiled.bind_names.items()}
        self._positional = compiled.positional
        positions = tuple(compiled.positiontup or ())
        self._names: tuple[str, ...] = positions if compiled.positional else tuple(by_name)
        # Literals in the statement (``id == 1``) are bind parameters with a value of their own.
        self._defaults = {name: bind.value for name, bind in by_name.items() if not bind.required}
        self._binds: dict[str, Processor] = {}
        for name, bind in by_name.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self._binds[name] = processor
        columns = list(getattr(statement, "exported_columns", ()))
        self._columns = tuple(str(column.key) for column in columns)
        self._results: tuple[Processor | None, ...] = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )

    @property
    def returns_rows(self) -> bool:
        return bool(self._columns)

    def parameters(self, values: Values) -> Any:
        merged = {**self._defaults, **values} if self._defaults else values
        binds = self._binds
        if self._positional:
            out = []
            for name in self._names:
                value = merged[name]
                processor = binds.get(name)
                out.append(value if processor is None or value is None else processor(value))
            return tuple(out)
        return {
            name: (
                merged[name]
                if (processor := binds.get(name)) is None or merged[name] is None
                else processor(merged[name])
            )
            for name in self._names
        }

    def rows(self, raw: Iterable[Sequence[Any]]) -> list[Row]:
        columns, results = self._columns, self._results
        out = []
        for values in raw:
            out.append(
                {
                    name: value if processor is None or value is None else processor(value)
                    for name, value, processor in zip(columns, values, results, strict=True)
                }
            )
        return out

    def run(self, driver: Any, values: Values | None = None) -> list[Row]:
        """Execute once; the rows it returns (if any), as dicts with processed values."""
        return _run_together(driver, [(self, values or {})])[0]

    def run_many(self, driver: Any, values: Sequence[Values]) -> None:
        send_queued(driver)
        cursor = driver.cursor()
        try:
            cursor.executemany(self.sql, [self.parameters(v) for v in values])
        finally:
            cursor.close()

    def write(self, driver: Any, values: Values) -> None:
        """Execute, or queue for the next round trip where the connection queues (see above)."""
        queue = queue_of(driver)
        if queue is None:
            self.run(driver, values)
        else:
            queue.append((self.sql, self.parameters(values), False))

    def write_many(self, driver: Any, values: Sequence[Values]) -> None:
        queue = queue_of(driver)
        if queue is None:
            self.run_many(driver, values)
        else:
            queue.append((self.sql, [self.parameters(v) for v in values], True))


def _run_together(driver: Any, reads: Sequence[tuple[Prepared, Values]]) -> list[list[Row]]:
    """Run statements whose rows are read, after what is queued, in one round trip."""
    queue = queue_of(driver)
    if queue is None or (not queue and len(reads) == 1):
        out: list[list[Row]] = []
        for statement, values in reads:
            cursor = driver.cursor()
            try:
                cursor.execute(statement.sql, statement.parameters(values))
                out.append(statement.rows(cursor.fetchall()) if statement.returns_rows else [])
            finally:
                cursor.close()
        return out
    cursors = send_with(
        driver, [(statement.sql, statement.parameters(values)) for statement, values in reads]
    )
    out = []
    for (statement, _values), cursor in zip(reads, cursors, strict=True):  # noqa: B007
        out.append(statement.rows(cursor.fetchall()) if statement.returns_rows else [])
        cursor.close()
    return out


class RowView:
    """Attribute access to a statement's row, for code written against Core rows."""

    __slots__ = ("_values",)

    def __init__(self, values: Row) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None


_CACHE: dict[tuple[int, str, tuple[str, ...] | None], tuple[ClauseElement, Prepared]] = {}


def prepared(
    statement: ClauseElement, dialect: Dialect, column_keys: Sequence[str] | None = None
) -> Prepared:
    """The statement compiled for this dialect, built on first use."""
    key = (id(statement), dialect.name, tuple(column_keys) if column_keys else None)
    hit = _CACHE.get(key)
    # The statement is kept alongside, so its id cannot be reused by another object.
    if hit is None or hit[0] is not statement:
        hit = (statement, Prepared(statement, dialect, column_keys))
        _CACHE[key] = hit
    return hit[1]


# What repositories call: the session's statements, prepared or (for measuring) plain.


def _plain(session: Session, statement: ClauseElement, values: Values | Sequence[Values]) -> list[Row]:
    result = session.execute(cast(Executable, statement), values)
    if isinstance(result, CursorResult) and not result.returns_rows:
        return []
    return [dict(row) for row in result.mappings()]


def run(session: Session, statement: ClauseElement, values: Values | None = None) -> list[Row]:
    """Run ``statement`` now (after what the connection holds back); its rows, if it returns any."""
    if plain_statements(session):
        return _plain(session, statement, values or {})
    driver, dialect = driver_of(session)
    return prepared(statement, dialect).run(driver, values)


def run_together(session: Session, reads: Sequence[tuple[ClauseElement, Values]]) -> list[list[Row]]:
    """Run statements whose rows are read, in one round trip where the connection queues."""
    if plain_statements(session):
        return [_plain(session, statement, values) for statement, values in reads]
    driver, dialect = driver_of(session)
    return _run_together(driver, [(prepared(statement, dialect), values) for statement, values in reads])


def write(session: Session, statement: ClauseElement, values: Values) -> None:
    """Run a statement whose rows are not read; where the connection queues, with the next trip."""
    if plain_statements(session):
        _plain(session, statement, values)
        return
    driver, dialect = driver_of(session)
    prepared(statement, dialect).write(driver, values)


def write_many(
    session: Session,
    statement: ClauseElement,
    rows: Sequence[Values],
    column_keys: Sequence[str] | None = None,
) -> None:
    """:func:`write` for many rows; an INSERT names its ``column_keys``, the columns each row gives."""
    if not rows:
        return
    if plain_statements(session):
        _plain(session, statement, rows)
        return
    driver, dialect = driver_of(session)
    prepared(statement, dialect, column_keys).write_many(driver, rows)


class Ahead:
    """A read sent with the next round trip (see :func:`read_ahead`); its rows once it has gone."""

    __slots__ = ("_statement", "_driver", "_queued", "_rows")

    def __init__(self, statement: Prepared | None, driver: Any, rows: list[Row] | None) -> None:
        self._statement = statement
        self._driver = driver
        self._queued = QueuedRead()
        self._rows = rows

    def rows(self) -> list[Row]:
        if self._rows is None:
            assert self._statement is not None
            if self._queued.cursor is None:  # still queued: it goes now, with the rest of the queue
                send_queued(self._driver)
            cursor = self._queued.cursor
            self._rows = self._statement.rows(cursor.fetchall()) if self._statement.returns_rows else []
            cursor.close()
        return self._rows


def read_ahead(session: Session, statement: ClauseElement, values: Values) -> Ahead:
    """Read ``statement`` in the next round trip, after that trip's own reads (so after the lock
    a ``FOR UPDATE`` there waits for), for a use case that needs its rows later.

    Where the connection does not queue, it is read at once.
    """
    if plain_statements(session):
        return Ahead(None, None, _plain(session, statement, values))
    driver, dialect = driver_of(session)
    compiled = prepared(statement, dialect)
    queue = queue_of(driver)
    if queue is None:
        return Ahead(compiled, driver, compiled.run(driver, values))
    ahead = Ahead(compiled, driver, None)
    queue.append((compiled.sql, compiled.parameters(values), ahead._queued))
    return ahead


def read_pooled(db: Database, statement: ClauseElement, values: Values) -> list[Row]:
    """Run a read on a pooled connection of the read engine, outside any session's transaction."""
    if db.settings.prepared_statements:
        with db.driver() as (driver, dialect):
            return prepared(statement, dialect).run(driver, values)
    with db.read_session() as session:
        return _plain(session, statement, values)
