"""Orders made by the previous release keep working after the upgrade (SQLite and PostgreSQL):
the schema is taken back to the heads that release had, then migrated up again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.clock import ManualClock
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import alembic_config
from tests.support import Api, make_keys

#: One of the heads the previous release had: going down to it takes back what came after.
PREVIOUS_RELEASE = "0004_retention"


def _migrate(settings: Settings, to: str) -> None:
    engine = make_engine(settings, writer=True, pool=False)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            if to == "heads":
                command.upgrade(config, to)
            else:
                command.downgrade(config, to)
    finally:
        engine.dispose()


def _told(settings: Settings, reference: str) -> tuple[object, object]:
    engine = make_engine(settings, writer=True, pool=False)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT told_likely_at, told_amount FROM orders WHERE reference = :r"), {"r": reference}
            ).one()
    finally:
        engine.dispose()
    return row[0], row[1]


def test_orders_of_the_previous_release_keep_working_and_measure_news_against_what_was_told(
    settings: Settings, clock: ManualClock
) -> None:
    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client, make_keys(client.app.state.ctx), clock)  # type: ignore[attr-defined]
        first = api.create_order("SO-NEVER-TOLD", quoted="1000000.00")
        api.create_order("SO-TOLD", quoted="1000000.00")
        api.update("SO-TOLD", "assembly", status="in_progress")
        api.update("SO-TOLD", "assembly", cost_estimate={"amount": "30000.00", "currency": "IDR"})
        version = api.order("SO-TOLD")["version"]
        told = api.post("/v1/orders/SO-TOLD/acknowledgements", {"order_version": version, "channel": "phone"})
        assert told.status_code == 201, told.text

    _migrate(settings, PREVIOUS_RELEASE)
    _migrate(settings, "heads")

    # The first estimate and the quote for the order never told; the acknowledgement for the other.
    likely, amount = _told(settings, "SO-NEVER-TOLD")
    assert Decimal(str(amount)) == Decimal("1000000.00")
    assert likely is not None
    assert _told(settings, "SO-TOLD")[1] is not None
    assert Decimal(str(_told(settings, "SO-TOLD")[1])) == Decimal("1030000.00")

    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client, make_keys(client.app.state.ctx), clock)  # type: ignore[attr-defined]
        clock.advance(timedelta(minutes=5))
        assert api.order("SO-NEVER-TOLD")["eta"]["likely_at"] == first["eta"]["likely_at"]
        api.update("SO-NEVER-TOLD", "assembly", status="in_progress")
        # 3% more on top of what was told: not news; 6% is.
        api.update("SO-TOLD", "assembly", cost_estimate={"amount": "60000.00", "currency": "IDR"})
        queue = api.get("/v1/queues").json()["to_tell"]
        assert [item["order"]["reference"] for item in queue] == []
        api.update("SO-TOLD", "assembly", cost_estimate={"amount": "90000.00", "currency": "IDR"})
        queue = api.get("/v1/queues").json()["to_tell"]
        assert [item["order"]["reference"] for item in queue] == ["SO-TOLD"]
        api.create_order("SO-NEW")
        # The calendars every database starts with are there after the upgrade too.
        assert {c["key"] for c in api.get("/v1/calendars").json()} == {"default", "always"}
