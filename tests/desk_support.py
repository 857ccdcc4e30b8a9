"""Helpers for the desk's tests: an app whose cookie works over plain http, signing in, Chromium."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def over_http(settings: Settings) -> Settings:
    """Tests talk plain http to 127.0.0.1, where a Secure cookie would never be sent back."""
    return settings.model_copy(update={"cookie_secure": False})


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient | httpx.Client, key: str, *, next_path: str = "/desk") -> httpx.Response:
    form = client.get("/desk/sign-in")
    assert form.status_code == 200
    return client.post(
        "/desk/sign-in",
        data={"key": key, "csrf": csrf_of(form.text), "next": next_path},
        follow_redirects=False,
    )


def chromium_path() -> str | None:
    configured = os.environ.get("NEXTDESK_CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else None
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; never a browser download."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); the browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
