"""Acknowledgements ('I told the customer'): the last one of an order, and new ones.

Every status view shows the order's last acknowledgement, so that read is prepared
(app/repositories/statements.py), and a stage update sends it in the round trip that loads the
order (:func:`last_of_reference_ahead`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Table, bindparam, insert, select
from sqlmodel import Session

from app.models.desk import Acknowledgement
from app.repositories.orders import ORDERS
from app.repositories.records import Record, record_class
from app.repositories.statements import Row, read_ahead, run

if TYPE_CHECKING:
    AckRecord = Acknowledgement
else:
    AckRecord = record_class(Acknowledgement, "AckRecord")

ACKS: Table = Acknowledgement.__table__  # type: ignore[attr-defined]
# Built once: every status view asks this.
_LAST_OF_ORDER = (
    select(ACKS).where(ACKS.c.order_id == bindparam("order_id")).order_by(ACKS.c.id.desc()).limit(1)
)
_LAST_OF_REFERENCE = (
    select(ACKS)
    .where(
        ACKS.c.order_id
        == select(ORDERS.c.id).where(ORDERS.c.reference == bindparam("reference")).scalar_subquery()
    )
    .order_by(ACKS.c.id.desc())
    .limit(1)
)
_INSERT = insert(ACKS).returning(ACKS.c.id)


def _first(rows: list[Row]) -> AckRecord | None:
    return AckRecord.from_row(rows[0]) if rows else None  # type: ignore[attr-defined]


def last_of_order(session: Session, order_id: int) -> AckRecord | None:
    return _first(run(session, _LAST_OF_ORDER, {"order_id": order_id}))


def last_of_reference_ahead(session: Session, reference: str) -> Callable[[], AckRecord | None]:
    """The last acknowledgement of the order ``reference``, read with the next round trip (after
    the order's lock, when the order is loaded in it); call the result once it is needed."""
    ahead = read_ahead(session, _LAST_OF_REFERENCE, {"reference": reference})
    return lambda: _first(ahead.rows())


def insert_acknowledgement(session: Session, ack: AckRecord) -> None:
    """Insert a new acknowledgement; its id is set."""
    record: Record = ack  # type: ignore[assignment]
    values = record.values()
    del values["id"]
    ack.id = session.connection().execute(_INSERT, values).scalar_one()
