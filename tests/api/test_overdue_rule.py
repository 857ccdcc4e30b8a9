"""One rule for "overdue": the status view, /v1/queues, the desk's Overdue column and the sweeper
name the same stages, whichever deadline the stage passed in silence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.main import create_app
from tests.desk_support import over_http, sign_in
from tests.estimates_support import events_of, quick_flow, sweep
from tests.support import Api, make_keys


@pytest.fixture
def desk(settings: Settings, clock: ManualClock) -> Iterator[TestClient]:
    with TestClient(create_app(over_http(settings), clock=clock), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def desk_api(desk: TestClient, clock: ManualClock) -> Api:
    return Api(desk, make_keys(desk.app.state.ctx), clock)  # type: ignore[attr-defined]


def _overdue_in_view(api: Api, references: list[str]) -> set[str]:
    return {r for r in references if any(s["overdue"] for s in api.order(r)["stages"])}


def _overdue_in_queue(api: Api) -> set[str]:
    response = api.get("/v1/queues")
    assert response.status_code == 200, response.text
    return {item["order"]["reference"] for item in response.json()["overdue"]}


def _overdue_on_desk(desk: TestClient) -> set[str]:
    html = desk.get("/desk").text
    section = html[html.index('id="queue-overdue"') :]
    section = section[: section.index("</section>")]
    return set(re.findall(r"SO-[A-Z0-9-]+", section))


def test_the_status_view_the_queue_the_desk_and_the_sweeper_agree(desk: TestClient, desk_api: Api) -> None:
    api = desk_api
    quick_flow(api, "solo", (480,))
    # Silent past the plan's latest finish: no word promised, no revision, just nothing heard.
    api.create_order("SO-SILENT", flow="solo", promise_in=timedelta(days=5))
    # Silent past a promised word.
    api.create_order("SO-NO-WORD", flow="solo", promise_in=timedelta(days=5))
    api.update(
        "SO-NO-WORD", "work", status="in_progress", next_update_by=api.clock.now() + timedelta(hours=2)
    )
    # Silent past the technician's own revised finish.
    api.create_order("SO-REVISED", flow="solo", promise_in=timedelta(days=5))
    api.update("SO-REVISED", "work", remaining_minutes=180)
    # Has spoken recently: not overdue.
    api.create_order("SO-TALKING", flow="solo", promise_in=timedelta(days=5))
    references = ["SO-SILENT", "SO-NO-WORD", "SO-REVISED", "SO-TALKING"]

    api.clock.advance(timedelta(hours=15))
    api.update(
        "SO-TALKING",
        "work",
        status="in_progress",
        remaining_minutes=240,
        next_update_by=api.clock.now() + timedelta(hours=4),
    )
    api.clock.advance(timedelta(hours=2, minutes=30))

    expected = {"SO-SILENT", "SO-NO-WORD", "SO-REVISED"}
    assert _overdue_in_view(api, references) == expected
    assert _overdue_in_queue(api) == expected
    sign_in(desk, api.keys.agent)
    assert _overdue_on_desk(desk) == expected
    sweep(desk)
    assert {r for r in references if events_of(api, r, "stage.overdue")} == expected
    # The sweep reported them; they stay overdue everywhere until the stage speaks.
    assert _overdue_in_queue(api) == expected
    api.update("SO-SILENT", "work", status="in_progress", remaining_minutes=60)
    assert _overdue_in_view(api, references) == _overdue_in_queue(api) == expected - {"SO-SILENT"}


def test_the_queue_follows_the_learned_duration_as_the_status_view_does(api: Api) -> None:
    # Twenty stages that each took an hour: the learned latest finish is far before the plan's.
    quick_flow(api, "solo", (480,))
    for index in range(20):
        api.create_order(f"SO-{index}", flow="solo", promise_in=timedelta(days=5))
        api.clock.advance(timedelta(hours=1))
        api.update(f"SO-{index}", "work", status="in_progress")
        api.update(f"SO-{index}", "work", status="done")
    api.create_order("SO-LEARNED", flow="solo", promise_in=timedelta(days=5))
    api.clock.advance(timedelta(hours=3))
    view = api.order("SO-LEARNED")
    assert view["stages"][0]["estimate_basis"] == "learned"
    assert view["stages"][0]["overdue"] is True
    assert "SO-LEARNED" in _overdue_in_queue(api)
