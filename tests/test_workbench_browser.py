"""The workbench in a real headless Chromium, beside the desk: a technician's phone, an agent's
screen, the stream between them, and a Wi-Fi that drops.

Few page loads on purpose: each test walks a whole story on the pages it opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.desk.i18n import _ID_DAYS, _ID_MONTHS, MESSAGES
from app.main import create_app
from app.models.access import Role
from tests.desk_support import chromium, over_http
from tests.live import LiveServer, serve
from tests.support import Keys, bearer, make_key, make_keys, wait_until

#: The story is the same on either database; the browser is the costly part, so it runs once.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TIMEOUT_MS = 10_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def server(settings: Settings) -> Iterator[LiveServer]:
    with serve(create_app(over_http(settings))) as running:
        yield running


@pytest.fixture
def keys(server: LiveServer) -> Keys:
    return make_keys(server.app.state.ctx)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as running:
        yield running


def new_page(browser: Any, server: LiveServer, viewport: dict[str, int]) -> Any:
    context = browser.new_context(base_url=server.url, viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def create_order(server: LiveServer, key: str, reference: str, customer: str) -> None:
    body = {
        "reference": reference,
        "flow": "standard",
        "customer": {"name": customer},
        "promised_at": (datetime.now(UTC) + timedelta(days=5)).isoformat(),
        "quoted_cost": {"amount": "8900000.00", "currency": "IDR"},
    }
    response = httpx.post(f"{server.url}/v1/orders", json=body, headers=bearer(key))
    assert response.status_code == 201, response.text


def events(server: LiveServer, keys: Keys, reference: str, type_: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.url}/v1/events",
        params={"order": reference, "type": type_, "limit": 1000},
        headers=bearer(keys.agent),
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def sign_in_bench(page: Any, key: str) -> None:
    page.goto("/workbench")
    page.get_by_label("Technician key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Stages that need a hand").wait_for()
    page.locator("#live-status.connected").wait_for()


def sign_in_desk(page: Any, key: str, path: str) -> None:
    page.goto(path)
    page.get_by_label("Agent key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#live-status.connected").wait_for()


def card(page: Any, reference: str, stage: str) -> Any:
    return page.locator(f'[data-card="{reference}--{stage}"]')


def status_is(page: Any, reference: str, stage: str, status: str) -> None:
    page.locator(f'[data-card="{reference}--{stage}"][data-status="{status}"]').wait_for()


def english_words_in(text: str) -> set[str]:
    """Words of the English interface found in ``text``: words of the English catalogue that the
    Indonesian one does not also use (nextdesk, IDR, ...)."""
    words = re.compile(r"[A-Za-z][A-Za-z']{2,}")
    placeholders = re.compile(r"\{[^}]*\}")
    english = {w.lower() for v in MESSAGES["en"].values() for w in words.findall(placeholders.sub("", v))}
    indonesian = {w.lower() for v in MESSAGES["id"].values() for w in words.findall(placeholders.sub("", v))}
    indonesian |= {w.lower() for w in (*_ID_DAYS, *_ID_MONTHS)}
    interface = english - indonesian
    return {w for w in words.findall(text) if w.lower() in interface}


def page_text_without_data(page: Any) -> str:
    """The page's words, minus the language switch's own names and names that are data."""
    text: str = page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            const data = '[lang="en"], .who, .customer, .stage-name, script';
            copy.querySelectorAll(data).forEach(e => e.remove());
            return copy.innerText;
        }"""
    )
    return text


