from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import Api


def test_health_and_readiness_need_no_key(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["migrations"] == "ok"


def test_metrics_count_requests_by_route_template(api: Api) -> None:
    api.create_order()
    api.order("SO-1042")
    text = api.client.get("/metrics").text
    assert 'route="/v1/orders/{reference}"' in text
    assert "nextdesk_events_appended_total" in text


def test_every_response_carries_a_request_id(api: Api) -> None:
    response = api.client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert response.headers["x-request-id"] == "abc123"
    assert len(api.client.get("/healthz").headers["x-request-id"]) == 16


def test_readiness_reports_the_background_workers(client: TestClient) -> None:
    checks = client.get("/readyz").json()["checks"]
    for component in ("writer", "dispatcher", "sweeper"):
        assert checks[component] == "ok", checks
