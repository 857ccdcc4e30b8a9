"""The desk's list of orders: one page under the filters, newest first, and the current stages
each row shows; the import's check of the references already taken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlmodel import Session

from app.domain.order_state import OrderState
from app.domain.stage_machine import CURRENT
from app.repositories.orders.aggregate import ORDERS, STAGES, OrderRecord, order_from_row


@dataclass(frozen=True)
class OrderFilters:
    states: tuple[str, ...] = ()
    at_risk: bool | None = None
    department: str | None = None
    stage: str | None = None
    text: str | None = None


#: The trigram index (migration 0003_search) needs three characters to look anything up.
TRIGRAM = 3


_SEARCH = table("order_search", column("rowid"))


def _text_matches(text: str) -> ColumnElement[bool]:
    """Text anywhere in the reference or the customer's name, case-insensitive (a scan)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    needle = f"%{escaped}%"
    return or_(
        func.lower(ORDERS.c.reference).like(needle, escape="\\"),
        func.lower(ORDERS.c.customer_name).like(needle, escape="\\"),
    )


def _searched(query: Select[Any], text: str, dialect: str) -> tuple[Select[Any], ColumnElement[Any]]:
    """The query narrowed to orders matching the text, and the column that orders it newest first.

    On SQLite the trigram index (FTS5) is joined and walked in its own rowid order, which is the
    order id: the first page is found after as many matches as it holds, where ordering the
    matches afterwards had to collect every one of them (thousands for a common name).
    On PostgreSQL the pg_trgm index serves the LIKE below.
    """
    if dialect == "sqlite" and len(text) >= TRIGRAM:
        phrase = '"' + text.replace('"', '""') + '"'
        query = query.select_from(ORDERS.join(_SEARCH, _SEARCH.c.rowid == ORDERS.c.id)).where(
            literal_column("order_search").op("MATCH")(phrase)
        )
        return query, _SEARCH.c.rowid
    return query.where(_text_matches(text)), ORDERS.c.id


def order_rows(
    session: Session, filters: OrderFilters, *, before: int | None, limit: int, now: datetime
) -> list[OrderRecord]:
    """Up to ``limit`` orders under the filters with an id below ``before``, newest first."""
    query = select(ORDERS)
    if before is not None:
        query = query.where(ORDERS.c.id < before)
    open_states = (OrderState.OPEN.value, OrderState.AT_RISK.value)
    if filters.states:
        clauses: list[ColumnElement[bool]] = []
        for state in filters.states:
            if state == "late":
                clauses.append(ORDERS.c.state.in_(open_states) & (ORDERS.c.promised_at < now))
            elif state in open_states:
                clauses.append((ORDERS.c.state == state) & (ORDERS.c.promised_at >= now))
            else:
                clauses.append(ORDERS.c.state == state)
        query = query.where(or_(*clauses))
    if filters.at_risk is not None:
        risky = ORDERS.c.at_risk | (ORDERS.c.state.in_(open_states) & (ORDERS.c.promised_at < now))
        query = query.where(risky if filters.at_risk else ~risky)
    current = [s.value for s in CURRENT]
    if filters.department or filters.stage:
        sub = select(STAGES.c.id).where(STAGES.c.order_id == ORDERS.c.id, STAGES.c.status.in_(current))
        if filters.department:
            sub = sub.where(STAGES.c.department == filters.department)
        if filters.stage:
            sub = sub.where(STAGES.c.key == filters.stage)
        query = query.where(exists(sub))
    conn = session.connection()
    newest_first: ColumnElement[Any] = ORDERS.c.id
    if filters.text:
        query, newest_first = _searched(query, filters.text, conn.dialect.name)
    rows = conn.execute(query.order_by(newest_first.desc()).limit(limit)).mappings()
    return [order_from_row(r) for r in rows]


_CURRENT_STAGES = (
    select(STAGES.c.order_id, STAGES.c.key)
    .where(
        STAGES.c.order_id.in_(bindparam("ids", expanding=True)),
        STAGES.c.status.in_([s.value for s in CURRENT]),
    )
    .order_by(STAGES.c.order_id, STAGES.c.position)
)


def current_stage_keys(session: Session, order_ids: Sequence[int]) -> dict[int, list[str]]:
    """The keys of each order's current stages, in the flow's order; every id is a key."""
    # Only the keys of the current stages: reading whole stage rows (nine timestamps each)
    # cost more than the rest of a list request.
    currents: dict[int, list[str]] = {i: [] for i in order_ids}
    if order_ids:
        for order_id, key in session.connection().execute(_CURRENT_STAGES, {"ids": list(order_ids)}):
            currents[order_id].append(key)
    return currents


def references_taken(session: Session, references: Sequence[str]) -> set[str]:
    """Which of these references an order already has (one query; the caller keeps it short)."""
    query = select(ORDERS.c.reference).where(ORDERS.c.reference.in_(references))
    return set(session.connection().execute(query).scalars())
