"""Records are made from the tables: the same fields, the model's defaults, and they know what
changed since they were loaded, so saving writes that and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Table

from app.config import Settings
from app.db import Database
from app.models.access import ApiKey
from app.models.desk import Acknowledgement
from app.models.idempotency import IdempotencyRecord
from app.models.order import Order, OrderStage
from app.repositories.acknowledgements import AckRecord
from app.repositories.idempotency import KeptAnswer
from app.repositories.keys import KeyRecord
from app.repositories.orders import OrderRecord, StageRecord, fetch_order, save
from tests.test_statements import _new_order

NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("record", "model"),
    [
        (OrderRecord, Order),
        (StageRecord, OrderStage),
        (KeyRecord, ApiKey),
        (AckRecord, Acknowledgement),
        (KeptAnswer, IdempotencyRecord),
    ],
)
def test_a_record_has_exactly_its_tables_columns(record: type, model: type) -> None:
    table: Table = model.__table__  # type: ignore[attr-defined]
    assert record.names == tuple(c.key for c in table.columns)  # type: ignore[attr-defined]
    assert record.table is table  # type: ignore[attr-defined]


def test_a_record_takes_the_models_defaults_and_refuses_what_the_table_lacks() -> None:
    stage = StageRecord(
        id=None, order_id=1, key="assembly", name="Assembly", department="assembly", position=0,
        depends_on=[], status="ready", planned_minutes=60, updated_at=NOW,
    )  # fmt: skip
    assert stage.reason is None
    assert stage.started_at is None
    assert stage.planned_amount is None
    order, _ = _new_order("SO-1")
    assert order.eta_basis == "plan"
    with pytest.raises(TypeError, match="colour"):
        StageRecord(id=None, colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="order_id"):
        StageRecord(id=None)  # type: ignore[call-arg]


def test_a_record_knows_what_changed_since_it_was_stored() -> None:
    _, (stage, _) = _new_order("SO-1")
    with pytest.raises(RuntimeError, match="not loaded for a change"):
        stage.changes()  # type: ignore[attr-defined]
    stage.mark_stored()  # type: ignore[attr-defined]
    assert stage.changes() == {}  # type: ignore[attr-defined]
    stage.status = "in_progress"
    stage.status = "in_progress"
    stage.name = stage.name  # the same value is no change
    stage.depends_on.append("finance")  # a list changed in place is a change
    assert stage.changes() == {"status": "in_progress", "depends_on": ["finance"]}  # type: ignore[attr-defined]
    stage.mark_stored()  # type: ignore[attr-defined]
    assert stage.changes() == {}  # type: ignore[attr-defined]


def test_only_records_loaded_for_a_change_are_saved(database_url: str) -> None:
    db = Database(Settings(database_url=database_url, gc_tuning=False, _env_file=None))  # type: ignore[call-arg]
    try:
        from app.repositories.orders import insert_order

        order, stages = _new_order("SO-REPO-1")
        with db.write_session() as session, session.begin():
            insert_order(session, order, stages)
        with db.write_session() as session, session.begin():
            seen, seen_stages = fetch_order(session, "SO-REPO-1")
            seen.customer_name = "Someone else"
            with pytest.raises(RuntimeError, match="lock=True"):
                save(session, seen, seen_stages)
        with db.write_session() as session, session.begin():
            locked, locked_stages = fetch_order(session, "SO-REPO-1", lock=True)
            locked.customer_name = "Toko Baru"
            save(session, locked, locked_stages)
            # Saved: nothing is left to write.
            assert locked.changes() == {}  # type: ignore[attr-defined]
        with db.read_session() as session:
            assert fetch_order(session, "SO-REPO-1")[0].customer_name == "Toko Baru"
    finally:
        db.dispose()
