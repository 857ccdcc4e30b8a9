"""The repositories' fast way of running statements (app/repositories/statements.py) stores and
reads exactly what SQLAlchemy's session does, and on PostgreSQL holds back what needs no answer
until the next read, without losing or reordering it.

Each check runs both ways against the same real database: prepared on the driver's cursor (the
default) and through ``session.execute`` (``NEXTDESK_PREPARED_STATEMENTS=false``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from app.config import Settings
from app.db import Database
from app.pipeline import driver_of, queue_of
from app.repositories import idempotency as answers
from app.repositories.idempotency import KeptAnswer
from app.repositories.orders import ORDERS, OrderRecord, StageRecord, fetch_order, insert_order, save
from app.repositories.statements import run, run_together, write

NOW = datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=UTC)


def _settings(url: str, *, prepared: bool) -> Settings:
    return Settings(
        database_url=url,
        prepared_statements=prepared,
        gc_tuning=False,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def both(database_url: str) -> Iterator[dict[str, Database]]:
    """The same database opened both ways."""
    dbs = {
        "prepared": Database(_settings(database_url, prepared=True)),
        "plain": Database(_settings(database_url, prepared=False)),
    }
    try:
        yield dbs
    finally:
        for db in dbs.values():
            db.dispose()


def _new_order(reference: str) -> tuple[OrderRecord, list[StageRecord]]:
    order = OrderRecord(
        id=None,
        reference=reference,
        flow_key="standard",
        customer_name="Toko Maju",
        customer_contact=None,
        promised_at=NOW + timedelta(days=3),
        currency="IDR",
        quoted_amount=Decimal("1250000.50"),
        estimated_amount=Decimal("1250000.50"),
        actual_amount=Decimal("0"),
        state="open",
        at_risk=False,
        eta_likely_at=None,
        eta_latest_at=None,
        eta_basis="plan",
        recheck_at=None,
        cancel_reason=None,
        told_likely_at=None,
        told_amount=Decimal("1250000.50"),
        version=1,
        created_at=NOW,
        updated_at=NOW,
    )
    stages = [
        StageRecord(
            id=None,
            order_id=0,
            key=key,
            name=key.title(),
            department=key,
            position=position,
            depends_on=[] if position == 0 else ["assembly"],
            status="ready" if position == 0 else "pending",
            planned_minutes=60 * (position + 1),
            planned_amount=Decimal("100.25") if position == 0 else None,
            updated_at=NOW,
        )
        for position, key in enumerate(["assembly", "finance"])
    ]
    return order, stages


def _stored(session: Session, reference: str) -> tuple[dict[str, object], list[dict[str, object]]]:
    order, stages = fetch_order(session, reference)
    return _values(order), [_values(s) for s in stages]


def _values(record: object) -> dict[str, object]:
    return record.values()  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("writer", ["prepared", "plain"])
def test_both_ways_store_and_read_the_same_values(both: dict[str, Database], writer: str) -> None:
    """What one way writes, the other reads back the same: times (aware, to the microsecond),
    decimals, JSON lists, booleans; saving writes only what changed."""
    db = both[writer]
    order, stages = _new_order("SO-STMT-1")
    with db.write_session() as session, session.begin():
        insert_order(session, order, stages)
    with db.write_session() as session, session.begin():
        loaded, loaded_stages = fetch_order(session, "SO-STMT-1", lock=True)
        loaded.eta_likely_at = NOW + timedelta(hours=5, microseconds=7)
        loaded.estimated_amount = Decimal("1300000.75")
        loaded.at_risk = True
        loaded.version = 2
        loaded_stages[1].depends_on.append("extra")
        loaded_stages[0].status = "in_progress"
        loaded_stages[0].started_at = NOW
        save(session, loaded, loaded_stages)
        # Read back in the same transaction: what is held back goes before the read.
        again, again_stages = fetch_order(session, "SO-STMT-1")
        assert again.estimated_amount == Decimal("1300000.75")
        assert again_stages[1].depends_on == ["assembly", "extra"]

    seen = {}
    for way, other in both.items():
        with other.read_session() as session:
            seen[way] = _stored(session, "SO-STMT-1")
    assert seen["prepared"] == seen["plain"]
    order_values, stage_values = seen["prepared"]
    assert order_values["eta_likely_at"] == NOW + timedelta(hours=5, microseconds=7)
    assert order_values["promised_at"] == NOW + timedelta(days=3)
    assert order_values["estimated_amount"] == Decimal("1300000.75")
    assert order_values["quoted_amount"] == Decimal("1250000.50")
    assert order_values["at_risk"] is True
    assert order_values["version"] == 2
    assert [s["key"] for s in stage_values] == ["assembly", "finance"]
    assert stage_values[0]["status"] == "in_progress"
    assert stage_values[0]["started_at"] == NOW
    assert stage_values[0]["planned_amount"] == Decimal("100.25")
    assert stage_values[1]["depends_on"] == ["assembly", "extra"]
    assert stage_values[1]["finished_at"] is None


@pytest.mark.parametrize("writer", ["prepared", "plain"])
def test_both_ways_keep_and_find_an_answer(both: dict[str, Database], writer: str) -> None:
    blob = bytes(range(256)) * 3
    with both[writer].write_session() as session, session.begin():
        answers.insert_all(
            session,
            [
                KeptAnswer(
                    scope="key_1", key="k-1", fingerprint=b"\x00\xff" * 16, status_code=201, replay=blob,
                    created_at=NOW,
                )
            ],
        )  # fmt: skip
    for db in both.values():
        with db.write_session() as session, session.begin():
            found = answers.find(session, "key_1", "k-1")
            assert found is not None
            assert bytes(found.fingerprint) == b"\x00\xff" * 16
            assert bytes(found.replay) == blob
            assert found.status_code == 201
            assert found.created_at == NOW
            assert answers.find(session, "key_2", "k-1") is None


def test_reads_sent_together_answer_each_in_its_place(both: dict[str, Database]) -> None:
    order, stages = _new_order("SO-STMT-2")
    with both["prepared"].write_session() as session, session.begin():
        insert_order(session, order, stages)
    by_reference = select(ORDERS.c.id, ORDERS.c.version).where(ORDERS.c.reference == bindparam("reference"))
    for db in both.values():
        with db.write_session() as session, session.begin():
            first, missing, second = run_together(
                session,
                [
                    (by_reference, {"reference": "SO-STMT-2"}),
                    (by_reference, {"reference": "SO-NONE"}),
                    (by_reference, {"reference": "SO-STMT-2"}),
                ],
            )
            assert first == second == [{"id": order.id, "version": 1}]
            assert missing == []


_BUMP = (
    update(ORDERS).where(ORDERS.c.reference == bindparam("reference")).values(version=ORDERS.c.version + 1)
)
_VERSION = select(ORDERS.c.version).where(ORDERS.c.reference == bindparam("reference"))


def test_postgresql_holds_writes_back_until_the_next_read(both: dict[str, Database]) -> None:
    db = both["prepared"]
    if db.is_sqlite:
        pytest.skip("SQLite runs each statement at once: there is no round trip to save")
    order, stages = _new_order("SO-STMT-3")
    with db.write_session() as session, session.begin():
        insert_order(session, order, stages)
    with db.write_session() as session, session.begin():
        driver = driver_of(session)[0]
        write(session, _BUMP, {"reference": "SO-STMT-3"})
        write(session, _BUMP, {"reference": "SO-STMT-3"})
        queue = queue_of(driver)
        assert queue is not None
        assert len(queue) >= 2
        # The read goes after them, in the same round trip, and sees both.
        assert run(session, _VERSION, {"reference": "SO-STMT-3"}) == [{"version": 3}]
        assert queue_of(driver) == []
        # What is still held back at COMMIT goes with it.
        write(session, _BUMP, {"reference": "SO-STMT-3"})
    with db.read_session() as session:
        assert run(session, _VERSION, {"reference": "SO-STMT-3"}) == [{"version": 4}]


def test_a_rolled_back_savepoint_takes_its_held_back_writes_along(both: dict[str, Database]) -> None:
    """The writer's savepoint per use case: what a failed use case queued is never sent."""
    from app.pipeline import drop_queued, queued

    db = both["prepared"]
    order, stages = _new_order("SO-STMT-4")
    with db.write_session() as session, session.begin():
        insert_order(session, order, stages)
    with db.write_session() as session, session.begin():
        write(session, _BUMP, {"reference": "SO-STMT-4"})
        savepoint = session.begin_nested()
        # SQLAlchemy emits SAVEPOINT when the session's connection is next asked for.
        driver = session.connection().connection.driver_connection
        mark = queued(driver)
        write(session, _BUMP, {"reference": "SO-STMT-4"})
        drop_queued(driver, mark)
        savepoint.rollback()
        assert run(session, _VERSION, {"reference": "SO-STMT-4"}) == [{"version": 2}]
    with db.read_session() as session:
        assert run(session, _VERSION, {"reference": "SO-STMT-4"}) == [{"version": 2}]
