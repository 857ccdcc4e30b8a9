"""Core statements compiled once per dialect and run on the driver's own cursor.

The hot paths (a stage update, an API key lookup) run about a dozen small statements per
request. Through SQLAlchemy's execution machinery (cache key, execution context, result
object) each cost several times what the driver itself spends on it (bench/RESULTS.md).
Here a statement is compiled once, and each call applies the very type processors SQLAlchemy
would apply, so the SQL and the stored formats stay exactly those of the rest of the code.

Use it only for statements whose shape is fixed; everything else stays plain Core.
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
        cursor = driver.cursor()
        try:
            cursor.execute(self.sql, self.parameters(values or {}))
            return self.rows(cursor.fetchall()) if self._columns else []
        finally:
            cursor.close()

    def run_many(self, driver: Any, values: Sequence[Mapping[str, Any]]) -> None:
        cursor = driver.cursor()
        try:
            cursor.executemany(self.sql, [self.parameters(v) for v in values])
        finally:
            cursor.close()


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
