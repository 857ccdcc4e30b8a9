"""The workbench without a browser: sign-in, the list's order, forms without script, and a resent
action acting once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.main import create_app
from tests.access_support import key_id
from tests.desk_support import csrf_of, over_http
from tests.support import Api, Keys, bearer, make_keys


@pytest.fixture
def bench(settings: Settings, clock: ManualClock) -> Iterator[TestClient]:
    app = create_app(over_http(settings), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def bench_keys(bench: TestClient) -> Keys:
    return make_keys(bench.app.state.ctx)  # type: ignore[attr-defined]


@pytest.fixture
def bench_api(bench: TestClient, bench_keys: Keys, clock: ManualClock) -> Api:
    return Api(bench, bench_keys, clock)


def sign_in(client: TestClient, key: str) -> httpx.Response:
    form = client.get("/workbench/sign-in")
    return client.post(
        "/workbench/sign-in",
        data={"key": key, "csrf": csrf_of(form.text), "next": "/workbench"},
        follow_redirects=False,
    )


def cards(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'data-order="([^"]+)" data-stage="([^"]+)" data-status="([^"]+)"', html)


def test_only_technicians_and_admins_sign_in_and_a_revoked_key_signs_out(
    bench: TestClient, bench_api: Api
) -> None:
    assert (
        bench.get("/workbench", follow_redirects=False).headers["location"].startswith("/workbench/sign-in")
    )
    for key in (bench_api.keys.agent, bench_api.keys.viewer, bench_api.keys.integration):
        refused = sign_in(bench, key)
        assert refused.status_code == 401
        assert "technician key" in refused.text
    assert sign_in(bench, "ndk_nobody").status_code == 401
    assert sign_in(bench, bench_api.keys.assembly).status_code == 303
    page = bench.get("/workbench")
    assert page.status_code == 200
    assert "Budi, assembly line 2" in page.text
    # The page's stream rides on the workbench's cookie.
    with bench.stream("GET", "/v1/stream") as stream:
        assert stream.status_code == 200

    ctx = bench.app.state.ctx  # type: ignore[attr-defined]
    revoked = bench.delete(
        f"/v1/keys/{key_id(ctx, bench_api.keys.assembly)}", headers=bearer(bench_api.keys.admin)
    )
    assert revoked.status_code == 200
    assert bench.get("/workbench", follow_redirects=False).status_code == 303
    assert bench.get("/workbench/live").status_code == 401


def test_the_list_puts_overdue_first_then_blocked_in_progress_ready(
    bench: TestClient, bench_api: Api, clock: ManualClock
) -> None:
    for reference in ("SO-1", "SO-2", "SO-3", "SO-4"):
        bench_api.create_order(reference)
    bench_api.update("SO-2", "assembly", status="in_progress")
    bench_api.update("SO-3", "assembly", status="in_progress")
    bench_api.update("SO-3", "assembly", status="blocked", reason="waiting_parts")
    bench_api.update(
        "SO-4", "assembly", status="in_progress", next_update_by=clock.now() + timedelta(hours=1)
    )
    clock.advance(timedelta(hours=2))
    sign_in(bench, bench_api.keys.assembly)
    listed = cards(bench.get("/workbench").text)
    assert listed == [
        ("SO-4", "assembly", "in_progress"),
        ("SO-3", "assembly", "blocked"),
        ("SO-2", "assembly", "in_progress"),
        ("SO-1", "assembly", "ready"),
    ]
    # Finance's technician sees none of assembly's stages.
    sign_in(bench, bench_api.keys.finance)
    assert cards(bench.get("/workbench").text) == []


def test_forms_work_without_script_and_need_their_token(bench: TestClient, bench_api: Api) -> None:
    bench_api.create_order()
    sign_in(bench, bench_api.keys.assembly)
    page = bench.get("/workbench").text
    csrf = csrf_of(page)
    url = "/workbench/orders/SO-1042/stages/assembly"
    assert bench.post(url, data={"action": "start"}, follow_redirects=False).status_code == 403
    assert bench_api.order("SO-1042")["stages"][0]["status"] == "ready"

    started = bench.post(
        url, data={"csrf": csrf, "action": "start", "next_update": "plus_4h"}, follow_redirects=False
    )
    assert started.status_code == 303
    assert "Started." in bench.get("/workbench").text
    stage = bench_api.order("SO-1042")["stages"][0]
    assert stage["status"] == "in_progress"
    assert stage["next_update_by"] is not None

    taken = bench.post(url, data={"csrf": csrf, "action": "take"}, follow_redirects=False)
    assert taken.status_code == 303
    assert bench_api.order("SO-1042")["stages"][0]["assignee"] == "Budi, assembly line 2"
    mine = bench.get("/workbench?mine=1").text
    assert cards(mine) == [("SO-1042", "assembly", "in_progress")]

    # A block without a reason is refused with words, and nothing changes.
    before = len(bench_api.events(order="SO-1042"))
    refused = bench.post(url, data={"csrf": csrf, "action": "block"}, follow_redirects=True)
    assert "reason" in refused.text
    assert len(bench_api.events(order="SO-1042")) == before

    # Finance's technician skips its stage: the order needs no invoice.
    sign_in(bench, bench_api.keys.finance)
    skipped = bench.post(
        "/workbench/orders/SO-1042/stages/finance",
        data={
            "csrf": csrf_of(bench.get("/workbench").text),
            "action": "skip",
            "internal_note": "Paid in advance",
        },
        follow_redirects=False,
    )
    assert skipped.status_code == 303
    assert bench_api.order("SO-1042")["stages"][1]["status"] == "skipped"


def test_a_resent_action_acts_once(bench: TestClient, bench_api: Api) -> None:
    bench_api.create_order()
    sign_in(bench, bench_api.keys.assembly)
    csrf = csrf_of(bench.get("/workbench").text)
    url = "/workbench/orders/SO-1042/stages/assembly"
    headers = {"Accept": "application/json", "Idempotency-Key": "wb-1"}
    body = {
        "csrf": csrf,
        "action": "revise",
        "finish": "plus_1h",
        "cost_estimate": "150000",
        "currency": "IDR",
    }
    first = bench.post(url, data=body, headers=headers)
    assert first.status_code == 200, first.text
    bench_api.clock.advance(timedelta(minutes=3))
    again = bench.post(url, data=body, headers=headers)
    assert again.status_code == 200
    assert again.headers["Idempotency-Replayed"] == "true"
    assert again.json() == first.json()
    revised = [e for e in bench_api.events(order="SO-1042") if e["type"] == "cost.revised"]
    assert len(revised) == 1

    wrong = bench.post(url, data={**body, "action": "finish"}, headers=headers)
    assert wrong.status_code == 422
    assert wrong.headers["content-type"].startswith("application/problem+json")
