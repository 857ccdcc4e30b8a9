"""What a new user saw wrong on the desk, each mended: notes under the wrong actor, stage keys and
English on the Indonesian page, "2.0 hr", dates the page does not write, a missing favicon; and
the queue of orders waiting on the back office."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.main import create_app
from tests.access_support import post_signed, register
from tests.desk_support import csrf_of, over_http, sign_in
from tests.support import Api, Keys, bearer, make_keys


@pytest.fixture
def desk(settings: Settings, clock: ManualClock) -> Iterator[TestClient]:
    app = create_app(over_http(settings), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def desk_api(desk: TestClient, clock: ManualClock) -> Api:
    keys: Keys = make_keys(desk.app.state.ctx)  # type: ignore[attr-defined]
    return Api(desk, keys, clock)


def timeline(html: str) -> list[str]:
    section = html[html.index('id="h-timeline"') :]
    return [re.sub(r"\s+", " ", item) for item in re.findall(r"<li class=\"event.*?</li>", section, re.S)]


def test_a_note_shows_under_the_event_that_wrote_it_not_under_a_later_one(
    desk: TestClient, desk_api: Api
) -> None:
    desk_api.create_order()
    for stage in ("assembly", "finance"):
        desk_api.update("SO-1042", stage, status="in_progress")
        desk_api.update("SO-1042", stage, status="done")
    # The technician writes a note while revising: no status change, so no stage event carries it.
    desk_api.update(
        "SO-1042",
        "shipping",
        key=desk_api.keys.shipping,
        internal_note="Pack with the spare cable",
        remaining_minutes=90,
    )
    secret = register(desk, desk_api.keys.admin, "carrier")["secret"]
    carried = post_signed(
        desk,
        "carrier",
        {"order": "SO-1042", "stage": "shipping", "status": "in_progress"},
        secret,
        desk_api.clock.now(),
    )
    assert carried.status_code == 200, carried.text
    desk_api.update("SO-1042", "shipping", key=desk_api.keys.shipping, internal_note="Courier has it")

    sign_in(desk, desk_api.keys.agent)
    lines = timeline(desk.get("/desk/orders/SO-1042").text)
    started = next(line for line in lines if "Shipping started" in line)
    assert "carrier" in started
    assert "Pack with the spare cable" not in started
    assert sum("Courier has it" in line for line in lines) == 1


def test_the_indonesian_desk_names_stages_and_writes_numbers_its_own_way(
    desk: TestClient, desk_api: Api
) -> None:
    desk_api.create_order(quoted="8900000.00")
    desk_api.update("SO-1042", "assembly", status="in_progress", remaining_minutes=2 * 1440)
    sign_in(desk, desk_api.keys.agent)
    csrf = csrf_of(desk.get("/desk").text)
    desk.post("/desk/language", data={"lang": "id", "csrf": csrf, "next": "/desk"})
    queues = desk.get("/desk").text
    assert "Sedang di Assembly" in queues
    assert "Sedang di assembly" not in queues
    order = desk.get("/desk/orders/SO-1042").text
    assert "IDR 8.900.000" in order
    assert not re.search(r"\d\.\d (hr|jam|hari)\b", order)
    assert ">Internal<" not in order


def test_report_dates_are_written_and_read_as_the_page_writes_them(desk: TestClient, desk_api: Api) -> None:
    sign_in(desk, desk_api.keys.agent)
    page = desk.get("/desk/reports", params={"from": "Sun 1 Nov 2026", "to": "Mon 30 Nov 2026"})
    assert page.status_code == 200, page.text
    assert 'value="Sun 1 Nov 2026"' in page.text
    assert 'value="Mon 30 Nov 2026"' in page.text
    assert desk.get("/desk/reports", params={"from": "2026-11-01"}).status_code == 200
    assert desk.get("/desk/reports", params={"from": "someday"}).status_code == 422


def test_every_page_has_its_icon(desk: TestClient) -> None:
    icon = desk.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"


def test_orders_waiting_on_the_back_office_are_a_queue(desk: TestClient, desk_api: Api) -> None:
    desk_api.create_order("SO-1")
    desk_api.create_order("SO-2")
    answer_by = (desk_api.clock.now() + timedelta(hours=3)).isoformat()
    asked = desk_api.post(
        "/v1/orders/SO-2/requests",
        {"kind": "change", "text": "Deliver to the branch", "answer_by": answer_by},
    )
    assert asked.status_code == 201, asked.text
    queue = desk_api.get("/v1/queues").json()["waiting_on_back_office"]
    assert [item["order"]["reference"] for item in queue] == ["SO-2"]
    assert queue[0]["waiting"]["departments"] == ["assembly", "finance", "shipping"]

    sign_in(desk, desk_api.keys.agent)
    section = desk.get("/desk").text.split('id="queue-waiting"')[1].split("</section>")[0]
    assert "SO-2" in section
    assert "SO-1" not in section

    request_id = asked.json()["id"]
    for key in (desk_api.keys.assembly, desk_api.keys.finance, desk_api.keys.shipping):
        answered = desk_api.post(
            f"/v1/orders/SO-2/requests/{request_id}/answer", {"text": "Fine", "outcome": "accepted"}, key=key
        )
        assert answered.status_code == 200, answered.text
    assert desk_api.get("/v1/queues").json()["waiting_on_back_office"] == []
    order = desk.get("/desk/orders/SO-2").text
    assert order.count("accepted") >= 3
    assert (
        desk.get("/v1/requests", headers=bearer(desk_api.keys.agent)).json()["items"][0]["state"]
        == "answered"
    )


def test_the_order_page_warns_of_a_promise_due_while_the_office_is_closed(
    desk: TestClient, desk_api: Api
) -> None:
    made = desk.patch(
        "/v1/calendars/default", json={"departments": ["shipping"]}, headers=bearer(desk_api.keys.admin)
    )
    assert made.status_code == 200, made.text
    # Saturday 5 Dec 20:00 in Jakarta: shipping's office closed at 12:00 and opens Monday 08:00.
    created = desk_api.post(
        "/v1/orders",
        {
            "reference": "SO-NIGHT",
            "customer": {"name": "Toko Maju"},
            "promised_at": "2026-12-05T13:00:00+00:00",
            "quoted_cost": {"amount": "100.00", "currency": "IDR"},
        },
    )
    assert created.status_code == 201, created.text
    sign_in(desk, desk_api.keys.agent)
    page = desk.get("/desk/orders/SO-NIGHT").text
    [warning] = re.findall(r'class="[^"]*promise-warning[^"]*" role="note">([^<]+)<', page)
    assert "default" in warning
    assert "closed" in warning
    assert "Mon 7 Dec" in warning, warning
    desk.post("/desk/language", data={"lang": "id", "csrf": csrf_of(page), "next": "/desk/orders/SO-NIGHT"})
    page_id = desk.get("/desk/orders/SO-NIGHT").text
    [warning_id] = re.findall(r'class="[^"]*promise-warning[^"]*" role="note">([^<]+)<', page_id)
    assert "tutup" in warning_id
