"""Learned durations: statistics kept as stages finish, replacing the plan once there are enough."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app.models.stats import StageStat
from app.services.durations import stage_stats
from tests.estimates_support import parse
from tests.support import Api

#: Minutes from ready to done for 20 assembly stages: 15 minutes in the queue, then the work.
QUEUE = 15
WORK = [300, 320, 340, 360, 380, 400, 410, 420, 430, 440, 450, 460, 480, 500, 520, 560, 600, 650, 700, 900]


def _finish_assembly(api: Api, reference: str, work: int) -> None:
    api.create_order(reference, promise_in=timedelta(days=5))
    api.clock.advance(timedelta(minutes=QUEUE))
    api.update(reference, "assembly", status="in_progress")
    api.clock.advance(timedelta(minutes=work))
    api.update(reference, "assembly", status="done")


def _stats(client: TestClient) -> list[StageStat]:
    with client.app.state.ctx.db.read_session() as session:  # type: ignore[attr-defined]
        return stage_stats(session, "standard")


def test_the_plan_gives_way_to_history_after_enough_finished_stages(api: Api, client: TestClient) -> None:
    durations = [QUEUE + w for w in WORK]
    for index, work in enumerate(WORK[:-1]):
        _finish_assembly(api, f"SO-{index}", work)
    fresh = api.create_order("SO-PLAN")
    assembly = fresh["stages"][0]
    assert (assembly["estimate_basis"], fresh["eta"]["basis"]) == ("plan", "plan")
    assert parse(assembly["expected_finish_at"]) == api.clock.now() + timedelta(minutes=480)

    _finish_assembly(api, "SO-19", WORK[-1])
    view = api.create_order("SO-LEARNED")
    assembly = view["stages"][0]
    now = api.clock.now()
    # Duration counts from ready to done: the queue is part of what the customer waits for.
    median = statistics.median(durations)
    p90 = statistics.quantiles(durations, n=10, method="inclusive")[8]
    assert assembly["estimate_basis"] == "learned"
    assert view["eta"]["basis"] == "learned"
    assert parse(assembly["expected_finish_at"]) == now + timedelta(minutes=median)
    assert parse(assembly["latest_finish_at"]) == now + timedelta(minutes=p90)
    # Finance and shipping have no history yet: their plan still stands.
    finance = view["stages"][1]
    assert finance["estimate_basis"] == "plan"
    assert parse(finance["expected_finish_at"]) == now + timedelta(minutes=median + 120)

    (row,) = _stats(client)
    assert (row.stage_key, row.reason, row.samples) == ("assembly", "", 20)
    assert sorted(row.recent) == sorted(float(d) for d in durations)


def test_a_technicians_revision_still_wins_over_history(api: Api) -> None:
    for index, work in enumerate(WORK):
        _finish_assembly(api, f"SO-{index}", work)
    api.create_order("SO-1042")
    api.update("SO-1042", "assembly", status="in_progress")
    revised = api.clock.now() + timedelta(hours=2)
    view = api.update("SO-1042", "assembly", expected_finish_at=revised)
    assert view["stages"][0]["estimate_basis"] == "revised"
    assert parse(view["stages"][0]["expected_finish_at"]) == revised
    assert view["eta"]["basis"] == "revised"


@pytest.fixture
def few_samples(settings: object) -> None:
    settings.learned_min_samples = 3  # type: ignore[attr-defined]


def test_a_stage_blocked_for_a_reason_uses_what_that_reason_took_before(
    few_samples: None, api: Api, client: TestClient
) -> None:
    # Three stages that waited for parts took about two days; three that did not, about 7 hours.
    for index in range(3):
        api.create_order(f"SO-P{index}", promise_in=timedelta(days=5))
        api.update(f"SO-P{index}", "assembly", status="in_progress")
        api.clock.advance(timedelta(hours=1))
        api.update(f"SO-P{index}", "assembly", status="blocked", reason="waiting_parts")
        api.clock.advance(timedelta(hours=46 + index))
        api.update(f"SO-P{index}", "assembly", status="in_progress")
        api.clock.advance(timedelta(hours=1))
        api.update(f"SO-P{index}", "assembly", status="done")
    for index in range(3):
        api.create_order(f"SO-Q{index}", promise_in=timedelta(days=5))
        api.update(f"SO-Q{index}", "assembly", status="in_progress")
        api.clock.advance(timedelta(hours=7))
        api.update(f"SO-Q{index}", "assembly", status="done")

    rows = {(r.reason, r.samples) for r in _stats(client)}
    assert rows == {("", 6), ("waiting_parts", 3)}

    ready = api.clock.now()
    api.create_order("SO-1042", promise_in=timedelta(days=5))
    api.update("SO-1042", "assembly", status="in_progress")
    view = api.update("SO-1042", "assembly", status="blocked", reason="waiting_parts")
    blocked = view["stages"][0]
    assert blocked["estimate_basis"] == "learned"
    assert parse(blocked["expected_finish_at"]) == ready + timedelta(hours=49)  # the median of 48, 49, 50
    api.clock.advance(timedelta(minutes=30))
    resumed = api.update("SO-1042", "assembly", status="in_progress")["stages"][0]
    # Working again: back to what all finished assemblies took (median of 7, 7, 7, 48, 49, 50 h).
    assert parse(resumed["expected_finish_at"]) == ready + timedelta(hours=27.5)


def test_skipped_and_cancelled_stages_teach_nothing(api: Api, client: TestClient) -> None:
    api.create_order("SO-1")
    api.update("SO-1", "assembly", status="in_progress")
    api.update("SO-1", "finance", status="skipped")
    api.create_order("SO-2")
    response = api.client.patch(
        "/v1/orders/SO-2",
        json={"cancel": True},
        headers={"Authorization": f"Bearer {api.keys.agent}", "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert _stats(client) == []
