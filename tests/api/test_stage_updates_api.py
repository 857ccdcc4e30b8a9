from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from app.domain.stage_machine import REQUESTABLE, TERMINAL, StageStatus
from tests.flows import REPAIR
from tests.support import Api, bearer

H = timedelta(hours=1)
S = StageStatus


def bring_assembly_to(api: Api, status: StageStatus) -> None:
    """Put the first stage of a fresh standard order into ``status`` through the API itself."""
    ref = "SO-1042"
    if status is S.PENDING:
        return  # finance is the pending stage; see stage_in()
    if status is S.CANCELLED:
        response = api.client.patch(
            f"/v1/orders/{ref}", json={"cancel": True}, headers={**bearer(api.keys.agent), "If-Match": '"1"'}
        )
        assert response.status_code == 200
        return
    path = {
        S.READY: [],
        S.IN_PROGRESS: ["in_progress"],
        S.BLOCKED: ["in_progress", "blocked"],
        S.DONE: ["in_progress", "done"],
        S.SKIPPED: ["skipped"],
    }[status]
    for step in path:
        extra = {"reason": "waiting_parts"} if step == "blocked" else {}
        api.update(ref, "assembly", status=step, **extra)


def stage_in(status: StageStatus) -> str:
    return "finance" if status is S.PENDING else "assembly"


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_every_transition_through_the_api(api: Api, current: StageStatus, target: StageStatus) -> None:
    api.create_order()
    bring_assembly_to(api, current)
    stage = stage_in(current)
    before = api.order("SO-1042")
    events_before = len(api.events(order="SO-1042"))
    extra = {"reason": "waiting_parts"} if target is S.BLOCKED else {}
    allowed = target in REQUESTABLE[current] or (target is current and current not in TERMINAL)
    if current is S.CANCELLED:
        allowed = False
    response = api.post(
        f"/v1/orders/SO-1042/stages/{stage}/updates",
        {"status": target.value, **extra},
        key=api.keys.technician,
    )
    if allowed:
        assert response.status_code == 200, response.text
        assert next(s for s in response.json()["stages"] if s["key"] == stage)["status"] == target.value
        return
    assert response.status_code == 409, response.text
    problem = response.json()
    assert current.value in problem["detail"]
    if current is not S.CANCELLED:
        assert problem["current_status"] == current.value
        assert problem["allowed"] == sorted(t.value for t in REQUESTABLE[current])
    assert api.order("SO-1042") == before
    assert len(api.events(order="SO-1042")) == events_before


def test_finishing_a_stage_readies_the_next_and_finishing_all_completes(api: Api) -> None:
    api.create_order()
    api.update("SO-1042", "assembly", status="in_progress")
    view = api.update("SO-1042", "assembly", status="done")
    assert view["current_stages"] == ["finance"]
    api.update("SO-1042", "finance", status="skipped")
    api.update("SO-1042", "shipping", status="in_progress")
    view = api.update("SO-1042", "shipping", status="done")
    assert view["state"] == "done"
    assert view["customer_message"]["en"] == "Your order is complete."
    types = api.event_types("SO-1042")
    assert [t for t in types if t != "estimate.revised"] == [
        "order.created",
        "stage.ready",
        "stage.started",
        "stage.completed",
        "stage.ready",
        "stage.skipped",
        "stage.ready",
        "stage.started",
        "stage.completed",
        "order.completed",
    ]
    # Finishing at once, well ahead of plan, brings the ETA forward: that too is news.
    early = api.events(order="SO-1042", type="estimate.revised")[0]["data"]
    assert early["stage"] == "assembly"
    assert early["delta_minutes"] == -8 * 60


def test_parallel_branches_only_the_critical_one_moves_the_eta(api: Api) -> None:
    api.define_flow(REPAIR)
    api.create_order("RP-1", flow="repair", promise_in=timedelta(days=5))
    api.update("RP-1", "diagnosis", status="in_progress")
    view = api.update("RP-1", "diagnosis", status="done")
    assert view["current_stages"] == ["parts", "quote"]
    eta = view["eta"]["likely_at"]
    assert view["eta"]["critical_path"] == ["parts", "repair", "shipping"]

    api.update("RP-1", "quote", status="in_progress")
    off_path = api.update("RP-1", "quote", remaining_minutes=600)
    assert off_path["eta"]["likely_at"] == eta
    revised = api.events(order="RP-1", type="estimate.revised")
    assert revised[-1]["data"]["stage"] == "quote"
    assert revised[-1]["data"]["delta_minutes"] == 0

    api.update("RP-1", "parts", status="in_progress")
    on_path = api.update("RP-1", "parts", remaining_minutes=2880 + 24 * 60)
    assert on_path["eta"]["likely_at"] > eta
    assert on_path["eta"]["basis"] == "revised"
    assert api.events(order="RP-1", type="estimate.revised")[-1]["data"]["delta_minutes"] == 24 * 60