def test_a_technician_works_a_stage_from_a_phone_and_the_desk_sees_each_step_live(
    browser: Any, server: LiveServer, keys: Keys
) -> None:
    create_order(server, keys.agent, "SO-8001", "Toko Sumber Rejeki")
    create_order(server, keys.agent, "SO-8002", "CV Maju Bersama")
    desk = new_page(browser, server, DESKTOP)
    sign_in_desk(desk, keys.agent, "/desk/orders/SO-8001")
    desk.evaluate("window.notReloaded = true")
    bench = new_page(browser, server, PHONE)
    sign_in_bench(bench, keys.assembly)
    assert bench.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    job = card(bench, "SO-8001", "assembly")
    job.get_by_role("button", name="Start").click()
    status_is(bench, "SO-8001", "assembly", "in_progress")
    desk.locator("#stage-assembly.status-in_progress").wait_for()

    job.get_by_text("Block…").click()
    job.get_by_label("Reason").select_option(label="Waiting for parts")
    job.get_by_label("Internal note").first.fill("Catu daya belum datang")
    job.get_by_role("button", name="Block", exact=True).click()
    status_is(bench, "SO-8001", "assembly", "blocked")
    desk.locator("#stage-assembly.status-blocked").get_by_text("Waiting for parts").wait_for()

    job.get_by_role("button", name="Resume").click()
    status_is(bench, "SO-8001", "assembly", "in_progress")
    job.get_by_text("Revise finish or cost…").click()
    job.get_by_role("radio", name=re.compile(r"^\+4 h")).check()
    job.get_by_label("Cost estimate (IDR)").fill("150000")
    job.locator("select[name=next_update]").last.select_option("end_of_today")
    job.get_by_role("button", name="Save").click()
    desk.locator("#stage-assembly").get_by_text("next word by").wait_for()
    stage = httpx.get(f"{server.url}/v1/orders/SO-8001", headers=bearer(keys.agent)).json()["stages"][0]
    assert stage["revised_finish_at"] is not None
    assert stage["cost_estimate"] == {"amount": "150000.00", "currency": "IDR"}

    job.get_by_role("button", name="I'm on it").click()
    desk.locator("#stage-assembly").get_by_text("Budi, assembly line 2").wait_for()
    bench.get_by_role("link", name="Mine").click()
    assert bench.locator("[data-card]").count() == 1
    job.get_by_role("button", name="Finish").click()
    bench.get_by_text("You have taken no stage.").wait_for()
    desk.locator("#stage-assembly.status-done").wait_for()
    # The inquiry form's stage list followed too, without a reload.
    assert "done" in desk.locator("#inquiry-stage option[value=assembly]").inner_text()
    assert desk.evaluate("window.notReloaded") is True
    # Times never wrap over lines, and the technician's note shows once, under the block.
    for rect in desk.locator("#order-summary time").evaluate_all(
        "ts => ts.map(t => t.getClientRects().length)"
    ):
        assert rect == 1
    assert desk.locator(".timeline").get_by_text("Catu daya belum datang").count() == 1

    # Offline: the action waits on the page, then lands once when the connection returns.
    bench.get_by_role("link", name="All my departments").click()
    bench.context.set_offline(True)
    card(bench, "SO-8002", "assembly").get_by_role("button", name="Start").click()
    waiting = bench.locator("#outbox")
    waiting.get_by_text("SO-8002").wait_for()
    assert bench.locator("#outbox-count").inner_text() == "1"
    assert events(server, keys, "SO-8002", "stage.started") == []
    bench.context.set_offline(False)
    status_is(bench, "SO-8002", "assembly", "in_progress")
    waiting.wait_for(state="hidden")
    assert len(events(server, keys, "SO-8002", "stage.started")) == 1

    # The answer is lost on the way back: the page sends again with the same key, and the server
    # answers from its record instead of acting twice.
    lost: list[str] = []

    def lose_the_answer(route: Any) -> None:
        if not lost:
            lost.append(route.request.headers["idempotency-key"])
            route.fetch()
            route.abort()
        else:
            route.continue_()

    bench.route("**/workbench/orders/SO-8002/stages/assembly", lose_the_answer)
    card(bench, "SO-8002", "assembly").get_by_role("button", name="Finish").click()
    wait_until(lambda: bool(lost), what="the first send")
    waiting.wait_for(state="hidden", timeout=15_000)
    assert len(events(server, keys, "SO-8002", "stage.completed")) == 1

    # The Indonesian workbench speaks no English.
    bench.get_by_role("button", name="Bahasa Indonesia").click()
    bench.get_by_role("heading", name="Tahap yang perlu ditangani").wait_for()
    assert english_words_in(page_text_without_data(bench)) == set()

    # The reports: the chart fills its card, dates are written as the page writes them.
    desk.goto("/desk/reports")
    card_width = desk.locator("#report-calls").evaluate("e => e.clientWidth")
    assert card_width > 900
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}", desk.get_by_label("From").input_value())
    desk.close()
    bench.close()


