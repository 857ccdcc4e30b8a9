"""Orders and stages as plain records, read and written with SQLAlchemy Core.

The write path runs for every stage update, so it avoids the ORM's unit of work (identity map,
flush planning, per-instance instrumentation): measured on this path it cost several times what
the statements themselves cost. Records are loaded with a snapshot of their columns; saving
writes only the columns that changed, one UPDATE per changed row.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Select, Table, Update, bindparam, insert, select, update
from sqlmodel import Session

from app.domain.errors import NotFound
from app.models.order import Order, OrderStage
from app.prepared import driver_of, prepared, run_together

ORDERS: Table = Order.__table__  # type: ignore[attr-defined]
STAGES: Table = OrderStage.__table__  # type: ignore[attr-defined]
SNAPSHOTS = "nextdesk.snapshots"


@dataclass(slots=True, eq=False)
class OrderRecord:
    id: int | None
    reference: str
    flow_key: str
    customer_name: str
    customer_contact: str | None
    promised_at: datetime
    currency: str
    quoted_amount: Decimal
    estimated_amount: Decimal
    actual_amount: Decimal
    state: str
    at_risk: bool
    eta_likely_at: datetime | None
    eta_latest_at: datetime | None
    eta_basis: str
    recheck_at: datetime | None
    cancel_reason: str | None
    told_likely_at: datetime | None
    told_amount: Decimal | None
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True, eq=False)
class StageRecord:
    id: int | None
    order_id: int
    key: str
    name: str
    department: str
    position: int
    depends_on: list[str]
    status: str
    planned_minutes: int
    planned_amount: Decimal | None
    estimate_amount: Decimal | None
    actual_amount: Decimal | None
    expected_finish_at: datetime | None
    next_update_by: datetime | None
    ready_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    reason: str | None
    assignee: str | None
    internal_note: str | None
    customer_note: str | None
    last_update_at: datetime | None
    overdue_for: datetime | None
    revised_at: datetime | None
    updated_at: datetime


R = TypeVar("R", OrderRecord, StageRecord)
ORDER_FIELDS = tuple(f.name for f in fields(OrderRecord))
STAGE_FIELDS = tuple(f.name for f in fields(StageRecord))
assert set(ORDER_FIELDS) == {c.name for c in ORDERS.columns}, "OrderRecord must mirror the orders table"
assert set(STAGE_FIELDS) == {c.name for c in STAGES.columns}, "StageRecord must mirror the order_stage table"


def _values(record: OrderRecord | StageRecord, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def _remember(session: Session, record: OrderRecord | StageRecord, names: tuple[str, ...]) -> None:
    snapshot = _values(record, names)
    if isinstance(record, StageRecord):
        snapshot["depends_on"] = list(record.depends_on)
    session.info.setdefault(SNAPSHOTS, {})[id(record)] = (record, snapshot)


def order_from_row(row: Any) -> OrderRecord:
    return OrderRecord(**{name: row[name] for name in ORDER_FIELDS})


def stage_from_row(row: Any) -> StageRecord:
    return StageRecord(**{name: row[name] for name in STAGE_FIELDS})


# Statements are built once: building them per call cost more than running them.
_ORDER_BY_REF = select(ORDERS).where(ORDERS.c.reference == bindparam("reference"))
_ORDER_BY_REF_LOCKED = _ORDER_BY_REF.with_for_update()
_STAGES_OF = select(STAGES).where(STAGES.c.order_id == bindparam("order_id")).order_by(STAGES.c.position)
_STAGES_OF_REFERENCE = (
    select(STAGES)
    .where(
        STAGES.c.order_id
        == select(ORDERS.c.id).where(ORDERS.c.reference == bindparam("reference")).scalar_subquery()
    )
    .order_by(STAGES.c.position)
)
_INSERT_ORDER = insert(ORDERS).returning(ORDERS.c.id)
_INSERT_STAGES = insert(STAGES).returning(STAGES.c.id, sort_by_parameter_order=True)
_UPDATES: dict[tuple[str, frozenset[str]], Update] = {}


def _update_statement(table: Table, columns: frozenset[str]) -> Update:
    statement = _UPDATES.get((table.name, columns))
    if statement is None:
        statement = (
            update(table)
            .where(table.c.id == bindparam("_row_id"))
            .values({name: bindparam(name) for name in sorted(columns)})
        )
        _UPDATES[(table.name, columns)] = statement
    return statement


def _load(
    session: Session, query: Select[Any], params: dict[str, Any], *, lock: bool
) -> tuple[OrderRecord, list[StageRecord]] | None:
    """The order the query finds and its stages; locked records are remembered for save()."""
    driver, dialect = driver_of(session)
    # The stages are asked for with the order, in the same round trip.
    stages_query = _STAGES_OF if "order_id" in params else _STAGES_OF_REFERENCE
    reads = [(prepared(query, dialect), params), (prepared(stages_query, dialect), params)]
    rows, stage_rows = run_together(driver, reads)
    if not rows:
        return None
    order = OrderRecord(**rows[0])
    stages = [StageRecord(**row) for row in stage_rows]
    if lock:
        _remember(session, order, ORDER_FIELDS)
        for stage in stages:
            _remember(session, stage, STAGE_FIELDS)
    return order, stages


def fetch_order(
    session: Session, reference: str, *, lock: bool = False
) -> tuple[OrderRecord, list[StageRecord]]:
    query = _ORDER_BY_REF_LOCKED if lock else _ORDER_BY_REF
    found = _load(session, query, {"reference": reference}, lock=lock)
    if found is None:
        raise NotFound(f"no order with reference '{reference}'")
    return found


_ORDER_BY_ID_SKIP_LOCKED = (
    select(ORDERS).where(ORDERS.c.id == bindparam("order_id")).with_for_update(skip_locked=True)
)


def claim_order(session: Session, order_id: int) -> tuple[OrderRecord, list[StageRecord]] | None:
    """Lock an order unless another transaction holds it (PostgreSQL ``SKIP LOCKED``)."""
    return _load(session, _ORDER_BY_ID_SKIP_LOCKED, {"order_id": order_id}, lock=True)


def insert_order(session: Session, order: OrderRecord, stages: list[StageRecord]) -> None:
    conn = session.connection()
    values = _values(order, ORDER_FIELDS)
    del values["id"]
    order.id = conn.execute(_INSERT_ORDER, values).scalar_one()
    for stage in stages:
        stage.order_id = order.id
    rows = []
    for stage in stages:
        row = _values(stage, STAGE_FIELDS)
        del row["id"]
        rows.append(row)
    result = conn.execute(_INSERT_STAGES, rows)
    for stage, stage_id in zip(stages, result.scalars().all(), strict=True):
        stage.id = stage_id
    _remember(session, order, ORDER_FIELDS)
    for stage in stages:
        _remember(session, stage, STAGE_FIELDS)


def save(session: Session, order: OrderRecord, stages: list[StageRecord]) -> None:
    """Write the columns that changed since the records were loaded (or last saved)."""
    driver, dialect = driver_of(session)
    snapshots = session.info.get(SNAPSHOTS, {})
    for record, table, names in [(order, ORDERS, ORDER_FIELDS)] + [(s, STAGES, STAGE_FIELDS) for s in stages]:
        entry = snapshots.get(id(record))
        if entry is None or entry[0] is not record:
            raise RuntimeError("save() needs records loaded with fetch_order(lock=True) in this session")
        snapshot = entry[1]
        changed = {name: getattr(record, name) for name in names if getattr(record, name) != snapshot[name]}
        if changed:
            statement = _update_statement(table, frozenset(changed))
            # Nothing is read back: on PostgreSQL it waits for the next round trip.
            prepared(statement, dialect).write(driver, {**changed, "_row_id": record.id})
            _remember(session, record, names)
