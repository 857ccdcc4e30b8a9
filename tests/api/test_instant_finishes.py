"""A flow whose stages finish the moment they become ready (an ERP closing them at once) keeps
taking orders: a learned duration of zero is a short duration, not a division by zero."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.main import create_app
from tests.estimates_support import parse
from tests.support import Api, make_keys

INSTANT = 20


def _finish_at_once(api: Api, reference: str) -> None:
    api.create_order(reference, promise_in=timedelta(days=5))
    api.update(reference, "assembly", status="in_progress")
    api.update(reference, "assembly", status="done")


def test_twenty_instant_finishes_leave_the_flow_taking_orders(api: Api) -> None:
    for index in range(INSTANT):
        _finish_at_once(api, f"SO-{index}")

    view = api.create_order("SO-AFTER")
    assembly = view["stages"][0]
    now = api.clock.now()
    assert assembly["estimate_basis"] == "learned"
    assert now <= parse(assembly["expected_finish_at"]) <= parse(assembly["latest_finish_at"])
    assert parse(view["eta"]["likely_at"]) <= parse(view["eta"]["latest_at"])
    # Time passing past the learned figure, and the stage running on, still reads.
    api.update("SO-AFTER", "assembly", status="in_progress")
    api.clock.advance(timedelta(hours=3))
    running = api.order("SO-AFTER")
    assert parse(running["stages"][0]["expected_finish_at"]) > api.clock.now()
    assert api.get("/v1/queues").status_code == 200


def test_orders_on_that_flow_still_work_after_a_restart(settings: Settings, clock: ManualClock) -> None:
    app = create_app(settings, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        api = Api(client, make_keys(client.app.state.ctx), clock)  # type: ignore[attr-defined]
        for index in range(INSTANT):
            _finish_at_once(api, f"SO-{index}")

    with TestClient(create_app(settings, clock=clock), raise_server_exceptions=False) as client:
        api = Api(client, make_keys(client.app.state.ctx), clock)  # type: ignore[attr-defined]
        api.create_order("SO-AFTER-RESTART")
        assert api.order("SO-AFTER-RESTART")["stages"][0]["estimate_basis"] == "learned"
