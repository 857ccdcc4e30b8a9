"""Rows as plain records, their fields taken from the SQLModel table they belong to.

A repository reads and writes its rows with SQLAlchemy Core (no unit of work, no identity map,
no per-instance instrumentation: measured on the stage-update path, the ORM cost several times
what the statements themselves cost). What it hands the use cases is a :class:`Record`: an
object with one slot per column of the table, made by :func:`record_class` from the SQLModel
model, so the two cannot drift apart. For mypy, a repository names the model itself as the
record's type (under ``TYPE_CHECKING``): the fields and their types are the model's.

A record knows what it was when loaded or last saved, and :meth:`Record.changes` says which
fields differ since: saving writes those columns only. The methods below say what a record does;
:func:`record_class` gives each table's class the same methods written out for its columns.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar, cast

from pydantic_core import PydanticUndefined
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Interval,
    LargeBinary,
    Numeric,
    RowMapping,
    String,
    Table,
    Time,
    TypeDecorator,
    Update,
    Uuid,
    bindparam,
    update,
)
from sqlalchemy.types import TypeEngine
from sqlmodel import SQLModel

R = TypeVar("R", bound="Record")


class Record:
    """One row of :attr:`table`: a slot per column, and the values it had when last stored."""

    __slots__ = ("_stored",)

    table: ClassVar[Table]
    #: The table's columns, in its order.
    names: ClassVar[tuple[str, ...]]
    #: What a field is when the constructor is not given it (the model's defaults).
    _defaults: ClassVar[dict[str, Callable[[], Any]]]

    def __init__(self, **values: Any) -> None:
        unknown = values.keys() - set(self.names)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        for name in self.names:
            if name in values:
                value = values[name]
            elif name in self._defaults:
                value = self._defaults[name]()
            else:
                raise TypeError(f"{type(self).__name__} needs a value for {name}")
            object.__setattr__(self, name, value)
        self._stored: tuple[Any, ...] | None = None

    @classmethod
    def from_row(cls: type[R], row: Mapping[str, Any] | RowMapping) -> R:
        """The record of a row read with every column (a dict or a Core row's mapping)."""
        record = cls.__new__(cls)
        for name in cls.names:
            object.__setattr__(record, name, row[name])
        record._stored = None
        return record

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.names}

    def mark_stored(self) -> None:
        """What the record holds now is what the database holds (just loaded, inserted or saved)."""
        # Lists (a JSON column) are copied: a change made in place is a change too.
        self._stored = tuple(_copied(getattr(self, name)) for name in self.names)

    @property
    def tracked(self) -> bool:
        """Whether the record was loaded for a change (locked) or stored since: it can be saved."""
        return self._stored is not None

    def changes(self) -> dict[str, Any]:
        """The fields that differ from what was last stored, with their values now."""
        stored = self._stored
        if stored is None:
            _untracked(self)
        assert stored is not None
        return {
            name: value
            for name, before in zip(self.names, stored, strict=True)
            if (value := getattr(self, name)) != before
        }

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.names)
        return f"{type(self).__name__}({fields})"


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _defaults_of(model: type[SQLModel], names: tuple[str, ...]) -> dict[str, Callable[[], Any]]:
    out: dict[str, Callable[[], Any]] = {}
    for name in names:
        info = model.model_fields.get(name)
        if info is None:
            continue
        if info.default_factory is not None:
            out[name] = cast(Callable[[], Any], info.default_factory)
        elif info.default is not PydanticUndefined:
            out[name] = _constant(info.default)
    return out


def _copied(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _fast_methods(names: tuple[str, ...], copied: frozenset[str] = frozenset()) -> dict[str, Any]:
    """:meth:`Record.from_row`, ``values``, ``mark_stored`` and ``changes`` written out for these
    columns, as ``dataclasses`` writes its ``__init__``: one line per field instead of a loop of
    ``getattr``/``setattr`` calls. They run for every row read and every stage update (a loop
    cost about seven times a dataclass's constructor there)."""
    for name in names:
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"column {name!r} is not a field name")
    lines = ["def from_row(cls, row):", "    record = _new(cls)"]
    lines += [f"    record.{n} = row[{n!r}]" for n in names]
    lines += ["    record._stored = None", "    return record", ""]
    lines += ["def values(self):", "    return {" + ", ".join(f"{n!r}: self.{n}" for n in names) + "}", ""]
    # Only a JSON column can hold a list; the others are stored as they are.
    stored = "".join(f"_copied(self.{n}), " if n in copied else f"self.{n}, " for n in names)
    lines += ["def mark_stored(self):", f"    self._stored = ({stored})"]
    lines += ["", "def changes(self):", "    stored = self._stored", "    if stored is None:"]
    lines += ["        _untracked(self)", "    out = {}"]
    for i, n in enumerate(names):
        lines += [f"    if (value := self.{n}) != stored[{i}]:", f"        out[{n!r}] = value"]
    lines += ["    return out", ""]
    namespace: dict[str, Any] = {"_new": object.__new__, "_copied": _copied, "_untracked": _untracked}
    exec(compile("\n".join(lines), f"<record {', '.join(names[:3])}...>", "exec"), namespace)  # noqa: S102
    return {
        "from_row": classmethod(namespace["from_row"]),
        "values": namespace["values"],
        "mark_stored": namespace["mark_stored"],
        "changes": namespace["changes"],
    }


#: Column types whose values are never lists.
_SCALARS = (String, Integer, Boolean, DateTime, Date, Time, Numeric, Float, Enum, Uuid, LargeBinary, Interval)


def _holds_lists(column_type: TypeEngine[Any]) -> bool:
    """Whether a column's values may be lists (changed in place, so copied when stored)."""
    while isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    return not isinstance(column_type, _SCALARS)


def _untracked(record: Record) -> None:
    raise RuntimeError(f"this {type(record).__name__} was not loaded for a change: it cannot be saved")


def record_class(model: type[SQLModel], name: str | None = None) -> type[Record]:
    """A :class:`Record` class with the columns of ``model``'s table (``OrderRecord`` for ``Order``)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    names = tuple(str(column.key) for column in table.columns)
    clash = set(names) & set(dir(Record))
    assert not clash, f"{table.name} has columns named like a Record's own attributes: {clash}"
    namespace = {
        "__slots__": names,
        "__doc__": f"A row of the {table.name} table (fields from {model.__name__}).",
        "table": table,
        "names": names,
        "_defaults": _defaults_of(model, names),
        **_fast_methods(names, frozenset(str(c.key) for c in table.columns if _holds_lists(c.type))),
    }
    return type(name or f"{model.__name__}Record", (Record,), namespace)


_UPDATES: dict[tuple[str, frozenset[str]], Update] = {}


def update_statement(table: Table, columns: frozenset[str]) -> Update:
    """``UPDATE table SET <columns> WHERE id = :_row_id``, built once per set of columns."""
    statement = _UPDATES.get((table.name, columns))
    if statement is None:
        statement = (
            update(table)
            .where(table.c.id == bindparam("_row_id"))
            .values({name: bindparam(name) for name in sorted(columns)})
        )
        _UPDATES[(table.name, columns)] = statement
    return statement
