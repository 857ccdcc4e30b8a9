"""The orders repository's reads and claims that the use cases call: what they find, on both
databases (the use cases themselves are tested through the API)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Table

from app.config import Settings
from app.db import Database
from app.models.ledger import EstimateRevision
from app.repositories.orders import (
    LedgerRecord,
    fetch_order,
    insert_ledger,
    insert_order,
    ledger_of,
    order_id_of,
    reference_of,
    save,
)
from app.repositories.orders.lists import OrderFilters, current_stage_keys, order_rows, references_taken
from app.repositories.orders.recheck import anything_due, due_orders, mark_overdue
from tests.test_statements import NOW, _new_order


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(Settings(database_url=database_url, gc_tuning=False, _env_file=None))  # type: ignore[call-arg]
    try:
        yield database
    finally:
        database.dispose()


def _add(db: Database, *references: str, recheck_at: datetime | None = None) -> list[int]:
    ids = []
    with db.write_session() as session, session.begin():
        for reference in references:
            order, stages = _new_order(reference)
            order.recheck_at = recheck_at
            insert_order(session, order, stages)
            assert order.id is not None
            ids.append(order.id)
    return ids


def test_a_ledger_record_has_exactly_its_tables_columns() -> None:
    table: Table = EstimateRevision.__table__  # type: ignore[attr-defined]
    assert LedgerRecord.names == tuple(c.key for c in table.columns)  # type: ignore[attr-defined]


def test_an_order_is_found_by_reference_and_back(db: Database) -> None:
    (order_id,) = _add(db, "SO-READ-1")
    with db.read_session() as session:
        assert order_id_of(session, "SO-READ-1") == order_id
        assert order_id_of(session, "SO-NONE") is None
        assert reference_of(session, order_id) == "SO-READ-1"
        assert references_taken(session, ["SO-READ-1", "SO-NONE"]) == {"SO-READ-1"}
        assert references_taken(session, []) == set()


def test_a_page_of_the_list_is_newest_first_with_its_current_stages(db: Database) -> None:
    first, second, third = _add(db, "SO-LIST-1", "SO-LIST-2", "SO-LIST-3")
    with db.read_session() as session:
        rows = order_rows(session, OrderFilters(), before=None, limit=2, now=NOW)
        assert [r.id for r in rows] == [third, second]
        rows = order_rows(session, OrderFilters(), before=second, limit=2, now=NOW)
        assert [r.id for r in rows] == [first]
        by_department = order_rows(
            session, OrderFilters(department="assembly"), before=None, limit=5, now=NOW
        )
        assert [r.id for r in by_department] == [third, second, first]
        assert order_rows(session, OrderFilters(department="finance"), before=None, limit=5, now=NOW) == []
        assert current_stage_keys(session, [first, second]) == {first: ["assembly"], second: ["assembly"]}
        assert current_stage_keys(session, []) == {}


def test_the_ledger_is_read_in_either_order(db: Database) -> None:
    (order_id,) = _add(db, "SO-LEDGER-1")
    entry = {
        "order_id": order_id, "event_id": None, "at": NOW, "kind": "eta", "stage_key": "assembly",
        "reason": None, "actor": "tech", "previous_at": NOW, "new_at": NOW + timedelta(hours=1),
        "previous_amount": None, "new_amount": None, "delta_minutes": 60, "delta_amount": None,
        "crossed_promise": None, "promised_at": NOW, "significant": False,
    }  # fmt: skip
    with db.write_session() as session, session.begin():
        insert_ledger(session, [entry, {**entry, "delta_minutes": 30}])
    with db.read_session() as session:
        assert [e.delta_minutes for e in ledger_of(session, order_id)] == [60, 30]
        assert [e.delta_minutes for e in ledger_of(session, order_id, newest_first=True)] == [30, 60]


def test_the_sweep_finds_due_orders_and_claims_a_lapse_once(db: Database) -> None:
    due, _ = _add(db, "SO-DUE-1", "SO-DUE-2", recheck_at=NOW)
    with db.write_session() as session, session.begin():
        order, stages = fetch_order(session, "SO-DUE-2", lock=True)
        order.recheck_at = NOW + timedelta(days=1)
        save(session, order, stages)
    with db.read_session() as session:
        assert due_orders(session, NOW, 10) == [due]
        assert anything_due(session, NOW)
        assert not anything_due(session, NOW - timedelta(seconds=1))
    deadline = NOW - timedelta(minutes=5)
    with db.write_session() as session, session.begin():
        _, stages = fetch_order(session, "SO-DUE-1")
        assert mark_overdue(session, stages[0], deadline)
        assert stages[0].overdue_for == deadline
    with db.write_session() as session, session.begin():
        _, stages = fetch_order(session, "SO-DUE-1")
        stages[0].overdue_for = None
        # Already reported: the claim fails and the record learns what the row holds.
        assert not mark_overdue(session, stages[0], deadline)
        assert stages[0].overdue_for == deadline
