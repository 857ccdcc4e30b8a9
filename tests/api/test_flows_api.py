from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.flows import REPAIR
from tests.support import Api


def test_fresh_database_has_the_standard_flow(api: Api) -> None:
    flow = api.get("/v1/flows/standard").json()
    assert [(s["key"], s["depends_on"]) for s in flow["stages"]] == [
        ("assembly", []),
        ("finance", ["assembly"]),
        ("shipping", ["finance"]),
    ]
    codes = {r["code"] for r in flow["reason_codes"]}
    assert {
        "waiting_parts",
        "rework",
        "payment_pending",
        "capacity",
        "carrier_delay",
        "customer_request",
        "other",
    } <= codes


def test_define_and_read_a_dag_flow(api: Api) -> None:
    created = api.define_flow(REPAIR).json()
    assert created["key"] == "repair"
    assert any(r["code"] == "awaiting_approval" and not r["standard"] for r in created["reason_codes"])
    assert api.get("/v1/flows/repair").json()["stages"][2]["planned_cost"] == {
        "amount": "0.00",
        "currency": "IDR",
    }
    assert [f["key"] for f in api.get("/v1/flows").json()] == ["repair", "standard"]


def _broken(mutate: Any) -> dict[str, Any]:
    body = copy.deepcopy(REPAIR)
    mutate(body)
    return body


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (_broken(lambda b: b["stages"][0].update(depends_on=["shipping"])), "cycle"),
        (_broken(lambda b: b["stages"][1].update(depends_on=["ghost"])), "unknown stage 'ghost'"),
        (_broken(lambda b: b["stages"][2].update(key="parts")), "duplicate stage key 'parts'"),
        (_broken(lambda b: b["texts"].update(nowhere={})), "unknown stage 'nowhere'"),
        (_broken(lambda b: b["stages"][0].update(planned_minutes=0)), "planned_minutes"),
    ],
)
def test_invalid_flows_are_refused_naming_the_problem(api: Api, body: dict[str, Any], named: str) -> None:
    response = api.define_flow(body, expect=422)
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert named in problem["detail"] or any(named in str(e) for e in problem.get("errors", []))
    assert api.get("/v1/flows/repair").status_code == 404


def test_a_flow_cannot_be_redefined(api: Api) -> None:
    api.define_flow(REPAIR)
    assert api.define_flow(REPAIR, expect=409).json()["status"] == 409
