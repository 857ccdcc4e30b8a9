"""One order with its stages (and the order's promise ledger): read and written with SQLAlchemy Core.

The write path runs for every stage update, so it avoids the ORM's unit of work (identity map,
flush planning, per-instance instrumentation): measured on this path it cost several times what
the statements themselves cost. Orders and stages are records made from their tables
(app/repositories/records.py); a record loaded under lock remembers what it held, and saving
writes only the columns that changed, one UPDATE per changed row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import RowMapping, Select, Table, bindparam, insert, select
from sqlmodel import Session

from app.domain.errors import NotFound
from app.domain.order_state import OrderState
from app.models.ledger import EstimateRevision
from app.models.order import Order, OrderStage
from app.repositories.records import Record, record_class, update_statement
from app.repositories.statements import run_together, write, write_many

if TYPE_CHECKING:
    # For mypy a record is its model: the same fields, the same types.
    OrderRecord = Order
    StageRecord = OrderStage
    LedgerRecord = EstimateRevision
else:
    OrderRecord = record_class(Order)
    StageRecord = record_class(OrderStage)
    LedgerRecord = record_class(EstimateRevision, "LedgerRecord")

#: The states of an order still being worked on: what the queues, the workbench and the sweep read.
OPEN_STATES = (OrderState.OPEN.value, OrderState.AT_RISK.value)

ORDERS: Table = Order.__table__  # type: ignore[attr-defined]
STAGES: Table = OrderStage.__table__  # type: ignore[attr-defined]
LEDGER: Table = EstimateRevision.__table__  # type: ignore[attr-defined]


def order_from_row(row: Mapping[str, Any] | RowMapping) -> OrderRecord:
    """An order read with every column (a dict or a Core row's mapping), not for saving."""
    return OrderRecord.from_row(row)  # type: ignore[attr-defined,no-any-return]


def stage_from_row(row: Mapping[str, Any] | RowMapping) -> StageRecord:
    return StageRecord.from_row(row)  # type: ignore[attr-defined,no-any-return]


def _record(record: OrderRecord | StageRecord) -> Record:
    # What mypy takes for the model is a Record at run time.
    return record  # type: ignore[return-value]


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
_INSERT_LEDGER = insert(LEDGER)


def _load(
    session: Session, query: Select[Any], params: dict[str, Any], *, lock: bool
) -> tuple[OrderRecord, list[StageRecord]] | None:
    """The order the query finds and its stages; locked records are remembered for save()."""
    # The stages are asked for with the order, in the same round trip.
    stages_query = _STAGES_OF if "order_id" in params else _STAGES_OF_REFERENCE
    rows, stage_rows = run_together(session, [(query, params), (stages_query, params)])
    if not rows:
        return None
    order = order_from_row(rows[0])
    stages = [stage_from_row(row) for row in stage_rows]
    if lock:
        _record(order).mark_stored()
        for stage in stages:
            _record(stage).mark_stored()
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


_ID_OF_REFERENCE = select(ORDERS.c.id).where(ORDERS.c.reference == bindparam("reference"))
_REFERENCE_OF_ID = select(ORDERS.c.reference).where(ORDERS.c.id == bindparam("order_id"))


def order_id_of(session: Session, reference: str) -> int | None:
    """The id of the order with this reference, if there is one."""
    found: int | None = session.connection().execute(_ID_OF_REFERENCE, {"reference": reference}).scalar()
    return found


def reference_of(session: Session, order_id: int) -> str:
    """The reference of an order known to exist."""
    found: str = session.connection().execute(_REFERENCE_OF_ID, {"order_id": order_id}).scalar_one()
    return found


def insert_order(session: Session, order: OrderRecord, stages: list[StageRecord]) -> None:
    """Insert a new order and its stages; their ids are set, and they can be saved from here on."""
    conn = session.connection()
    values = _record(order).values()
    del values["id"]
    order.id = conn.execute(_INSERT_ORDER, values).scalar_one()
    rows = []
    for stage in stages:
        stage.order_id = order.id
        row = _record(stage).values()
        del row["id"]
        rows.append(row)
    result = conn.execute(_INSERT_STAGES, rows)
    for stage, stage_id in zip(stages, result.scalars().all(), strict=True):
        stage.id = stage_id
    _record(order).mark_stored()
    for stage in stages:
        _record(stage).mark_stored()


def save(session: Session, order: OrderRecord, stages: Sequence[StageRecord]) -> None:
    """Write the columns that changed since the records were loaded (or last saved)."""
    items: list[OrderRecord | StageRecord] = [order, *stages]
    for item in items:
        record = _record(item)
        if not record.tracked:
            raise RuntimeError("save() needs records loaded with fetch_order(lock=True) in this session")
        changed = record.changes()
        if changed:
            statement = update_statement(record.table, frozenset(changed))
            # Nothing is read back: on PostgreSQL it waits for the next round trip.
            write(session, statement, {**changed, "_row_id": item.id})
            record.mark_stored()


def insert_ledger(session: Session, entries: list[dict[str, Any]]) -> None:
    """Append promise-ledger rows (estimate revisions) of the same columns; nothing is read back."""
    if entries:
        write_many(session, _INSERT_LEDGER, entries, tuple(entries[0]))


_LEDGER_OF = select(LEDGER).where(LEDGER.c.order_id == bindparam("order_id"))
_LEDGER_OLDEST_FIRST = _LEDGER_OF.order_by(LEDGER.c.id)
_LEDGER_NEWEST_FIRST = _LEDGER_OF.order_by(LEDGER.c.id.desc())


def ledger_of(session: Session, order_id: int, *, newest_first: bool = False) -> list[LedgerRecord]:
    """The order's promise-ledger rows, in the order they were written (or the newest first)."""
    query = _LEDGER_NEWEST_FIRST if newest_first else _LEDGER_OLDEST_FIRST
    rows = session.connection().execute(query, {"order_id": order_id}).mappings()
    return [LedgerRecord.from_row(row) for row in rows]  # type: ignore[attr-defined]