def test_at_risk_turns_on_and_off_with_one_event_each_time(api: Api) -> None:
    api.create_order(promise_in=timedelta(hours=40))  # the plan needs 34 h
    api.update("SO-1042", "assembly", status="in_progress")

    def risk_events() -> list[str]:
        return [t for t in api.event_types("SO-1042") if t in ("order.at_risk", "order.back_on_track")]

    view = api.update(
        "SO-1042", "assembly", status="blocked", reason="waiting_parts", remaining_minutes=30 * 60
    )
    assert view["state"] == "at_risk"
    assert view["at_risk"] is True
    assert risk_events() == ["order.at_risk"]
    api.update("SO-1042", "assembly", remaining_minutes=31 * 60)  # still at risk: no second event
    assert risk_events() == ["order.at_risk"]
    view = api.update("SO-1042", "assembly", remaining_minutes=4 * 60)
    assert view["at_risk"] is False
    assert risk_events() == ["order.at_risk", "order.back_on_track"]
    api.update("SO-1042", "assembly", remaining_minutes=40 * 60)
    assert risk_events() == ["order.at_risk", "order.back_on_track", "order.at_risk"]
    at_risk = api.events(order="SO-1042", type="order.at_risk")[-1]
    assert at_risk["data"]["significant"] is True
    assert at_risk["data"]["at_risk"] is True


def test_revisions_carry_significance(api: Api) -> None:
    api.create_order(promise_in=timedelta(days=5))
    api.update("SO-1042", "assembly", status="in_progress")
    api.update("SO-1042", "assembly", remaining_minutes=8 * 60 + 30)  # 30 min later than plan
    api.update("SO-1042", "assembly", remaining_minutes=14 * 60)  # 5.5 h later
    eta_events = api.events(order="SO-1042", type="estimate.revised")
    assert [e["data"]["significant"] for e in eta_events] == [False, True]
    api.update("SO-1042", "assembly", cost_estimate={"amount": "10000.00", "currency": "IDR"})
    api.update("SO-1042", "assembly", cost_estimate={"amount": "200000.00", "currency": "IDR"})
    cost_events = api.events(order="SO-1042", type="cost.revised")
    assert [e["data"]["significant"] for e in cost_events] == [False, True]
    assert cost_events[-1]["data"]["estimated"] == "1450000.00"
    assert api.order("SO-1042")["cost"]["estimated"] == {"amount": "1450000.00", "currency": "IDR"}


def test_internal_notes_never_reach_the_customer_sentence(api: Api) -> None:
    api.create_order()
    api.update("SO-1042", "assembly", status="in_progress")
    view = api.update(
        "SO-1042",
        "assembly",
        status="blocked",
        reason="waiting_parts",
        internal_note="Supplier Budi Jaya owes us money",
        customer_note="A part is on its way.",
    )
    stage = view["stages"][0]
    assert stage["internal_note"] == "Supplier Budi Jaya owes us money"
    assert stage["reason_text"] == {"en": "Waiting for parts", "id": "Menunggu suku cadang"}
    assert "Budi" not in str(view["customer_message"])
    assert view["customer_message"]["en"].startswith("Your order is waiting for a part;")


def test_idempotent_retry_returns_the_first_response_and_changes_nothing(api: Api) -> None:
    api.create_order()
    headers = {"Idempotency-Key": "retry-1"}
    first = api.update("SO-1042", "assembly", status="in_progress", headers=headers)
    events = api.events(order="SO-1042")
    response = api.post(
        "/v1/orders/SO-1042/stages/assembly/updates",
        {"status": "in_progress"},
        key=api.keys.technician,
        headers=headers,
    )
    assert response.status_code == 200
    assert response.headers["idempotency-replayed"] == "true"
    assert response.json() == first
    assert api.events(order="SO-1042") == events
    other = api.post(
        "/v1/orders/SO-1042/stages/assembly/updates",
        {"status": "blocked", "reason": "rework"},
        key=api.keys.technician,
        headers=headers,
    )
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    assert api.order("SO-1042")["stages"][0]["status"] == "in_progress"


def test_idempotent_order_creation(api: Api) -> None:
    body = {
        "reference": "SO-7",
        "customer": {"name": "Toko"},
        "promised_at": "2026-11-30T12:00:00+07:00",
        "quoted_cost": {"amount": "10.00", "currency": "IDR"},
    }
    first = api.post("/v1/orders", body, headers={"Idempotency-Key": "create-7"})
    again = api.post("/v1/orders", body, headers={"Idempotency-Key": "create-7"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert [e["type"] for e in api.events(order="SO-7")].count("order.created") == 1


def test_expected_version_guards_against_stale_state(api: Api) -> None:
    api.create_order()
    api.update("SO-1042", "assembly", status="in_progress", expected_version=1)
    problem = api.update(
        "SO-1042", "assembly", status="blocked", reason="rework", expected_version=1, expect=412
    )
    assert problem["current_version"] == 2


@pytest.mark.parametrize(
    ("fields", "mentions"),
    [
        ({"status": "blocked"}, "needs a reason"),
        ({"reason": "gremlins"}, "unknown reason code 'gremlins'"),
        ({"cost_estimate": {"amount": "1.00", "currency": "USD"}}, "this order is in IDR"),
        ({"expected_finish_at": "2020-01-01T00:00:00Z"}, "in the past"),
        ({"expected_finish_at": "2027-01-01T00:00:00Z", "remaining_minutes": 5}, "not both"),
        ({}, "must change something"),
        ({"status": "exploded"}, "status"),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(
    api: Api, fields: dict[str, object], mentions: str
) -> None:
    api.create_order()
    api.update("SO-1042", "assembly", status="in_progress")
    before = api.order("SO-1042")
    problem = api.update("SO-1042", "assembly", expect=422, **fields)
    assert mentions in str(problem)
    assert api.order("SO-1042") == before


def test_unknown_order_or_stage_is_404(api: Api) -> None:
    api.create_order()
    assert "no order" in api.update("SO-404", "assembly", status="in_progress", expect=404)["detail"]
    assert (
        "assembly, finance, shipping"
        in api.update("SO-1042", "paint", status="in_progress", expect=404)["detail"]
    )
