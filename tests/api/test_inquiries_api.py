"""Inquiries and complaints, logged against the stage that made the customer call."""

from __future__ import annotations

from tests.support import Api


def log(api: Api, reference: str = "SO-1042", expect: int = 201, **fields: object) -> dict[str, object]:
    body = {"channel": "phone", "category": "inquiry", "text": "Where is my order?", **fields}
    response = api.post(f"/v1/orders/{reference}/inquiries", body)
    assert response.status_code == expect, response.text
    result: dict[str, object] = response.json()
    return result


def test_needs_an_agent(api: Api) -> None:
    api.create_order()
    body = {"channel": "phone", "category": "inquiry", "text": "?"}
    assert api.client.post("/v1/orders/SO-1042/inquiries", json=body).status_code == 401
    assert api.post("/v1/orders/SO-1042/inquiries", body, key=api.keys.viewer).status_code == 403
    assert api.post("/v1/orders/SO-1042/inquiries", body, key=api.keys.admin).status_code == 201


def test_is_attributed_to_the_current_stage_unless_told(api: Api) -> None:
    api.create_order()
    api.update("SO-1042", "assembly", status="in_progress")
    logged = log(api)
    assert logged["stage"] == "assembly"
    assert logged["department"] == "assembly"
    complaint = log(api, category="complaint", channel="chat", stage="shipping", text="Courier was rude")
    assert complaint["stage"] == "shipping"
    assert complaint["category"] == "complaint"

    events = api.events(order="SO-1042", type="inquiry.logged")
    assert [e["data"]["stage"] for e in events] == ["assembly", "shipping"]
    assert events[1]["data"]["text"] == "Courier was rude"
    assert events[1]["data"]["actor_name"] == "test agent"
    # The department filter of the log (and of the stream) finds it.
    assert [e["id"] for e in api.events(department="shipping", type="inquiry.logged")] == [events[1]["id"]]


def test_bad_input_is_refused_and_changes_nothing(api: Api) -> None:
    api.create_order()
    cases: list[tuple[dict[str, object], str]] = [
        ({"stage": "painting"}, "assembly, finance, shipping"),
        ({"category": "praise"}, "category"),
        ({"channel": "fax"}, "channel"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
    ]
    for fields, mentions in cases:
        problem = log(api, expect=422, **fields)
        assert mentions in str(problem), fields
    assert api.events(order="SO-1042", type="inquiry.logged") == []


def test_unknown_order(api: Api) -> None:
    problem = log(api, "SO-404", expect=404)
    assert "SO-404" in str(problem["detail"])
