"""Core statements compiled once per dialect and run on the driver's own cursor.

The hot paths (a stage update, an API key lookup) run about a dozen small statements per
request. Through SQLAlchemy's execution machinery (cache key, execution context, result
object) each cost several times what the driver itself spends on it (bench/RESULTS.md).
Here a statement is compiled once, and each call applies the very type processors SQLAlchemy
would apply, so the SQL and the stored formats stay exactly those of the rest of the code.

Use it only for statements whose shape is fixed; everything else stays plain Core.

On PostgreSQL the writer's connection also queues what needs no answer (an UPDATE, an INSERT
without RETURNING): :meth:`Prepared.write` holds it back, and the next statement whose rows are
read takes the queue along in one pipeline (psycopg's pipeline mode), as does COMMIT
(app/db.py). A use case then waits for the database once per read, not once per statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session

Processor = Callable[[Any], Any]
Row = dict[str, Any]


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

    def parameters(self, values: Mapping[str, Any]) -> Any:
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

    def run(self, driver: Any, values: Mapping[str, Any] | None = None) -> list[Row]:
        """Execute once; the rows it returns (if any), as dicts with processed values."""
        return run_together(driver, [(self, values or {})])[0]

    def run_many(self, driver: Any, values: Sequence[Mapping[str, Any]]) -> None:
        send_queued(driver)
        cursor = driver.cursor()
        try:
            cursor.executemany(self.sql, [self.parameters(v) for v in values])
        finally:
            cursor.close()

    def write(self, driver: Any, values: Mapping[str, Any]) -> None:
        """Execute, or queue for the next round trip where the connection queues (see above)."""
        queue = _queue(driver)
        if queue is None:
            self.run(driver, values)
        else:
            queue.append((self.sql, self.parameters(values), False))

    def write_many(self, driver: Any, values: Sequence[Mapping[str, Any]]) -> None:
        queue = _queue(driver)
        if queue is None:
            self.run_many(driver, values)
        else:
            queue.append((self.sql, [self.parameters(v) for v in values], True))


class Ahead:
    """A read sent with the next round trip (see :func:`read_ahead`); its rows once it has gone."""

    __slots__ = ("_statement", "_cursor", "_rows")

    def __init__(self, statement: Prepared) -> None:
        self._statement = statement
        self._cursor: Any = None
        self._rows: list[Row] | None = None

    def rows(self, driver: Any) -> list[Row]:
        if self._rows is None:
            if self._cursor is None:  # still queued: it goes now, with the rest of the queue
                send_queued(driver)
            self._rows = self._statement.rows(self._cursor.fetchall()) if self._statement._columns else []
            self._cursor.close()
        return self._rows


def read_ahead(driver: Any, statement: Prepared, values: Mapping[str, Any]) -> Ahead:
    """Read ``statement`` in the next round trip, after that trip's own reads (so after the lock
    a ``FOR UPDATE`` there waits for), for a use case that needs its rows later.

    Where the connection does not queue, it is read at once.
    """
    ahead = Ahead(statement)
    queue = _queue(driver)
    if queue is None:
        ahead._rows = statement.run(driver, values)
    else:
        queue.append((statement.sql, statement.parameters(values), ahead))
    return ahead


#: What each queueing connection holds back: (sql, parameters, executemany or the Ahead to answer),
#: by the connection's id (with the connection, which the transaction's end lets go of).
_QUEUED: dict[int, tuple[Any, list[tuple[str, Any, Any]]]] = {}


def _queue(driver: Any) -> list[tuple[str, Any, Any]] | None:
    hit = _QUEUED.get(id(driver))
    return hit[1] if hit is not None and hit[0] is driver else None


def start_queueing(driver: Any, first: str | None = None) -> None:
    """From now on, hold back what needs no answer on this (psycopg) connection."""
    _QUEUED[id(driver)] = (driver, [(first, None, False)] if first is not None else [])


def stop_queueing(driver: Any) -> None:
    """Forget what is queued (the transaction ended, or rolled back) and queue no more."""
    _QUEUED.pop(id(driver), None)


def queued(driver: Any) -> int:
    """How many statements are held back: a mark for :func:`drop_queued`."""
    queue = _queue(driver)
    return 0 if queue is None else len(queue)


def drop_queued(driver: Any, mark: int) -> None:
    """Forget what was queued after ``mark`` (a savepoint rolled back with it)."""
    queue = _queue(driver)
    if queue is not None:
        del queue[mark:]


def _send(driver: Any, queue: list[tuple[str, Any, Any]]) -> None:
    for sql, parameters, many in queue:
        cursor = driver.cursor()
        if isinstance(many, Ahead):
            cursor.execute(sql, parameters)
            many._cursor = cursor
        elif many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
    queue.clear()


def send_queued(driver: Any, then: str | None = None) -> None:
    """Send what is queued (and ``then``, e.g. COMMIT) in one round trip."""
    queue = _queue(driver)
    if not queue and then is None:
        return
    with driver.pipeline():
        _send(driver, queue or [])
        if then is not None:
            driver.cursor().execute(then)


def run_together(driver: Any, reads: Sequence[tuple[Prepared, Mapping[str, Any]]]) -> list[list[Row]]:
    """Run statements whose rows are read, after what is queued, in one round trip."""
    queue = _queue(driver)
    if queue is None or (not queue and len(reads) == 1):
        out: list[list[Row]] = []
        for statement, values in reads:
            cursor = driver.cursor()
            try:
                cursor.execute(statement.sql, statement.parameters(values))
                out.append(statement.rows(cursor.fetchall()) if statement._columns else [])
            finally:
                cursor.close()
        return out
    cursors = []
    # The rows are fetched once the pipeline has ended: its end is the one wait.
    queue = queue or []
    later = [item for item in queue if isinstance(item[2], Ahead)]
    with driver.pipeline():
        _send(driver, [item for item in queue if not isinstance(item[2], Ahead)])
        for statement, values in reads:
            cursor = driver.cursor()
            cursor.execute(statement.sql, statement.parameters(values))
            cursors.append(cursor)
        _send(driver, later)
        queue.clear()
    out = []
    for (statement, _values), cursor in zip(reads, cursors, strict=True):  # noqa: B007
        out.append(statement.rows(cursor.fetchall()) if statement._columns else [])
        cursor.close()
    return out


class RowView:
    """Attribute access to a prepared statement's row, for code written against Core rows."""

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


_DRIVER = "nextdesk.driver"


def driver_of(session: Session) -> tuple[Any, Dialect]:
    """The DB-API connection under the session's current transaction, and its dialect."""
    # Asked for by every statement of a use case, and the session's own lookup is not free.
    # The connection is released (closed) when the session's transaction ends.
    hit: tuple[Connection, Any, Dialect] | None = session.info.get(_DRIVER)
    if hit is None or hit[0].closed:
        conn = session.connection()
        hit = (conn, conn.connection.driver_connection, conn.dialect)
        session.info[_DRIVER] = hit
    return hit[1], hit[2]
