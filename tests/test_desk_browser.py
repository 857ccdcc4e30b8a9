"""The desk in a real headless Chromium against a real server: what an agent sees and does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from tests.desk_support import chromium, over_http
from tests.live import LiveServer, serve
from tests.support import Keys, bearer, make_keys

TIMEOUT_MS = 10_000


@pytest.fixture
def desk_server(settings: Settings) -> Iterator[LiveServer]:
    with serve(create_app(over_http(settings))) as server:
        yield server


@pytest.fixture
def desk_keys(desk_server: LiveServer) -> Keys:
    return make_keys(desk_server.app.state.ctx)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(desk_server: LiveServer, browser: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=desk_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def create_order(
    server: LiveServer, keys: Keys, reference: str, customer: str, promise_in: timedelta
) -> None:
    body = {
        "reference": reference,
        "flow": "standard",
        "customer": {"name": customer},
        "promised_at": (datetime.now(UTC) + promise_in).isoformat(),
        "quoted_cost": {"amount": "1250000.00", "currency": "IDR"},
    }
    response = httpx.post(f"{server.url}/v1/orders", json=body, headers=bearer(keys.agent))
    assert response.status_code == 201, response.text


def stage_update(server: LiveServer, keys: Keys, reference: str, stage: str, **fields: Any) -> None:
    response = httpx.post(
        f"{server.url}/v1/orders/{reference}/stages/{stage}/updates",
        json=fields,
        headers=bearer(keys.technician),
    )
    assert response.status_code == 200, response.text


def sign_in(page: Any, key: str) -> None:
    page.goto("/desk")
    page.get_by_label("Agent key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_a_wrong_key_is_refused_and_an_agent_key_signs_in(page: Any, desk_keys: Keys) -> None:
    sign_in(page, "ndk_wrong")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "not known" in alert.inner_text()
    assert page.url.endswith("/desk/sign-in")

    sign_in(page, desk_keys.viewer)
    assert "agent or admin" in page.get_by_role("alert").inner_text()

    sign_in(page, desk_keys.agent)
    page.get_by_role("heading", name="Queues").wait_for()
    assert "test agent" in page.locator("header").inner_text()

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Agent key").wait_for()
    page.goto("/desk")
    assert "/desk/sign-in" in page.url


def test_an_agent_finds_an_order_tells_the_customer_and_logs_a_complaint(
    page: Any, desk_server: LiveServer, desk_keys: Keys
) -> None:
    create_order(desk_server, desk_keys, "SO-7001", "Toko Maju", timedelta(days=3))
    # Promised in ten hours, planned to take 34: at risk from the start, and news to tell.
    create_order(desk_server, desk_keys, "SO-7002", "Warung Bu Sri", timedelta(hours=10))
    sign_in(page, desk_keys.agent)

    at_risk = page.locator("#queue-at-risk")
    assert "SO-7002" in at_risk.inner_text()
    assert "SO-7001" not in at_risk.inner_text()
    assert "SO-7002" in page.locator("#queue-to-tell").inner_text()

    page.get_by_label("Order reference or customer").fill("bu sri")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".search-results")
    results.wait_for()
    assert "SO-7002" in results.inner_text()
    assert "SO-7001" not in results.inner_text()
    results.get_by_role("link", name="SO-7002").click()

    page.get_by_role("heading", name="Order SO-7002").wait_for()
    sentence = page.locator("#sentence-en").inner_text()
    assert "after the date we promised" in sentence
    assert "lewat dari tanggal yang dijanjikan" in page.locator("#sentence-id").inner_text()
    assert "never told" in page.locator("#order-summary").inner_text()

    page.get_by_role("radio", name="chat").check()
    page.get_by_role("button", name="I told the customer").click()
    page.get_by_text("Recorded: the customer was told.").wait_for()
    # The page opens on the "Last told" card, so the confirmation is on screen, not scrolled past.
    assert page.locator("#told-flash").evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    told = page.locator("#order-summary").inner_text()
    assert "test agent" in told
    assert "still current" in told

    page.get_by_role("radio", name="complaint").check()
    page.get_by_label("Stage it is about").select_option("finance")
    page.get_by_label("What the customer asked or said").fill("Nobody told me about the delay")
    page.get_by_role("button", name="Log", exact=True).click()
    page.get_by_text("Logged.").wait_for()
    assert "Nobody told me about the delay" in page.locator("#order-details").inner_text()

    page.get_by_role("link", name="Back to the queues").click()
    page.get_by_role("heading", name="Queues").wait_for()
    assert "SO-7002" not in page.locator("#queue-to-tell").inner_text()

    page.get_by_role("link", name="Reports").click()
    finance = page.locator('#stage-report tr[data-stage="finance"]')
    assert finance.locator("td.complaints").inner_text() == "1"
    assert page.locator("#calls-total").inner_text() == "1"
    assert page.locator("#report-calls svg rect.complaints").count() == 1


def test_the_language_switch_and_the_copy_button(page: Any, desk_server: LiveServer, desk_keys: Keys) -> None:
    create_order(desk_server, desk_keys, "SO-7003", "CV Sinar Jaya", timedelta(days=3))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, desk_keys.agent)
    page.goto("/desk/orders/SO-7003")
    page.get_by_role("button", name="Copy (Indonesian)").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#sentence-id").inner_text()
    assert copied.startswith("Pesanan Anda")

    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.get_by_role("heading", name="Yang disampaikan ke pelanggan").wait_for()
    assert page.locator("html").get_attribute("lang") == "id"
    # Keyboard only: the skip link leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Langsung ke isi"


def test_a_technicians_update_arrives_live_without_reload(
    page: Any, desk_server: LiveServer, desk_keys: Keys
) -> None:
    create_order(desk_server, desk_keys, "SO-7004", "PT Karya Abadi", timedelta(days=3))
    sign_in(page, desk_keys.agent)

    page.goto("/desk/orders/SO-7004")
    page.locator("#live-status.connected").wait_for()
    page.evaluate("window.notReloaded = true")
    assembly = page.locator("#stage-assembly")
    assert "ready" in assembly.inner_text()

    stage_update(desk_server, desk_keys, "SO-7004", "assembly", status="in_progress", assignee="Budi")
    page.locator("#stage-assembly.status-in_progress").wait_for()
    assert "Budi" in assembly.inner_text()
    assert page.locator(".timeline").get_by_text("Assembly started").count() == 1
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#heard").inner_text() != "not yet"

    # The queues follow too: a block that breaks the promise lands in "at risk" and "to tell".
    page.goto("/desk")
    page.locator("#live-status.connected").wait_for()
    page.evaluate("window.notReloaded = true")
    assert "SO-7004" not in page.locator("#queue-at-risk").inner_text()
    stage_update(
        desk_server,
        desk_keys,
        "SO-7004",
        "assembly",
        status="blocked",
        reason="waiting_parts",
        expected_finish_at=(datetime.now(UTC) + timedelta(days=5)).isoformat(),
    )
    page.locator("#queue-at-risk").get_by_role("link", name="SO-7004").wait_for()
    assert "SO-7004" in page.locator("#queue-to-tell").inner_text()
    assert page.evaluate("window.notReloaded") is True
