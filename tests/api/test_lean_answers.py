"""``Prefer: return=minimal`` on stage updates: a receipt instead of the status view (RFC 7240)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.domain.access import SYSTEM
from app.models.order import StageUpdateIn
from app.services.stage_updates import apply_stage_update
from tests.support import Api

MINIMAL = {"Prefer": "return=minimal"}
UPDATES = "/v1/orders/SO-1042/stages/assembly/updates"


def _post(api: Api, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
    return api.post(UPDATES, body, key=api.keys.technician, headers=headers)


def test_a_minimal_update_answers_the_version_and_the_events_it_appended(api: Api) -> None:
    api.create_order()
    before = {e["id"] for e in api.events(order="SO-1042")}
    response = _post(api, {"status": "in_progress", "remaining_minutes": 600}, MINIMAL)
    assert response.status_code == 200
    assert response.headers["preference-applied"] == "return=minimal"
    receipt = response.json()
    view = api.order("SO-1042")
    appended = [e for e in api.events(order="SO-1042") if e["id"] not in before]
    assert receipt == {
        "reference": "SO-1042",
        "version": view["version"],
        "events": [int(e["id"]) for e in appended],
    }
    assert [e["type"] for e in appended][0] == "stage.started"
    assert response.headers["etag"] == f'"{view["version"]}"'
    assert view["stages"][0]["status"] == "in_progress"


def test_without_the_preference_the_answer_stays_the_status_view(api: Api) -> None:
    api.create_order()
    for headers in (None, {"Prefer": "return=representation"}, {"Prefer": "respond-async, wait=5"}):
        response = _post(api, {"internal_note": f"checked {headers}"}, headers)
        assert response.status_code == 200
        assert "preference-applied" not in response.headers
        assert response.json()["stages"][0]["internal_note"] == f"checked {headers}"


def test_the_preference_is_read_among_others_and_in_any_case(api: Api) -> None:
    api.create_order()
    response = _post(api, {"status": "in_progress"}, {"Prefer": 'respond-async, RETURN="Minimal"; x=1'})
    assert response.headers["preference-applied"] == "return=minimal"
    assert set(response.json()) == {"reference", "version", "events"}


def test_a_retried_minimal_update_gets_the_same_receipt_and_changes_nothing(api: Api) -> None:
    api.create_order()
    headers = {**MINIMAL, "Idempotency-Key": "lean-1"}
    first = _post(api, {"status": "in_progress"}, headers)
    events = api.events(order="SO-1042")
    again = _post(api, {"status": "in_progress"}, headers)
    assert again.status_code == 200
    assert again.headers["idempotency-replayed"] == "true"
    assert again.headers["preference-applied"] == "return=minimal"
    assert again.json() == first.json()
    assert first.json()["events"] == [int(e["id"]) for e in events][-len(first.json()["events"]) :]
    assert api.events(order="SO-1042") == events
    # The same key asking for the other shape of answer is another request.
    other = _post(api, {"status": "in_progress"}, {"Idempotency-Key": "lean-1"})
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]


def test_a_refused_minimal_update_is_the_usual_problem(api: Api) -> None:
    api.create_order()
    response = _post(api, {"status": "done"}, MINIMAL)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "preference-applied" not in response.headers


def test_receipts_of_updates_sharing_a_transaction_name_their_own_events(api: Api) -> None:
    """Events are numbered when the batch ends; each receipt still names exactly its own."""
    for n in range(3):
        api.create_order(f"SO-{n}")
    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]
    now = api.clock.now()
    body = StageUpdateIn(status="in_progress")

    async def together() -> list[Any]:
        return await asyncio.gather(
            *(
                ctx.writer.run(
                    lambda s, r=f"SO-{n}": apply_stage_update(
                        s, r, "assembly", body, SYSTEM, now, ctx.view, lean=True
                    )
                )
                for n in range(3)
            )
        )

    jobs = ctx.writer.jobs
    answers = api.client.portal.call(together)  # type: ignore[union-attr]
    assert ctx.writer.jobs == jobs + 3
    everything = api.events()
    for n, answer in enumerate(answers):
        receipt = answer.body()
        mine = [int(e["id"]) for e in everything if e["subject"] == f"SO-{n}"]
        assert receipt["events"] == mine[-len(receipt["events"]) :]
        assert {e["type"] for e in everything if int(e["id"]) in receipt["events"]} >= {"stage.started"}
