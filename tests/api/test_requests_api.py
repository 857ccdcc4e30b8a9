"""Requests from the desk: an agent asks, each department concerned answers, and a change stays
open until the last one has."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.estimates_support import sweep
from tests.support import Api, bearer
from tests.webhook_receiver import Receiver
from tests.webhook_support import settle, subscribe


def ask(api: Api, reference: str = "SO-1042", expect: int = 201, **body: Any) -> dict[str, Any]:
    response = api.post(f"/v1/orders/{reference}/requests", body)
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


def answer(
    api: Api, request_id: int, key: str, reference: str = "SO-1042", expect: int = 200, **body: Any
) -> dict[str, Any]:
    response = api.post(f"/v1/orders/{reference}/requests/{request_id}/answer", body, key=key)
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


def listed(api: Api, key: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get("/v1/requests", key=key, params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_change_reaches_every_stage_not_done_and_stays_open_until_the_last_answers(
    api: Api, client: TestClient
) -> None:
    api.create_order()
    api.update("SO-1042", "assembly", status="in_progress")
    api.update("SO-1042", "assembly", status="done")
    answer_by = api.clock.now() + timedelta(hours=4)
    opened = ask(
        api, kind="change", text="  Deliver to the branch office instead  ", answer_by=answer_by.isoformat()
    )
    assert opened["state"] == "open"
    assert opened["text"] == "Deliver to the branch office instead"
    assert [s["stage"] for s in opened["stages"]] == ["finance", "shipping"]

    # Each department sees it, and only its own.
    assert [r["id"] for r in listed(api, api.keys.finance)] == [opened["id"]]
    assert [r["id"] for r in listed(api, api.keys.shipping, state="open")] == [opened["id"]]
    assert listed(api, api.keys.assembly) == []
    refused = api.get("/v1/requests", key=api.keys.assembly, params={"department": "shipping"})
    assert refused.status_code == 403

    # The shipping technician cannot answer for finance.
    answer(api, opened["id"], api.keys.shipping, stage="finance", text="ok", outcome="accepted", expect=403)

    after_finance = answer(api, opened["id"], api.keys.finance, text="No extra charge", outcome="accepted")
    assert after_finance["state"] == "open"
    assert {s["stage"]: s["answered"] for s in after_finance["stages"]} == {
        "finance": True,
        "shipping": False,
    }
    assert listed(api, api.keys.agent, state="open")[0]["id"] == opened["id"]

    closed = answer(
        api, opened["id"], api.keys.shipping, text="Branch is on our route Thursday", outcome="accepted"
    )
    assert closed["state"] == "answered"
    assert closed["answered_at"] is not None
    assert [s["answered_by_name"] for s in closed["stages"]] == [
        "test technician finance",
        "test technician shipping",
    ]
    assert listed(api, api.keys.agent, state="open") == []

    events = api.events(order="SO-1042")
    opened_events = [e for e in events if e["type"] == "request.opened"]
    assert sorted(e["data"]["department"] for e in opened_events) == ["finance", "shipping"]
    answered = [e for e in events if e["type"] == "request.answered"]
    assert [(e["data"]["department"], e["data"]["request_state"]) for e in answered] == [
        ("finance", "open"),
        ("shipping", "answered"),
    ]
    assert answered[0]["data"]["waiting_on"] == ["shipping"]
    timeline = api.get("/v1/orders/SO-1042/timeline").json()["items"]
    assert {"request.opened", "request.answered"} <= {e["type"] for e in timeline}


def test_bad_requests_and_answers_change_nothing(api: Api) -> None:
    api.create_order()
    before = api.events(order="SO-1042")
    future = (api.clock.now() + timedelta(hours=1)).isoformat()
    past = (api.clock.now() - timedelta(minutes=1)).isoformat()
    cases = [
        ({"kind": "wish", "text": "faster?"}, 422, "kind"),
        ({"kind": "question", "text": "   "}, 422, "text"),
        ({"kind": "question", "text": "faster?", "answer_by": past}, 422, "answer_by"),
        ({"kind": "question", "text": "faster?", "stage": "painting"}, 422, "stage"),
        ({"kind": "question", "text": "faster?", "answer_by": "2026-12-01T10:00:00"}, 422, "answer_by"),
    ]
    for body, status, field in cases:
        problem = ask(api, expect=status, **body)
        assert problem["status"] == status
        assert field in str(problem), problem
    assert ask(api, "SO-404", expect=404, kind="question", text="faster?")["status"] == 404
    technician = api.post(
        "/v1/orders/SO-1042/requests", {"kind": "question", "text": "x"}, key=api.keys.technician
    )
    assert technician.status_code == 403
    assert api.events(order="SO-1042") == before
    assert listed(api, api.keys.admin) == []

    question = ask(api, kind="question", text="Can it be faster?", stage="assembly", answer_by=future)
    # A question is answered with words; an outcome is for a change.
    answer(api, question["id"], api.keys.assembly, text="maybe", outcome="accepted", expect=422)
    answer(api, question["id"], api.keys.assembly, text="", expect=422)
    answer(api, question["id"], api.keys.finance, text="not ours", expect=403)
    answer(api, question["id"], api.keys.assembly, reference="SO-404", text="x", expect=404)
    answer(api, 99999, api.keys.assembly, text="x", expect=404)
    done = answer(api, question["id"], api.keys.assembly, text="Yes, by Thursday")
    assert done["state"] == "answered"
    count = len(api.events(order="SO-1042"))
    again = answer(api, question["id"], api.keys.assembly, text="Actually Friday", expect=409)
    assert "already answered" in again["detail"]
    assert len(api.events(order="SO-1042")) == count

    change = ask(api, kind="change", text="Blue instead of red", stage="assembly")
    missing = answer(api, change["id"], api.keys.assembly, text="fine", expect=422)
    assert "accepted or refused" in missing["detail"]
    refused = answer(api, change["id"], api.keys.assembly, text="Already painted", outcome="refused")
    assert refused["stages"][0]["outcome"] == "refused"


def test_an_unanswered_request_is_overdue_once(api: Api, client: TestClient) -> None:
    api.create_order()
    request = ask(
        api,
        kind="question",
        text="Can it be faster?",
        answer_by=(api.clock.now() + timedelta(hours=2)).isoformat(),
    )
    answer(api, request["id"], api.keys.assembly, text="No", stage="assembly")
    api.clock.advance(timedelta(hours=1))
    sweep(client)
    assert not [e for e in api.events(order="SO-1042") if e["type"] == "request.overdue"]

    api.clock.advance(timedelta(hours=2))
    assert sweep(client).requests == 1
    assert sweep(client).requests == 0
    overdue = [e for e in api.events(order="SO-1042") if e["type"] == "request.overdue"]
    # Only the departments that have not answered hear of it.
    assert sorted(e["data"]["department"] for e in overdue) == ["finance", "shipping"]
    assert overdue[0]["data"]["minutes_overdue"] == 60
    assert listed(api, api.keys.agent)[0]["overdue"] is True


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_requests_reach_webhooks_filtered_by_department(
    api: Api, client: TestClient, receiver: Receiver
) -> None:
    subscribe(api, receiver, event_types=["request.*"], departments=["shipping"])
    api.create_order()
    request = ask(api, kind="change", text="Deliver to the branch office")
    answer(api, request["id"], api.keys.shipping, text="Will do", outcome="accepted")
    settle(client)
    got = [(r.payload["type"], r.payload["data"]["department"]) for r in receiver.received]
    assert got == [("request.opened", "shipping"), ("request.answered", "shipping")]


def test_an_idempotent_retry_opens_one_request(api: Api) -> None:
    api.create_order()
    body = {"kind": "question", "text": "Can it be faster?"}
    headers = {**bearer(api.keys.agent), "Idempotency-Key": "ask-1"}
    first: httpx.Response = api.client.post("/v1/orders/SO-1042/requests", json=body, headers=headers)
    second: httpx.Response = api.client.post("/v1/orders/SO-1042/requests", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert len(listed(api, api.keys.agent)) == 1
