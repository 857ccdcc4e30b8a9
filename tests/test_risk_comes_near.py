"""Far from its promise an order whose likely finish is only just past it is not flagged yet;
when the promise comes near, the sweeper flags it by time alone, with one event."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from app.domain.order_state import RISK_HORIZON_MINUTES
from tests.estimates_support import events_of, quick_flow, sweep
from tests.support import Api


def test_the_sweeper_flags_an_order_when_its_promise_comes_near(api: Api, client: TestClient) -> None:
    quick_flow(api, minutes=(60, 60))
    api.create_order(flow="quick", promise_in=timedelta(hours=40))
    start = api.clock.now()
    # The work ends in 40 h, say the workshop; shipping takes an hour more: one hour past the
    # promise, with some ten hours of doubt either way.
    view = api.update("SO-1042", "work", status="in_progress", expected_finish_at=start + timedelta(hours=40))
    assert view["eta"]["minutes_past_promise"] == 60
    assert view["at_risk"] is False
    assert events_of(api, "SO-1042", "order.at_risk") == []

    # Time passes with no word; still far: nothing.
    api.clock.advance(timedelta(hours=30))
    sweep(client)
    assert api.order("SO-1042")["at_risk"] is False

    # The promise comes near (within the horizon): the same estimate is now a risk to tell.
    api.clock.set(start + timedelta(hours=40) - timedelta(minutes=RISK_HORIZON_MINUTES - 30))
    sweep(client)
    sweep(client)
    order = api.order("SO-1042")
    assert order["at_risk"] is True
    assert order["state"] == "at_risk"
    [event] = events_of(api, "SO-1042", "order.at_risk")
    assert event["data"]["actor"] == "system:sweeper"
