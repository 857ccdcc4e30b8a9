"""Reports: which stage is slow, late, silent, and makes customers call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.events.append import NewEvent, append_events
from app.models.order import Order
from app.writer import run_use_case
from tests.support import Api

H = timedelta(hours=1)


def report(api: Api, kind: str, key: str | None = None, **params: str) -> dict[str, Any]:
    response = api.get(f"/v1/reports/{kind}", key=key, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def row(body: dict[str, Any], stage: str) -> dict[str, Any]:
    (found,) = [r for r in body["stages"] if r["stage"] == stage]
    return found


def assemble(api: Api, reference: str, hours: float) -> None:
    api.create_order(reference)
    api.update(reference, "assembly", status="in_progress")
    api.clock.advance(timedelta(hours=hours))
    api.update(reference, "assembly", status="done")


def overdue_lapse(client: TestClient, reference: str, stage: str, department: str) -> None:
    """A stage.overdue event, as the sweeper writes it when a stage goes silent."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    with ctx.db.read_session() as session:
        order_id = session.exec(select(Order.id).where(Order.reference == reference)).one()
    event = NewEvent(
        type="stage.overdue",
        subject=reference,
        order_id=order_id,
        department=department,
        data={"order": reference, "stage": stage, "department": department, "significant": True},
    )
    run_use_case(ctx.db, lambda session: append_events(session, [event], ctx.clock.now()))


def test_stage_durations_lateness_lapses_and_calls(api: Api) -> None:
    # Assembly is planned at 8 h; it took 6, 10 and 9 hours.
    assemble(api, "SO-1", 6)
    assemble(api, "SO-2", 10)
    assemble(api, "SO-3", 9)
    overdue_lapse(api.client, "SO-2", "finance", "finance")
    for text, category, stage in (
        ("Where is it?", "inquiry", "assembly"),
        ("Still waiting", "inquiry", "assembly"),
        ("This is the third call", "complaint", "assembly"),
        ("Paperwork lost", "complaint", "finance"),
    ):
        body = {"channel": "phone", "category": category, "text": text, "stage": stage}
        assert api.post("/v1/orders/SO-2/inquiries", body).status_code == 201

    stages = report(api, "stages")
    assembly = row(stages, "assembly")
    assert assembly["finished"] == 3
    assert assembly["median_minutes"] == 540.0
    assert assembly["p90_minutes"] == 588.0  # between 9 h and 10 h, as a spreadsheet's PERCENTILE says
    assert assembly["late"] == 2
    assert assembly["late_share"] == pytest.approx(2 / 3, abs=1e-3)
    assert (assembly["inquiries"], assembly["complaints"]) == (2, 1)
    finance = row(stages, "finance")
    assert finance["finished"] == 0
    assert finance["median_minutes"] is None
    assert finance["overdue_lapses"] == 1
    assert finance["complaints"] == 1
    shipping = row(stages, "shipping")
    assert (shipping["finished"], shipping["inquiries"], shipping["complaints"]) == (0, 0, 0)
    departments = {r["department"]: r for r in stages["departments"]}
    assert departments["assembly"]["finished"] == 3
    assert departments["finance"]["overdue_lapses"] == 1

    calls = report(api, "inquiries")
    assert (calls["total"], calls["inquiries"], calls["complaints"]) == (4, 2, 2)
    assert calls["channels"] == {"phone": 4}
    # The stage that makes customers call most comes first.
    assert [(r["stage"], r["total"]) for r in calls["stages"]] == [("assembly", 3), ("finance", 1)]
    assert calls["stages"][0]["share"] == 0.75


def test_the_period_chooses_what_counts(api: Api) -> None:
    assemble(api, "SO-1", 6)
    api.post("/v1/orders/SO-1/inquiries", {"channel": "chat", "category": "inquiry", "text": "?"})
    today = api.clock.now().date()
    before = report(
        api,
        "stages",
        **{"from": (today - timedelta(days=3)).isoformat(), "to": (today - timedelta(days=1)).isoformat()},
    )
    assert row(before, "assembly")["finished"] == 0
    assert report(api, "inquiries", to=(today - timedelta(days=1)).isoformat())["total"] == 0
    # A bare date "to" covers that whole day.
    assert report(api, "inquiries", to=today.isoformat())["total"] == 1
    window = report(
        api,
        "inquiries",
        **{"from": (api.clock.now() - H).isoformat(), "to": (api.clock.now() + H).isoformat()},
    )
    assert window["total"] == 1
    assert window["period"]["from"].endswith("Z")


def test_a_bad_period_is_refused_clearly(api: Api) -> None:
    cases: list[tuple[dict[str, str], str]] = [
        ({"from": "yesterday"}, "not a date"),
        ({"from": "2026-11-24T08:00:00"}, "time zone"),
        ({"from": "2026-11-25", "to": "2026-11-24"}, "before"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "at most"),
    ]
    for params, mentions in cases:
        for kind in ("stages", "inquiries"):
            response = api.get(f"/v1/reports/{kind}", params=params)
            assert response.status_code == 422
            assert mentions in response.json()["detail"]


def test_reports_are_for_agents_and_admins(api: Api) -> None:
    assert api.get("/v1/reports/stages", key=api.keys.admin).status_code == 200
    assert api.get("/v1/reports/stages", key=api.keys.viewer).status_code == 403
    assert api.get("/v1/reports/inquiries", key=api.keys.assembly).status_code == 403
    assert api.client.get("/v1/reports/inquiries").status_code == 401
