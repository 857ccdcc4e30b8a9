"""Silence is news: the sweeper raises stage.overdue once per lapse and turns orders at risk
when time alone endangers the promise, exactly once even with several replicas sweeping."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.main import create_app
from app.services.sweep import SweepReport
from tests.estimates_support import events_of, parse, quick_flow, sweep
from tests.support import Api


def test_a_missed_next_update_raises_one_overdue_event(api: Api, client: TestClient) -> None:
    api.create_order()
    promised_word = api.clock.now() + timedelta(hours=2)
    api.update("SO-1042", "assembly", status="in_progress", next_update_by=promised_word)

    api.clock.advance(timedelta(hours=1))
    assert sweep(client).overdue == 0
    assert api.order("SO-1042")["stages"][0]["overdue"] is False

    api.clock.advance(timedelta(hours=2))
    assert api.order("SO-1042")["stages"][0]["overdue"] is True
    assert sweep(client).overdue == 1
    assert sweep(client).overdue == 0
    api.clock.advance(timedelta(minutes=30))
    assert sweep(client).overdue == 0

    (event,) = events_of(api, "SO-1042", "stage.overdue")
    data = event["data"]
    assert (data["stage"], data["department"], data["missed"]) == ("assembly", "assembly", "next_update_by")
    assert parse(data["deadline"]) == promised_word
    assert data["minutes_overdue"] == 60
    assert data["actor"] == "system:sweeper"
    assert event["subject"] == "SO-1042"


def test_each_new_lapse_is_news_again(api: Api, client: TestClient) -> None:
    api.create_order()
    api.update(
        "SO-1042", "assembly", status="in_progress", next_update_by=api.clock.now() + timedelta(hours=1)
    )
    api.clock.advance(timedelta(hours=2))
    sweep(client)
    # The technician speaks, promises the next word in an hour, and goes quiet again.
    api.update(
        "SO-1042",
        "assembly",
        internal_note="still on it",
        next_update_by=api.clock.now() + timedelta(hours=1),
    )
    api.clock.advance(timedelta(hours=2))
    sweep(client)
    sweep(client)
    deadlines = [e["data"]["deadline"] for e in events_of(api, "SO-1042", "stage.overdue")]
    assert len(deadlines) == 2
    assert deadlines[0] != deadlines[1]


def test_a_stage_that_was_updated_is_not_overdue(api: Api, client: TestClient) -> None:
    api.create_order()
    api.update(
        "SO-1042", "assembly", status="in_progress", next_update_by=api.clock.now() + timedelta(hours=2)
    )
    api.clock.advance(timedelta(hours=1))
    # The promised word came early; no new deadline was given.
    view = api.update("SO-1042", "assembly", internal_note="casing fitted")
    assert view["stages"][0]["next_update_by"] is None
    api.clock.advance(timedelta(hours=3))
    assert sweep(client).overdue == 0
    assert events_of(api, "SO-1042", "stage.overdue") == []
    assert api.order("SO-1042")["stages"][0]["overdue"] is False


def test_running_past_the_latest_finish_in_silence_is_overdue(api: Api, client: TestClient) -> None:
    api.create_order(promise_in=timedelta(days=4))
    api.update("SO-1042", "assembly", status="in_progress")
    # Plan 8 h, so at the latest 16 h; at 15 h nothing to say, at 17 h the silence is news.
    api.clock.advance(timedelta(hours=15))
    assert sweep(client).overdue == 0
    api.clock.advance(timedelta(hours=2))
    assert sweep(client).overdue == 1
    (event,) = events_of(api, "SO-1042", "stage.overdue")
    assert event["data"]["missed"] == "expected_finish"


def test_a_lapse_that_endangers_the_promise_turns_the_order_at_risk(api: Api, client: TestClient) -> None:
    quick_flow(api, minutes=(60, 60))
    api.create_order(flow="quick", promise_in=timedelta(minutes=150))
    start = api.clock.now()
    api.update("SO-1042", "work", status="in_progress", expected_finish_at=start + timedelta(minutes=40))

    # The revised finish passes unmet: news, but the promise still holds (the model takes over).
    api.clock.set(start + timedelta(minutes=70))
    report = sweep(client)
    assert (report.overdue, report.changed) == (1, 1)
    view = api.order("SO-1042")
    assert view["at_risk"] is False
    assert view["eta"]["basis"] == "plan"
    assert events_of(api, "SO-1042", "order.at_risk") == []

    # Half an hour more of silence and the work alone now reaches past the promise.
    api.clock.set(start + timedelta(minutes=100))
    report = sweep(client)
    assert (report.overdue, report.changed) == (0, 1)
    (risk,) = events_of(api, "SO-1042", "order.at_risk")
    assert risk["data"]["stage"] == "work"
    assert risk["data"]["late"] is False
    assert api.order("SO-1042")["state"] == "at_risk"
    revised = events_of(api, "SO-1042", "estimate.revised")[-1]["data"]
    assert revised["crossed_promise"] == "behind"
    assert revised["actor"] == "system:sweeper"
    ledger = api.get("/v1/orders/SO-1042/estimates").json()["revisions"]
    assert ledger[-1]["kind"] == "eta"
    assert ledger[-1]["crossed_promise"] == "behind"
    assert sweep(client).changed == 0


def test_an_order_whose_promise_passes_turns_late_once(api: Api, client: TestClient) -> None:
    quick_flow(api, minutes=(60,))
    api.create_order(flow="quick", promise_in=timedelta(hours=3))
    promise = api.clock.now() + timedelta(hours=3)
    api.update("SO-1042", "work", status="in_progress", expected_finish_at=promise)
    assert api.order("SO-1042")["at_risk"] is False

    api.clock.set(promise + timedelta(minutes=1))
    sweep(client)
    sweep(client)
    (risk,) = events_of(api, "SO-1042", "order.at_risk")
    assert risk["data"]["late"] is True
    listed = api.get("/v1/orders", params={"at_risk": "true"}).json()["items"]
    assert [o["reference"] for o in listed] == ["SO-1042"]
    api.clock.advance(timedelta(hours=5))
    sweep(client)
    assert len(events_of(api, "SO-1042", "order.at_risk")) == 1


def test_finished_and_cancelled_orders_are_left_alone(api: Api, client: TestClient) -> None:
    quick_flow(api, minutes=(60,))
    api.create_order("SO-DONE", flow="quick", promise_in=timedelta(hours=3))
    api.update(
        "SO-DONE", "work", status="in_progress", next_update_by=api.clock.now() + timedelta(minutes=30)
    )
    api.update("SO-DONE", "work", status="done")
    api.clock.advance(timedelta(days=2))
    assert sweep(client) == SweepReport()
    assert [e["type"] for e in api.events(order="SO-DONE")][-1] == "order.completed"


def test_the_sweeper_runs_in_the_lifespan_on_the_app_clock(settings: Settings, clock: ManualClock) -> None:
    settings.sweep_interval_seconds = 0.05
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        ready = client.get("/readyz").json()
        assert ready["checks"]["sweeper"] == "ok"
        from tests.support import make_keys

        api = Api(client, make_keys(app.state.ctx), clock)
        api.create_order()
        api.update(
            "SO-1042", "assembly", status="in_progress", next_update_by=clock.now() + timedelta(hours=1)
        )
        clock.advance(timedelta(hours=2))
        deadline = time.monotonic() + 10
        while not events_of(api, "SO-1042", "stage.overdue") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(events_of(api, "SO-1042", "stage.overdue")) == 1


@pytest.fixture
def two_replicas(settings: Settings, clock: ManualClock) -> Iterator[tuple[TestClient, TestClient]]:
    """Two app instances on one database, as two replicas would be (their loops off: we sweep)."""
    settings.sweeper_enabled = False
    with ExitStack() as stack:
        first = stack.enter_context(TestClient(create_app(settings, clock=clock)))
        second = stack.enter_context(TestClient(create_app(settings, clock=clock)))
        yield first, second


def test_two_sweepers_at_once_raise_each_lapse_exactly_once(
    two_replicas: tuple[TestClient, TestClient], clock: ManualClock
) -> None:
    first, second = two_replicas
    from tests.support import make_keys

    api = Api(first, make_keys(first.app.state.ctx), clock)  # type: ignore[attr-defined]
    references = [f"SO-{n}" for n in range(12)]
    for reference in references:
        api.create_order(reference, promise_in=timedelta(hours=36))
        api.update(
            reference, "assembly", status="in_progress", next_update_by=clock.now() + timedelta(hours=1)
        )
    clock.advance(timedelta(hours=2))

    barrier = threading.Barrier(2)
    reports: list[SweepReport] = []

    def run(client: TestClient) -> None:
        barrier.wait()
        reports.append(sweep(client))

    threads = [threading.Thread(target=run, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(r.overdue for r in reports) == len(references)
    overdue = [e["subject"] for e in api.events(type="stage.overdue")]
    assert sorted(overdue) == sorted(references)
    assert sweep(first).overdue == 0
    assert sweep(second).overdue == 0