def test_a_change_reaches_every_department_and_closes_after_the_last_answer(
    browser: Any, server: LiveServer, keys: Keys
) -> None:
    # People named as people are: their names are data, not interface words.
    ctx = server.app.state.ctx
    agent = make_key(ctx, Role.AGENT, name="Sari")
    create_order(server, agent, "SO-8003", "Toko Sumber Rejeki")
    finance = make_key(ctx, Role.TECHNICIAN, "finance", name="Dewi")
    desk = new_page(browser, server, PHONE)
    sign_in_desk(desk, agent, "/desk/orders/SO-8003")
    ask = desk.locator("#ask")
    ask.get_by_label("Change request").check()
    ask.get_by_label("What the customer asks or wants").fill("Kirim ke kantor cabang Bekasi")
    ask.get_by_label("Answer needed by (optional)").select_option("plus_4h")
    ask.get_by_role("button", name="Send to the back office").click()
    requests = desk.locator("#requests")
    requests.get_by_text("Kirim ke kantor cabang Bekasi").wait_for()
    assert requests.get_by_text("waiting for an answer").count() == 3
    # The desk's eye on the page: the confirmation is on screen, and tables say they scroll.
    assert desk.get_by_text("Sent to the back office.").is_visible()

    assembly = new_page(browser, server, DESKTOP)
    sign_in_bench(assembly, make_key(ctx, Role.TECHNICIAN, "assembly", name="Budi"))
    shipping = new_page(browser, server, DESKTOP)
    sign_in_bench(shipping, make_key(ctx, Role.TECHNICIAN, "shipping", name="Joko"))
    # Shipping has not started (its stage waits for the others), yet the change reaches it.
    shipping_ask = card(shipping, "SO-8003", "shipping").locator(".ask")
    shipping_ask.get_by_text("Kirim ke kantor cabang Bekasi").wait_for()
    assembly_ask = card(assembly, "SO-8003", "assembly").locator(".ask")
    assembly_ask.get_by_label("Your answer").fill("Tidak mengubah perakitan")
    assembly_ask.get_by_role("button", name="Accept").click()
    requests.get_by_text("Tidak mengubah perakitan").wait_for()
    assembly_ask.wait_for(state="detached")

    request_id = requests.locator("[data-request]").get_attribute("data-request")
    answered = httpx.post(
        f"{server.url}/v1/orders/SO-8003/requests/{request_id}/answer",
        json={"text": "Tanpa biaya tambahan", "outcome": "accepted"},
        headers=bearer(finance),
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "open"
    assert desk.locator("#requests .request-open").count() == 1

    shipping_ask.get_by_label("Your answer").fill("Rute Bekasi hari Kamis")
    shipping_ask.get_by_role("button", name="Accept").click()
    desk.locator("#requests .request-answered").wait_for()
    assert len(events(server, keys, "SO-8003", "request.answered")) == 3

    # The desk in Indonesian: no English, no "2.0 hr", money and durations written the same way.
    desk.get_by_role("button", name="Bahasa Indonesia").click()
    desk.get_by_role("heading", name="Yang disampaikan ke pelanggan").wait_for()
    text = page_text_without_data(desk)
    assert english_words_in(text) == set()
    assert not re.search(r"\d\.\d (hr|jam|hari)", text)
    desk.goto("/desk/reports")
    hint = desk.locator(".scroll-hint").first
    assert hint.is_visible()
    assert desk.locator(".table-wrap").first.evaluate("e => e.scrollWidth > e.clientWidth")
    desk.close()
    assembly.close()
    shipping.close()
