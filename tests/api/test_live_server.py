from __future__ import annotations

import httpx

from tests.conftest import Keys
from tests.live import LiveServer
from tests.support import bearer


def test_real_server_serves_the_api(live: LiveServer, live_keys: Keys) -> None:
    response = httpx.get(f"{live.url}/v1/flows/standard", headers=bearer(live_keys.viewer))
    assert response.status_code == 200
    assert [s["key"] for s in response.json()["stages"]] == ["assembly", "finance", "shipping"]
