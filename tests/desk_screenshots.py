"""Screenshots of the desk and the workbench with the demo data, at desktop and phone sizes, kept in
docs/: run `./dev screenshots`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from app.bootstrap import migrate
from app.clock import SystemClock
from app.config import Settings
from app.db import Database
from app.demo import load_demo
from app.main import create_app
from tests.desk_support import CHROMIUM_ARGS, chromium_path
from tests.live import serve

DOCS = Path(__file__).resolve().parent.parent / "docs"
#: The demo's "waiting for parts" order: blocked, past its promise, a note for the customer.
ORDER = "SO-1003"
CALLS = [
    ("SO-1003", "assembly", "complaint", "phone", "Promised Wednesday; now it is Saturday?"),
    ("SO-1003", "assembly", "inquiry", "chat", "Which part is missing?"),
    ("SO-1007", "shipping", "inquiry", "phone", "Has the courier picked it up?"),
    ("SO-1010", "assembly", "complaint", "counter", "Third visit, still not assembled"),
    ("SO-1004", "finance", "inquiry", "email", "Can I pay by transfer?"),
]


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NAMES = (
    "desk-queues.png",
    "desk-order.png",
    "desk-reports.png",
    "desk-queues-phone.png",
    "desk-order-phone.png",
    "workbench.png",
    "workbench-phone.png",
)


def _ask_the_back_office(url: str) -> None:
    """A change the customer asked for: every department still to work on the order must answer."""
    agent = {"Authorization": "Bearer ndk_demo_agent"}
    response = httpx.post(
        f"{url}/v1/orders/{ORDER}/requests",
        json={"kind": "change", "text": "Please deliver to our branch office in Bekasi instead"},
        headers=agent,
    )
    response.raise_for_status()
    request_id = response.json()["id"]
    response = httpx.post(
        f"{url}/v1/orders/{ORDER}/requests/{request_id}/answer",
        json={"text": "No change to the invoice", "outcome": "accepted"},
        headers={"Authorization": "Bearer ndk_demo_tech_finance"},
    )
    response.raise_for_status()


def _signed_in(browser: Any, url: str, viewport: dict[str, int], path: str, label: str, key: str) -> Any:
    page = browser.new_page(base_url=url, viewport=viewport)
    page.goto(path)
    page.get_by_label(label).fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    return page


def main(out: Path = DOCS) -> int:
    path = chromium_path()
    if path is None:
        sys.stderr.write("Chromium is not installed (apt-get install chromium)\n")
        return 1
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{folder}/demo.db",
            cookie_secure=False,
            _env_file=None,  # type: ignore[call-arg]
        )
        db = Database(settings)
        migrate(db)
        load_demo(db, SystemClock())
        db.dispose()
        with serve(create_app(settings)) as server, sync_playwright() as playwright:
            for reference, stage, category, channel, text in CALLS:
                body = {"stage": stage, "category": category, "channel": channel, "text": text}
                response = httpx.post(
                    f"{server.url}/v1/orders/{reference}/inquiries",
                    json=body,
                    headers={"Authorization": "Bearer ndk_demo_agent"},
                )
                response.raise_for_status()
            _ask_the_back_office(server.url)
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
                page = _signed_in(browser, server.url, viewport, "/desk", "Agent key", "ndk_demo_agent")
                page.get_by_role("heading", name="Queues").wait_for()
                page.wait_for_timeout(800)
                if suffix:
                    page.screenshot(path=str(out / "desk-queues-phone.png"))
                else:
                    page.screenshot(
                        path=str(out / "desk-queues.png"),
                        clip={"x": 0, "y": 0, "width": 1280, "height": 1300},
                    )
                page.goto(f"/desk/orders/{ORDER}")
                page.wait_for_timeout(800)
                page.screenshot(path=str(out / f"desk-order{suffix}.png"), full_page=not suffix)
                if not suffix:
                    page.goto("/desk/reports")
                    page.screenshot(path=str(out / "desk-reports.png"), full_page=True)
                page.close()
                bench = _signed_in(
                    browser, server.url, viewport, "/workbench", "Technician key", "ndk_demo_tech_assembly"
                )
                bench.get_by_role("heading", name="Stages that need a hand").wait_for()
                bench.wait_for_timeout(800)
                if suffix:
                    bench.screenshot(path=str(out / "workbench-phone.png"))
                else:
                    bench.screenshot(
                        path=str(out / "workbench.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1100}
                    )
                bench.close()
            browser.close()
    for name in NAMES:
        sys.stdout.write(f"wrote {out / name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS))
