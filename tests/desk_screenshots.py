"""Screenshots of the desk with the demo data, kept in docs/: run `./dev screenshots`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

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
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            page = browser.new_page(base_url=server.url, viewport={"width": 1280, "height": 900})
            page.goto("/desk")
            page.get_by_label("Agent key").fill("ndk_demo_agent")
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", name="Queues").wait_for()
            page.wait_for_timeout(800)
            page.screenshot(
                path=str(out / "desk-queues.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1300}
            )
            page.goto(f"/desk/orders/{ORDER}")
            page.wait_for_timeout(800)
            page.screenshot(path=str(out / "desk-order.png"), full_page=True)
            page.goto("/desk/reports")
            page.screenshot(path=str(out / "desk-reports.png"), full_page=True)
            browser.close()
    for name in ("desk-queues.png", "desk-order.png", "desk-reports.png"):
        sys.stdout.write(f"wrote {out / name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS))
