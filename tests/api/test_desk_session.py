"""The desk's sign-in, its session cookie, CSRF on every form, and reads (never writes) by cookie."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.clock import ManualClock
from app.config import Settings
from app.main import create_app
from tests.desk_support import csrf_of, over_http, sign_in
from tests.support import Api, Keys, make_keys


@pytest.fixture
def desk(settings: Settings, clock: ManualClock) -> Iterator[TestClient]:
    app = create_app(over_http(settings), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def desk_keys(desk: TestClient) -> Keys:
    return make_keys(desk.app.state.ctx)  # type: ignore[attr-defined]


@pytest.fixture
def desk_api(desk: TestClient, desk_keys: Keys, clock: ManualClock) -> Api:
    return Api(desk, desk_keys, clock)


def test_pages_need_sign_in(desk: TestClient) -> None:
    response = desk.get("/desk/orders/SO-1?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/desk/sign-in?next=/desk/orders/SO-1%3Fx%3D1"
    assert desk.get("/desk/live/queues").status_code == 401


def test_a_wrong_key_is_refused(desk: TestClient) -> None:
    response = sign_in(desk, "ndk_not_a_key")
    assert response.status_code == 401
    assert "not known" in response.text
    assert desk.get("/desk", follow_redirects=False).status_code == 303


def test_only_agents_and_admins_sign_in(desk: TestClient, desk_keys: Keys) -> None:
    for key in (desk_keys.viewer, desk_keys.assembly, desk_keys.integration):
        response = sign_in(desk, key)
        assert response.status_code == 401
        assert "agent or admin" in response.text
    assert sign_in(desk, desk_keys.admin).status_code == 303


def test_an_agent_signs_in_reads_and_signs_out(desk: TestClient, desk_api: Api) -> None:
    desk_api.create_order()
    response = sign_in(desk, desk_api.keys.agent, next_path="/desk/orders/SO-1042")
    assert response.status_code == 303
    assert response.headers["location"] == "/desk/orders/SO-1042"
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert desk_api.keys.agent not in cookie, "the key itself never goes into the cookie"
    page = desk.get("/desk/orders/SO-1042")
    assert page.status_code == 200
    assert "Toko Maju" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")

    # The cookie stands in for the key on reads: the page's EventSource cannot send headers.
    assert desk.get("/v1/orders/SO-1042").status_code == 200
    # ... never on writes: a cookie rides along with any request a browser makes.
    body = {"order_version": 1, "channel": "phone"}
    assert desk.post("/v1/orders/SO-1042/acknowledgements", json=body).status_code == 401

    out = desk.post("/desk/sign-out", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert desk.get("/v1/orders/SO-1042").status_code == 401
    assert desk.get("/desk", follow_redirects=False).status_code == 303


def test_the_cookie_is_secure_unless_told_otherwise(client: TestClient) -> None:
    response = client.get("/desk/sign-in")
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie
    assert "httponly" in cookie


def test_forms_need_their_csrf_token(desk: TestClient, desk_api: Api) -> None:
    desk_api.create_order()
    sign_in(desk, desk_api.keys.agent)
    form = {"order_version": "1", "channel": "phone", "note": ""}
    for token in (None, "forged"):
        data = form if token is None else {**form, "csrf": token}
        response = desk.post("/desk/orders/SO-1042/acknowledgements", data=data, follow_redirects=False)
        assert response.status_code == 403
        assert "security token" in response.text
    assert desk_api.order("SO-1042")["last_acknowledgement"] is None

    # Sign-in itself is protected too: a forged sign-in form plants nothing.
    fresh = TestClient(desk.app)
    response = fresh.post(
        "/desk/sign-in", data={"key": desk_api.keys.agent, "csrf": "x"}, follow_redirects=False
    )
    assert response.status_code == 403


def test_desk_forms_record_through_the_same_use_cases(desk: TestClient, desk_api: Api) -> None:
    desk_api.create_order()
    sign_in(desk, desk_api.keys.agent)
    token = csrf_of(desk.get("/desk/orders/SO-1042").text)
    told = desk.post(
        "/desk/orders/SO-1042/acknowledgements",
        data={"csrf": token, "order_version": "1", "channel": "counter", "note": "at the counter"},
        follow_redirects=False,
    )
    assert told.status_code == 303
    assert desk_api.order("SO-1042")["last_acknowledgement"]["channel"] == "counter"
    page = desk.get("/desk/orders/SO-1042")
    assert "Recorded: the customer was told." in page.text

    bad = desk.post(
        "/desk/orders/SO-1042/inquiries",
        data={"csrf": token, "channel": "phone", "category": "inquiry", "text": "  ", "stage": "assembly"},
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    logged = desk.post(
        "/desk/orders/SO-1042/inquiries",
        data={
            "csrf": token,
            "channel": "chat",
            "category": "complaint",
            "text": "Too slow",
            "stage": "finance",
        },
        follow_redirects=False,
    )
    assert logged.status_code == 303
    (event,) = desk_api.events(order="SO-1042", type="inquiry.logged")
    assert event["data"]["stage"] == "finance"
    assert event["data"]["category"] == "complaint"


def test_a_revoked_key_signs_its_desk_sessions_out(desk: TestClient, desk_api: Api) -> None:
    from app.services.keys import revoke_key
    from app.writer import run_use_case

    sign_in(desk, desk_api.keys.agent)
    assert desk.get("/desk").status_code == 200
    ctx = desk.app.state.ctx  # type: ignore[attr-defined]
    with ctx.db.read_session() as session:
        from sqlmodel import select

        from app.models.access import ApiKey

        key_id = session.exec(select(ApiKey.id).where(ApiKey.name == "test agent")).one()
    run_use_case(ctx.db, lambda session: revoke_key(session, key_id, ctx.clock.now()))
    assert desk.get("/desk", follow_redirects=False).status_code == 303
    assert desk.get("/v1/queues").status_code == 401


def test_the_session_secret_is_shared_through_the_database(settings: Settings, clock: ManualClock) -> None:
    """Two replicas on one database accept each other's cookies."""
    first = create_app(over_http(settings), clock=clock)
    second = create_app(over_http(settings), clock=clock)
    with TestClient(first) as one, TestClient(second) as two:
        keys = make_keys(first.state.ctx)
        response = sign_in(one, keys.agent)
        assert response.status_code == 303
        two.cookies.update(one.cookies)
        assert two.get("/desk").status_code == 200


def test_the_language_switch(desk: TestClient, desk_api: Api) -> None:
    sign_in(desk, desk_api.keys.agent)
    page = desk.get("/desk")
    assert '<html lang="en">' in page.text
    switched = desk.post(
        "/desk/language",
        data={"lang": "id", "csrf": csrf_of(page.text), "next": "/desk"},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    page = desk.get("/desk")
    assert '<html lang="id">' in page.text
    assert "Perlu disampaikan" in page.text
    # Never a redirect off the desk.
    away = desk.post(
        "/desk/language",
        data={"lang": "en", "csrf": csrf_of(page.text), "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert away.headers["location"] == "/desk"
